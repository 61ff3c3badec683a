package daemon

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/holder"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
)

// LockDir is where the node lock lives on the daemon's host: tmpfs on
// every systemd Linux, so a reboot clears it, and the place flock(1)'s
// users look.
const LockDir = "/run/lock"

// LockPath is the node lock of the daemon configured by configPath:
// /run/lock/dockertls-etc-docker-daemon.json.lock for the usual one. One
// lock per daemon.json, so that the daemons of a fleet that share a
// machine are configured at once while two runs on one daemon are not.
func LockPath(configPath string) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_':
			return r
		}
		return '-'
	}, strings.TrimLeft(configPath, "/"))
	return LockDir + "/dockertls-" + name + ".lock"
}

// Lock takes the node lock of the daemon configured by configPath on h
// for a whole daemon-config run (read, back up, write, restart, wait, roll
// back): another run, from this machine or any other, waits up to wait
// and then refuses with a *remote.LockedError naming this one, so two runs
// never restart one daemon at once. unlock releases it; a killed run or a
// dropped connection releases it too.
func Lock(ctx context.Context, h remote.Host, configPath string, wait time.Duration) (unlock func(), err error) {
	unlock, err = remote.LockFile(ctx, h, remote.Lock{
		Path:   LockPath(configPath),
		Wait:   wait,
		Holder: holder.Describe(time.Now()),
		Doing:  "is configuring the daemon",
		Sudo:   true,
	})
	var locked *remote.LockedError
	if errors.As(err, &locked) {
		return nil, &BusyError{locked}
	}
	return unlock, err
}

// BusyError is the node lock held by another run: remote.LockedError's
// words in the user's language (remote holds no Localizer).
type BusyError struct{ *remote.LockedError }

func (e *BusyError) Error() string { return e.Localize(i18n.New(i18n.English)) }

// Unwrap is the remote.LockedError (errors.As finds the holder there).
func (e *BusyError) Unwrap() error { return e.LockedError }

// Localize implements i18n.Localized.
func (e *BusyError) Localize(l *i18n.Localizer) string {
	if e.Holder == "" {
		return l.T("nodelock.held_unnamed", "Host", e.Where, "Path", e.Path)
	}
	return l.T("nodelock.held", "Holder", e.Holder, "Host", e.Where, "Path", e.Path)
}
