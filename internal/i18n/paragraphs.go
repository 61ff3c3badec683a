package i18n

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Paragraphs reads a text asset (steps/NAME.md) in l's language as its
// paragraphs, each on one line so that screens can wrap it to their width;
// a "# " title line is skipped. nil when the file does not exist.
func (l *Localizer) Paragraphs(name string) []string {
	data, err := l.ReadFile(name)
	if err != nil {
		return nil
	}
	var out, lines []string
	flush := func() {
		if len(lines) > 0 {
			out = append(out, joinLines(lines))
			lines = nil
		}
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "# ") && len(out) == 0 && len(lines) == 0:
			// the title: screens show the step's own title
		default:
			lines = append(lines, line)
		}
	}
	flush()
	return out
}

// joinLines joins the lines of a paragraph with a space, except where
// either side is a CJK character: Chinese puts no space between words.
func joinLines(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			last, _ := utf8.DecodeLastRuneInString(lines[i-1])
			first, _ := utf8.DecodeRuneInString(l)
			if !wide(last) && !wide(first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

func wide(r rune) bool { return ansi.StringWidth(string(r)) == 2 }
