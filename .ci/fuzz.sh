#!/usr/bin/env bash
# Runs every Go fuzz target in the module for the given time (default 5s).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-5s}
status=0
while IFS= read -r file; do
  pkg=$(dirname "$file")
  for target in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$file" | awk '{print $2}'); do
    echo "fuzz $pkg $target ($fuzztime)"
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/fuzz-$$.log 2>&1; then
      cat /tmp/fuzz-$$.log; status=1
    fi
  done
done < <(grep -rl --include='*_test.go' -E '^func Fuzz' . | sort)
rm -f /tmp/fuzz-$$.log
exit $status
