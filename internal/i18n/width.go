package i18n

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Width is how many terminal columns s takes: a CJK character takes two,
// escape sequences none. Layouts measure with it, never with len or
// utf8.RuneCountInString.
func Width(s string) int {
	w := 0
	for _, line := range strings.Split(s, "\n") {
		w = max(w, ansi.StringWidth(line))
	}
	return w
}

// PadRight pads s with spaces to width columns (fmt's %-13s counts runes,
// which misaligns Chinese labels).
func PadRight(s string, width int) string {
	if w := ansi.StringWidth(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}
