package remote

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Lock describes a lock file on a host for LockFile.
type Lock struct {
	Path   string        // the lock file, e.g. /run/lock/dockertls-etc-docker-daemon.json.lock
	Wait   time.Duration // how long to wait for another run to let go
	Holder string        // who takes it, written into the file for a run that waits (holder.Describe)
	Doing  string        // what the holder does, for that run's error: "is configuring the daemon"
	Sudo   bool          // the lock file's directory needs root
}

// LockedError is returned by LockFile when another run kept the lock for
// the whole wait.
type LockedError struct {
	Host   string // "node3", "this machine"
	Where  any    // the host for a message in the reader's language (an i18n.Message for this machine)
	Path   string
	Holder string // "root@laptop pid 1234, since 12:01 UTC: dockertls apply ...", or "" when it did not say
	Doing  string
}

func (e *LockedError) Error() string {
	who := "another dockertls run"
	if e.Holder != "" {
		who += " (" + e.Holder + ")"
	}
	return fmt.Sprintf("%s %s on %s; wait for it to finish, then run the same command again (its lock, %s there, goes away with that run, even when it is killed or loses its connection)", who, e.Doing, e.Host, e.Path)
}

// lockedMarker is what lockScript prints once it holds the lock.
const lockedMarker = "dockertls-locked"

// lockBusy is lockScript's exit status when the wait ran out (flock -E 75).
const lockBusy = 75

// lockScript holds an flock on $1 for as long as its input stays open:
// that input is a pipe from this process, so the lock ends when the run
// lets go, is killed, or loses its SSH connection (cat sees the end of its
// input either way), never later. The wait is flock's own (-w $2). Once
// locked it writes who holds it ($3) into the file and says so; when the
// wait runs out it prints the holder the file names. The file stays (only
// emptied): removing a lock file while another run waits on it would let
// two runs hold two different files.
const lockScript = `command -v flock >/dev/null 2>&1 || { echo "flock is not installed (it is in util-linux)" >&2; exit 127; }
[ -d "${1%/*}" ] || mkdir -p -- "${1%/*}" || exit 1
exec 9>>"$1" || exit 1
flock -E 75 -w "$2" 9
rc=$?
if [ "$rc" -eq 75 ]; then head -c 1024 -- "$1"; exit 75; fi
[ "$rc" -eq 0 ] || exit "$rc"
printf '%s\n' "$3" >"$1"
echo ` + lockedMarker + `
cat >/dev/null
: >"$1"`

// LockFile takes an flock on a file on h, waiting up to l.Wait for another
// run (from this machine or any other) to let go, so that two runs never
// change the same thing on a host at once. When the wait runs out (or ctx
// ends while waiting) it gives up with a *LockedError naming the holder.
// unlock releases the lock and returns once it is free; the host releases
// it by itself when this process dies or its connection drops, so a lock
// is never stale.
func LockFile(ctx context.Context, h Host, l Lock) (unlock func(), err error) {
	pr, pw := io.Pipe()
	ready := &markerWriter{marker: []byte(lockedMarker + "\n"), seen: make(chan struct{})}
	// The command that holds the lock must outlive ctx (a run that is
	// cancelled still rolls back under its lock); unlock ends it.
	runCtx, cancelRun := context.WithCancel(context.WithoutCancel(ctx))
	type result struct {
		res Result
		err error
	}
	done := make(chan result, 1)
	wait := strconv.FormatFloat(l.Wait.Seconds(), 'f', 3, 64)
	go func() {
		res, err := h.Run(runCtx, Command{
			Args:   []string{"sh", "-c", lockScript, "sh", l.Path, wait, l.Holder},
			Stdin:  pr,
			Stdout: ready,
			Sudo:   l.Sudo,
		})
		_ = pr.Close()
		done <- result{res, err}
	}()
	stop := func() result {
		_ = pw.Close()
		r := <-done
		cancelRun()
		return r
	}
	select {
	case <-ready.seen:
		var once sync.Once
		return func() { once.Do(func() { stop() }) }, nil
	case <-ctx.Done():
		cancelRun()
		stop()
		return nil, fmt.Errorf("waiting for the lock %s on %s: %w", l.Path, h.Name(), ctx.Err())
	case r := <-done:
		cancelRun()
		_ = pw.Close()
		if r.err != nil {
			return nil, fmt.Errorf("locking %s on %s: %w", l.Path, h.Name(), r.err)
		}
		if r.res.ExitCode == lockBusy {
			return nil, &LockedError{Host: h.Name(), Where: where(h), Path: l.Path, Doing: l.Doing, Holder: firstLine(r.res.Stdout)}
		}
		msg := strings.TrimSpace(string(r.res.Stderr))
		if msg == "" {
			msg = "exit status " + strconv.Itoa(r.res.ExitCode)
		}
		return nil, fmt.Errorf("locking %s on %s: %s", l.Path, h.Name(), msg)
	}
}

// where names h in a message: its own words when it is one of ours.
func where(h Host) any {
	if hh, ok := h.(*host); ok {
		return hh.where
	}
	return h.Name()
}

// firstLine is the first line of b as valid text ("" when empty).
func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return strings.ToValidUTF8(strings.TrimSpace(string(line)), "?")
}

// markerWriter closes seen once the output contains marker.
type markerWriter struct {
	marker []byte
	seen   chan struct{}

	mu   sync.Mutex
	buf  []byte
	done bool
}

func (w *markerWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	if bytes.Contains(w.buf, w.marker) {
		w.done = true
		w.buf = nil
		close(w.seen)
	}
	return len(p), nil
}
