package wizard

import (
	"errors"

	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/remote"
)

// RetryNote says what running a failed step again will ask anew, so a
// front end can tell the user that a mistyped or refused answer is not
// kept: "" when nothing is asked again.
func RetryNote(err error) string {
	var hk *remote.HostKeyError
	var nodeLock *remote.LockedError
	var pkiLock *pki.LockedError
	switch {
	case errors.As(err, &nodeLock), errors.As(err, &pkiLock):
		return "waits a few seconds for the other run again"
	case errors.Is(err, pki.ErrWrongPassphrase):
		return "asks for the CA key's passphrase again"
	case errors.As(err, &hk) && hk.Problem == remote.HostKeyUnknown:
		return "shows the host key again, to trust it (y)"
	}
	return ""
}
