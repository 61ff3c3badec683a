#!/usr/bin/env bash
# Times a full `dockertls apply` (RSA-4096 keys) against the tutorial's
# commands scripted (openssl genrsa/req/x509 with extfile.cnf, scp, ssh,
# install, daemon.json, restart, `docker version`) on the same target: a real
# OpenSSH sshd on 127.0.0.1 (root login with a key) and a real dockerd with
# its own config, data and exec roots, restarted by its own command (as
# daemon.restart allows). Needs root (dockerd) and sshd, openssl, curl, docker.
#
# Usage: bench/apply-vs-tutorial.sh [ROUNDS]   (default 3; or ROUNDS=n)
# The sides alternate and swap who goes first each round; between runs the
# daemon is put back to plain (untimed). Prints both medians and the ratio
# dockertls/tutorial. Target: <= 0.4. The daemon's restart (stop, start, wait
# until it answers) is the same command on both sides and is timed on its own
# too, so the ratio of what the two sides do besides it is printed as well.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-${ROUNDS:-3}}
target=0.4
[ "$(id -u)" = 0 ] || { echo "run as root: the benchmark starts its own dockerd" >&2; exit 1; }
for tool in /usr/sbin/sshd /usr/sbin/dockerd openssl curl ssh scp docker ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install openssh-server openssh-client docker.io openssl curl)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/dtbench.XXXXXX)
chmod 755 "$work"
cleanup() {
  [ -f "$work/sshd.pid" ] && kill "$(cat "$work/sshd.pid")" 2>/dev/null || true
  [ -f "$work/d/dockerd.pid" ] && kill "$(cat "$work/d/dockerd.pid")" 2>/dev/null || true
  sleep 1
  grep -F "$work" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/dockertls" ./cmd/dockertls

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- the target: sshd ---------------------------------------------------
ssh_port=$(free_port)
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/id"
cp "$work/id.pub" "$work/authorized_keys"
mkdir -p /run/sshd
cat >"$work/sshd_config" <<EOF
Port $ssh_port
ListenAddress 127.0.0.1
HostKey $work/host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
LogLevel VERBOSE
EOF
/usr/sbin/sshd -f "$work/sshd_config" -E "$work/sshd.log"
echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1,2 "$work/host_key.pub")" >"$work/known_hosts"
sshopts=(-F /dev/null -i "$work/id" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$work/known_hosts")

# --- the target: dockerd, restarted by its own command ---------------------
d=$work/d
mkdir -p "$d"
tls_port=$(free_port)
cat >"$d/restart.sh" <<EOF
#!/bin/sh
# Restarts the bench dockerd the way "systemctl restart docker" would, and
# notes how long that took (both sides restart the same way).
t0=\$(date +%s.%N)
pid=\$(cat $d/dockerd.pid 2>/dev/null || true)
if [ -n "\$pid" ] && kill -0 "\$pid" 2>/dev/null; then
  kill -TERM "\$pid"
  i=0; while kill -0 "\$pid" 2>/dev/null && [ \$i -lt 300 ]; do sleep 0.05; i=\$((i+1)); done
fi
setsid /usr/sbin/dockerd --config-file $d/daemon.json --data-root $d/data --exec-root $d/exec \\
  --pidfile $d/dockerd.pid --containerd-namespace dtbench --containerd-plugins-namespace dtbench-plugins \\
  --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none --storage-driver=vfs \\
  >>$d/dockerd.log 2>&1 </dev/null &
i=0
while [ \$i -lt 600 ]; do
  if curl -sf --max-time 2 --unix-socket $d/docker.sock http://docker/_ping >/dev/null 2>&1; then
    echo "\$(date +%s.%N) - \$t0" | bc -l >>$d/restart.times; exit 0
  fi
  sleep 0.05; i=\$((i+1))
done
echo "dockerd did not come up; its log ends with:" >&2; tail -n 20 $d/dockerd.log >&2; exit 1
EOF
chmod 755 "$d/restart.sh"
plain_daemon() {
  echo "{\"hosts\": [\"unix://$d/docker.sock\"]}" >"$d/daemon.json"
  "$d/restart.sh"
}

# --- the two sides ---------------------------------------------------------
cat >"$work/plan.yaml" <<EOF
dir: ./run/pki
ca: {key: rsa-4096}
daemon:
  ssh: root@127.0.0.1:$ssh_port
  identity: $work/id
  known_hosts: $work/known_hosts
  sans: [localhost, 127.0.0.1]
  listen: tcp://127.0.0.1:$tls_port
  address: tcp://127.0.0.1:$tls_port
  cert_dir: $work/run/node-tls
  config: $d/daemon.json
  restart: $d/restart.sh
client:
  cert_dir: $work/run/client
EOF
dockertls_side() {
  HOME=$work "$work/dockertls" apply -f "$work/plan.yaml" --yes >"$work/dockertls.out" 2>&1 \
    || { cat "$work/dockertls.out" >&2; return 1; }
  tail -n 1 "$work/dockertls.out" | grep -q 'Docker Engine' || { cat "$work/dockertls.out" >&2; return 1; }
}
# The tutorial (seeds/000): keys and certificates with openssl, the daemon's
# files by scp, daemon.json and the restart over ssh, the client's files
# into place, then `docker version` with TLS.
tutorial_side() (
  set -e
  mkdir -p "$work/run/pki" && cd "$work/run/pki"
  openssl genrsa -out ca-key.pem 4096 2>/dev/null
  openssl req -new -x509 -days 730 -key ca-key.pem -sha256 -subj "/CN=Docker TLS CA" -out ca.pem
  openssl genrsa -out daemon-key.pem 4096 2>/dev/null
  openssl req -subj "/CN=localhost" -sha256 -new -key daemon-key.pem -out daemon.csr
  echo "subjectAltName = DNS:localhost,IP:127.0.0.1" >extfile.cnf
  echo "extendedKeyUsage = serverAuth" >>extfile.cnf
  openssl x509 -req -days 730 -sha256 -in daemon.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out daemon-cert.pem -extfile extfile.cnf 2>/dev/null
  openssl genrsa -out client-key.pem 4096 2>/dev/null
  openssl req -subj "/CN=client" -new -key client-key.pem -out client.csr
  echo "extendedKeyUsage = clientAuth" >extfile-client.cnf
  openssl x509 -req -days 730 -sha256 -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out client-cert.pem -extfile extfile-client.cnf 2>/dev/null
  rm -f client.csr daemon.csr extfile.cnf extfile-client.cnf
  chmod 0400 ca-key.pem daemon-key.pem client-key.pem
  chmod 0444 ca.pem daemon-cert.pem client-cert.pem
  scp -q -P "$ssh_port" "${sshopts[@]}" ca.pem daemon-cert.pem daemon-key.pem root@127.0.0.1:/tmp/
  tls=$work/run/node-tls
  ssh -p "$ssh_port" "${sshopts[@]}" root@127.0.0.1 "install -d -m 0755 $tls &&
    install -m 0444 /tmp/ca.pem $tls/ca.pem && install -m 0444 /tmp/daemon-cert.pem $tls/server-cert.pem &&
    install -m 0400 /tmp/daemon-key.pem $tls/server-key.pem && rm /tmp/ca.pem /tmp/daemon-cert.pem /tmp/daemon-key.pem &&
    cp $d/daemon.json $d/daemon.json.bak &&
    printf '%s\n' '{\"hosts\": [\"unix://$d/docker.sock\", \"tcp://127.0.0.1:$tls_port\"], \"tlsverify\": true, \"tlscacert\": \"$tls/ca.pem\", \"tlscert\": \"$tls/server-cert.pem\", \"tlskey\": \"$tls/server-key.pem\"}' >$d/daemon.json &&
    $d/restart.sh"
  mkdir -p "$work/run/client"
  cp ca.pem "$work/run/client/ca.pem"; cp client-cert.pem "$work/run/client/cert.pem"; cp client-key.pem "$work/run/client/key.pem"
  DOCKER_HOST=tcp://127.0.0.1:$tls_port DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$work/run/client \
    docker version --format '{{.Server.Version}}' >/dev/null
)

reset_target() {
  chmod -R u+w "$work/run" 2>/dev/null || true
  rm -rf "$work/run" "$d"/daemon.json.*; mkdir -p "$work/run"
  plain_daemon
}

now() { date +%s.%N; }
timed() { local t0 t1; t0=$(now); "$@"; t1=$(now); echo "$t1 - $t0" | bc -l; }

median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

reset_target
: >"$work/dt.times"; : >"$work/tut.times"; : >"$work/dt.rest"; : >"$work/tut.rest"
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then order="dockertls tutorial"; else order="tutorial dockertls"; fi
  for side in $order; do
    reset_target
    : >"$d/restart.times"
    logins_before=$(grep -c 'Accepted publickey' "$work/sshd.log" || true)
    if [ "$side" = dockertls ]; then
      t=$(timed dockertls_side); label="dockertls apply"; short=dt
    else
      t=$(timed tutorial_side); label="tutorial       "; short=tut
    fi
    logins=$(( $(grep -c 'Accepted publickey' "$work/sshd.log") - logins_before ))
    restart=$(paste -sd+ "$d/restart.times" | bc -l)
    echo "$t" >>"$work/$short.times"
    echo "$t - $restart" | bc -l >>"$work/$short.rest"
    printf 'round %d  %s  %6.2fs  (restart %5.2fs; SSH logins: %d)\n' "$r" "$label" "$t" "$restart" "$logins"
  done
done
dt=$(median <"$work/dt.times"); tut=$(median <"$work/tut.times")
dtr=$(median <"$work/dt.rest"); tutr=$(median <"$work/tut.rest")
ratio=$(echo "$dt / $tut" | bc -l)
printf 'median: dockertls apply %ss, tutorial %ss, ratio %.2f (target <= %s)\n' "$dt" "$tut" "$ratio" "$target"
printf 'without the daemon restart both share: dockertls %ss, tutorial %ss, ratio %.2f\n' "$dtr" "$tutr" "$(echo "$dtr / $tutr" | bc -l)"
