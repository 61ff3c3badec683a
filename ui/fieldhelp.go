package ui

import "github.com/dockertls/dockertls/internal/i18n"

// fieldHelp is what ? shows for the field under the cursor, in the user's
// language: what the answer means, what it accepts and what the default
// does ("" when the field has none).
func fieldHelp(l *i18n.Localizer, key string) string {
	id := "field." + key + ".help"
	if h := l.T(id); h != id {
		return h
	}
	return ""
}
