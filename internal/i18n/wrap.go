package i18n

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks plain text to width terminal columns, for every language we
// speak: Latin words are kept whole and broken at spaces; Chinese may break
// between any two characters, but never before closing punctuation (。，）)
// or after opening punctuation (（「), and never inside an embedded command
// or file name (ca-key.pem). A word wider than the line is cut. Existing
// line breaks are kept.
func Wrap(s string, width int) string {
	width = max(width, 1)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = wrapLine(l, width)
	}
	return strings.Join(lines, "\n")
}

// unit is a piece of text that is never broken (unless wider than a line),
// and whether a space separated it from the unit before.
type unit struct {
	text  string
	space bool
}

func wrapLine(s string, width int) string {
	var b strings.Builder
	lineW := 0
	for _, u := range units(s) {
		w := ansi.StringWidth(u.text)
		sep := 0
		if u.space && lineW > 0 {
			sep = 1
		}
		if lineW > 0 && lineW+sep+w > width {
			b.WriteByte('\n')
			lineW, sep = 0, 0
		}
		if sep == 1 {
			b.WriteByte(' ')
			lineW++
		}
		for lineW+w > width {
			// a single unit wider than the line: cut it where it overflows
			head := ansi.Truncate(u.text, width-lineW, "")
			b.WriteString(head + "\n")
			u.text = strings.TrimPrefix(u.text, head)
			w, lineW = ansi.StringWidth(u.text), 0
		}
		b.WriteString(u.text)
		lineW += w
	}
	return b.String()
}

// units splits a line where it may break.
func units(s string) []unit {
	var out []unit
	var cur strings.Builder
	space := false
	var prev rune
	for _, r := range s {
		if r == ' ' || r == '\t' {
			if cur.Len() > 0 {
				out = append(out, unit{cur.String(), space})
				cur.Reset()
			}
			space = len(out) > 0 || space
			prev = ' '
			continue
		}
		if cur.Len() > 0 && (wide(prev) || wide(r)) && !noBreakBefore(r) && !noBreakAfter(prev) {
			out = append(out, unit{cur.String(), space})
			cur.Reset()
			space = false
		}
		if cur.Len() == 0 && prev == ' ' && len(out) == 0 {
			space = false // leading spaces are kept as they are below
		}
		cur.WriteRune(r)
		prev = r
	}
	if cur.Len() > 0 {
		out = append(out, unit{cur.String(), space})
	}
	if lead := len(s) - len(strings.TrimLeft(s, " \t")); lead > 0 && len(out) > 0 {
		out[0].text = s[:lead] + out[0].text // indentation stays
	}
	return out
}

// noBreakBefore is punctuation that must not start a line.
func noBreakBefore(r rune) bool {
	return strings.ContainsRune("。，、；：！？）」』》】〉”’…,.;:!?)]}%", r)
}

// noBreakAfter is punctuation that must not end a line.
func noBreakAfter(r rune) bool { return strings.ContainsRune("（「『《【〈“‘([{", r) }
