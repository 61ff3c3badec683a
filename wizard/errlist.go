package wizard

import (
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// errList is several errors said at once, each in the user's language
// when printed through a Localizer: sep between them ("; " in one line,
// "\n" as errors.Join).
type errList struct {
	errs []error
	sep  string
}

func (e errList) Error() string { return e.Localize(nil) }

// Localize is every error in l's language.
func (e errList) Localize(l *i18n.Localizer) string {
	parts := make([]string, len(e.errs))
	for i, err := range e.errs {
		parts[i] = l.Error(err)
	}
	return strings.Join(parts, e.sep)
}

// Unwrap is the errors, so errors.Is and errors.As see each of them.
func (e errList) Unwrap() []error { return e.errs }
