package wizard

import (
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// stepWhy is the newcomer's explanation of a step in l's language
// (assets/steps/[LANG/]NAME.md without its title line): what the step is
// for and why it matters, one line per paragraph.
func stepWhy(l *i18n.Localizer, n StepName) string {
	return strings.Join(l.Paragraphs("steps/"+string(n)+".md"), "\n\n")
}

// title and why are the step's title and explanation in the session's language.
func (s *Session) title(n StepName) string { return StepTitleIn(s.Options.Localizer, n) }
func (s *Session) why(n StepName) string   { return stepWhy(s.Options.Localizer, n) }

// T renders a message in the session's language.
func (s *Session) T(id string, kv ...any) string { return s.Options.Localizer.T(id, kv...) }

// Error is err in the user's language (i18n.Localizer.Error).
func (s *Session) Error(err error) string { return s.Options.Localizer.Error(err) }
