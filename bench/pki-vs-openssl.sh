#!/usr/bin/env bash
# Times dockertls's PKI engine against the tutorial's openssl commands, both
# producing the same files: RSA-4096 CA with a passphrase-encrypted key,
# daemon certificate (serverAuth, SANs) and client certificate (clientAuth),
# keys 0400, certificates 0444, ca.srl.
#
# Usage: bench/pki-vs-openssl.sh [ROUNDS]   (default 5; or ROUNDS=n)
# The two sides alternate (and swap who goes first each round) so a busy
# machine hurts both alike; every round's files are checked with
# `openssl verify`. Prints both medians (wall clock, and CPU time to tell a
# busy machine from a slow engine) and the wall ratio dockertls/openssl.
# Target: <= 0.35.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-${ROUNDS:-5}}
target=0.35
command -v openssl >/dev/null || { echo "openssl is missing: apt-get install openssl" >&2; exit 1; }

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/pkigen" ./bench/pkigen

# The passphrase reaches openssl through a private file and pkigen through
# the environment: never on a command line.
passphrase="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
passfile="$work/passphrase"
(umask 077; printf '%s\n' "$passphrase" >"$passfile")
export DOCKERTLS_CA_PASSPHRASE="$passphrase"

# The tutorial's commands (seeds/000), in a fresh directory.
tutorial() (
  cd "$1"
  openssl genrsa -aes256 -passout "file:$passfile" -out ca-key.pem 4096 2>/dev/null
  openssl req -new -x509 -days 730 -key ca-key.pem -passin "file:$passfile" -sha256 \
    -subj "/CN=Docker TLS CA" -out ca.pem
  openssl genrsa -out daemon-key.pem 4096 2>/dev/null
  openssl req -subj "/CN=node3" -sha256 -new -key daemon-key.pem -out daemon.csr
  echo "subjectAltName = DNS:node3,IP:10.0.0.12,IP:127.0.0.1" >extfile.cnf
  echo "extendedKeyUsage = serverAuth" >>extfile.cnf
  openssl x509 -req -days 730 -sha256 -in daemon.csr -CA ca.pem -CAkey ca-key.pem \
    -passin "file:$passfile" -CAcreateserial -out daemon-cert.pem -extfile extfile.cnf 2>/dev/null
  openssl genrsa -out client-key.pem 4096 2>/dev/null
  openssl req -subj "/CN=client" -new -key client-key.pem -out client.csr
  echo "extendedKeyUsage = clientAuth" >extfile-client.cnf
  openssl x509 -req -days 730 -sha256 -in client.csr -CA ca.pem -CAkey ca-key.pem \
    -passin "file:$passfile" -CAcreateserial -out client-cert.pem -extfile extfile-client.cnf 2>/dev/null
  rm -f client.csr daemon.csr extfile.cnf extfile-client.cnf
  chmod 0400 ca-key.pem daemon-key.pem client-key.pem
  chmod 0444 ca.pem daemon-cert.pem client-cert.pem
)

dockertls() { "$work/pkigen" -dir "$1" -key rsa-4096 -sans node3,10.0.0.12,127.0.0.1 -client client; }

expected="ca-key.pem ca.pem ca.srl client-cert.pem client-key.pem daemon-cert.pem daemon-key.pem"

# run SIDE DIR: prints "wall cpu" in seconds (cpu = user + sys of every
# process the side ran), then checks the files.
run() {
  local side=$1 dir=$2 times
  mkdir -m 0700 "$dir"
  times=$( { TIMEFORMAT='%R %U %S'; time "$side" "$dir" 2>"$dir.err"; } 2>&1 ) || {
    echo "$side failed:" >&2; cat "$dir.err" >&2; exit 1
  }
  local files
  files=$(cd "$dir" && ls | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$files" != "$expected" ]; then
    echo "$side made [$files], expected [$expected]" >&2; exit 1
  fi
  if ! openssl verify -CAfile "$dir/ca.pem" "$dir/daemon-cert.pem" "$dir/client-cert.pem" >/dev/null; then
    echo "$side: openssl verify failed in $dir" >&2; exit 1
  fi
  if ! openssl pkey -in "$dir/ca-key.pem" -passin "file:$passfile" -noout 2>/dev/null; then
    echo "$side: the encrypted CA key does not open with the passphrase" >&2; exit 1
  fi
  echo "$times" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

go_wall=() go_cpu=() ossl_wall=() ossl_cpu=()
echo "pki-vs-openssl: $rounds rounds, RSA-4096, encrypted CA key, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
for i in $(seq 1 "$rounds"); do
  if [ $((i % 2)) -eq 1 ]; then order="dockertls tutorial"; else order="tutorial dockertls"; fi
  for side in $order; do
    result=$(run "$side" "$work/$side-$i") || exit 1
    read -r wall cpu <<<"$result"
    if [ "$side" = dockertls ]; then go_wall+=("$wall"); go_cpu+=("$cpu"); else ossl_wall+=("$wall"); ossl_cpu+=("$cpu"); fi
  done
  printf '  round %d: dockertls %ss (cpu %ss)  openssl %ss (cpu %ss)\n' "$i" "${go_wall[-1]}" "${go_cpu[-1]}" "${ossl_wall[-1]}" "${ossl_cpu[-1]}"
done

med() { printf '%s\n' "$@" | median; }
go_median=$(med "${go_wall[@]}") ossl_median=$(med "${ossl_wall[@]}")
go_cpu_median=$(med "${go_cpu[@]}") ossl_cpu_median=$(med "${ossl_cpu[@]}")
ratio=$(awk -v g="$go_median" -v o="$ossl_median" 'BEGIN { printf "%.2f", g / o }')
cpu_ratio=$(awk -v g="$go_cpu_median" -v o="$ossl_cpu_median" 'BEGIN { printf "%.2f", g / o }')
verdict=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r <= t) ? "meets" : "misses" }')
echo "median wall: dockertls ${go_median}s, openssl ${ossl_median}s"
echo "median cpu:  dockertls ${go_cpu_median}s, openssl ${ossl_cpu_median}s (cpu ratio ${cpu_ratio}; the wall ratio gains on it only when cores are free: load $(cut -d' ' -f1 /proc/loadavg))"
echo "ratio ${ratio} ($verdict the target <= $target)"
