package pki

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/holder"
	"github.com/dockertls/dockertls/internal/i18n"
)

// lockFile says who holds the lock of the PKI directory. It exists only
// while a run holds the lock (the lock itself is an flock on the directory),
// so a run leaves no new file in a directory it did not otherwise change.
const lockFile = ".dockertls-lock"

// lockPoll is how often a waiting run tries the lock again.
const lockPoll = 50 * time.Millisecond

// LockedError is returned by Lock when another process kept the directory
// locked for the whole wait.
type LockedError struct {
	Dir    string
	Holder string // "pid 1234: dockertls apply -f plan.yaml", or "" when it did not say
}

func (e *LockedError) Error() string { return e.message().String() }

// Localize says the error in l's language (the holder's command line as it is).
func (e *LockedError) Localize(l *i18n.Localizer) string { return l.Msg(e.message()) }

func (e *LockedError) message() i18n.Message {
	var who any = i18n.M("pki.lock.another_process")
	if e.Holder != "" {
		who = e.Holder
	}
	return i18n.M("pki.lock.in_use", "Dir", e.Dir, "Holder", who)
}

// Lock takes the directory's lock (an flock on the directory), so that
// two runs never create or replace the same files at once. A run that
// finds the lock taken waits up to wait (or until ctx ends), then gives up
// with a LockedError naming the holder. Once locked, Recover finishes what
// a killed run left. unlock releases the lock; the kernel releases it too
// when the process dies, so a lock is never stale.
func (d *Dir) Lock(ctx context.Context, wait time.Duration) (unlock func(), err error) {
	f, err := os.Open(d.path)
	if err != nil {
		return nil, i18n.Errorf("pki.lock.error", "Dir", d.path, "Err", err)
	}
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			_ = f.Close()
			return nil, i18n.Errorf("pki.lock.error", "Dir", d.path, "Err", err)
		}
		if ctx.Err() != nil || !time.Now().Before(deadline) {
			_ = f.Close()
			return nil, &LockedError{Dir: d.path, Holder: lockHolder(d.Path(lockFile))}
		}
		select {
		case <-ctx.Done():
		case <-time.After(lockPoll):
		}
	}
	unlock = func() {
		_ = os.Remove(d.Path(lockFile))
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}
	// Who holds it, for the run that waits: the pid and the command line
	// (dockertls never takes a secret on its command line). Best effort:
	// without it the waiting run says "another process".
	_ = os.WriteFile(d.Path(lockFile), []byte(fmt.Sprintf("pid %d: %s\n", os.Getpid(), holder.Command())), 0o600)
	if err := d.Recover(); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

// lockHolder reads who holds the lock ("" when it does not say).
func lockHolder(path string) string {
	data, err := fsread.ReadFile(path, fsread.MaxSmall)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.ToValidUTF8(strings.TrimSpace(line), "?")
}
