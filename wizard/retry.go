package wizard

import (
	"errors"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/remote"
)

// RetryNote is the line that offers to run a failed step again (key is the
// key that does it, as the front end shows it) and says what the retry
// will ask anew, so the user knows a mistyped or refused answer is not
// kept: a zero Message when nothing is asked again.
func RetryNote(err error, key string) i18n.Message {
	var hk *remote.HostKeyError
	var nodeLock *remote.LockedError
	var pkiLock *pki.LockedError
	switch {
	case errors.As(err, &nodeLock), errors.As(err, &pkiLock):
		return i18n.M("wizard.retry.lock", "Key", key)
	case errors.Is(err, pki.ErrWrongPassphrase):
		return i18n.M("wizard.retry.passphrase", "Key", key)
	case errors.As(err, &hk) && hk.Problem == remote.HostKeyUnknown:
		return i18n.M("wizard.retry.host_key", "Key", key)
	}
	return i18n.Message{}
}
