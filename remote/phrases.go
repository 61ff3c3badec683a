package remote

import (
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// phrases are texts said one after another in the reader's language, with
// the separator message sep between them: a list of keys, or notes after a
// refusal. Each item is an i18n.Message, an error or plain text (a path,
// a key name). phrases is an error only because a Localizer renders errors
// and Messages among a message's values; it is never returned as one.
type phrases struct {
	sep   string // message id of the separator (remote.sep.list: ", ")
	items []any
}

func (p phrases) Error() string { return p.Localize(i18n.New(i18n.English)) }

// Localize implements i18n.Localized.
func (p phrases) Localize(l *i18n.Localizer) string {
	parts := make([]string, len(p.items))
	for i, it := range p.items {
		switch v := it.(type) {
		case i18n.Message:
			parts[i] = l.Msg(v)
		case error:
			parts[i] = l.Error(v)
		case string:
			parts[i] = v
		}
	}
	return strings.Join(parts, l.T(p.sep))
}
