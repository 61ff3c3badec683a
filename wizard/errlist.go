package wizard

import (
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// errList is several refusals said in one line ("; " between them, where
// i18n.Join puts one per line), each in the user's language when printed
// through a Localizer.
type errList []error

func (e errList) Error() string { return e.Localize(nil) }

// Localize is every error in l's language.
func (e errList) Localize(l *i18n.Localizer) string {
	parts := make([]string, len(e))
	for i, err := range e {
		parts[i] = l.Error(err)
	}
	return strings.Join(parts, "; ")
}

// Unwrap is the errors, so errors.Is and errors.As see each of them.
func (e errList) Unwrap() []error { return e }
