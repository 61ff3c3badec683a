package testlab

import (
	"fmt"

	"github.com/dockertls/dockertls/internal/shellquote"
)

// restartScript renders the shell script behind RestartCommand. It mirrors
// Stop and Start in shell so that code under test can restart the daemon
// the way it would run `systemctl restart docker` on a real host: the
// process it starts is not the test's child, and a failed start is a
// non-zero exit with the reason on stderr.
func (d *Dockerd) restartScript() string {
	polls := int(d.opts.StartTimeout.Seconds()) * 10
	return fmt.Sprintf(`#!/bin/sh
# Restarts the test dockerd in %[1]s like "systemctl restart docker" would.
set -u
dir=%[1]s
log=%[2]s
alive() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	grep -q ') Z' "/proc/$1/stat" && return 1
	tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF "$dir"
}
pid=$(cat "$dir/launcher.pid" 2>/dev/null || true)
if alive "$pid"; then
	kill -TERM "-$pid" 2>/dev/null
	i=0; while alive "$pid" && [ $i -lt 150 ]; do sleep 0.1; i=$((i+1)); done
	if alive "$pid"; then kill -KILL "-$pid" 2>/dev/null; sleep 0.5; fi
fi
setsid %[3]s >>"$log" 2>&1 </dev/null &
new=$!
echo "$new" >"$dir/launcher.pid"
i=0
while [ $i -lt %[4]d ]; do
	if curl -sf --max-time 2 --unix-socket %[5]s http://docker/_ping >/dev/null 2>&1; then exit 0; fi
	if ! alive "$new"; then
		echo "dockerd failed to start; its log ends with:" >&2
		tail -n 30 "$log" >&2
		exit 1
	fi
	sleep 0.1; i=$((i+1))
done
echo "dockerd did not answer /_ping within %[6]s; its log ends with:" >&2
tail -n 30 "$log" >&2
exit 1
`, shellquote.POSIX(d.Dir), shellquote.POSIX(d.LogPath), shellquote.POSIXJoin(d.Args()), polls, shellquote.POSIX(d.Socket), d.opts.StartTimeout)
}
