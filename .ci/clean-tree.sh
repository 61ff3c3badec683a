#!/usr/bin/env bash
# Runs a command (the tests) and fails when it changed what git sees in the
# tree: tests must leave no files behind (testdata/fuzz, temp files, builds).
# Compares before and after, so a developer's own uncommitted work is fine.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(git status --porcelain --untracked-files=all 2>/dev/null || true)
status=0
"$@" || status=$?
after=$(git status --porcelain --untracked-files=all 2>/dev/null || true)
if [ "$before" != "$after" ]; then
  echo "the tests changed the tree (they must leave no files behind):"
  diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") | sed -n 's/^> /  /p'
  [ "$status" -ne 0 ] || status=1
fi
exit $status
