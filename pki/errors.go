package pki

import (
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// joinErrors is errors.Join whose parts a Localizer renders in its
// language: a failure and what went wrong while undoing it, one a line.
func joinErrors(errs ...error) error {
	var j joined
	for _, err := range errs {
		if err != nil {
			j = append(j, err)
		}
	}
	if len(j) == 0 {
		return nil
	}
	return j
}

type joined []error

func (j joined) Error() string { return j.Localize(nil) }

// Localize renders every part in l's language (a nil l speaks English).
func (j joined) Localize(l *i18n.Localizer) string {
	parts := make([]string, len(j))
	for i, err := range j {
		parts[i] = err.Error()
		if l != nil {
			parts[i] = l.Error(err)
		}
	}
	return strings.Join(parts, "\n")
}

func (j joined) Unwrap() []error { return j }
