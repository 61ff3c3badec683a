package ui

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// wrap breaks text to width columns at spaces only (and between Chinese
// characters): words, flags, paths and commands stay whole unless one alone
// is wider than the line.
func wrap(s string, width int) string {
	return i18n.Wrap(s, max(width, 10))
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// clip returns at most height lines of s starting at offset, and whether
// lines were cut above or below. Lines wider than width are truncated.
func clip(s string, width, height, offset int) (string, bool, bool) {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if lipgloss.Width(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	if height <= 0 {
		return "", false, len(lines) > 0
	}
	maxOff := max(0, len(lines)-height)
	offset = min(max(0, offset), maxOff)
	end := min(len(lines), offset+height)
	return strings.Join(lines[offset:end], "\n"), offset > 0, end < len(lines)
}

// mark is a step's state in the status bar and the topology picture.
type mark int

const (
	markPending mark = iota
	markRunning
	markOK
	markWarn
	markFail
	markSkipped // checked and done before this run
)

func (st Styles) mark(m mark) string {
	switch m {
	case markRunning:
		return st.Accent.Render("●")
	case markOK, markSkipped:
		return st.OK.Render("✓")
	case markWarn:
		return st.Warn.Render("!")
	case markFail:
		return st.Fail.Render("✗")
	default:
		return st.Subtle.Render("·")
	}
}

// markOf sums up a step's Check findings.
func markOf(findings []wizard.Finding) mark {
	m := markOK
	for _, f := range findings {
		switch f.Status {
		case wizard.StatusFail:
			return markFail
		case wizard.StatusWarn:
			m = markWarn
		}
	}
	return m
}

// renderDiff colours a unified diff line by line, each line wrapped to
// width on its own (continuations indented under its text), so that a box
// around it never wraps it again.
func renderDiff(st Styles, diff string, width int) string {
	lines := strings.Split(strings.TrimRight(diff, "\n"), "\n")
	for i, l := range lines {
		style := lipgloss.NewStyle()
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"), strings.HasPrefix(l, "@@"):
			style = st.DiffHunk
		case strings.HasPrefix(l, "+"):
			style = st.DiffAdd
		case strings.HasPrefix(l, "-"):
			style = st.DiffDel
		}
		if lipgloss.Width(l) > width { // wrapped, with room for the hang; short lines keep their spaces
			l = hang(wrap(l, width-3), 3)
		}
		lines[i] = styleLines(style, l)
	}
	return strings.Join(lines, "\n")
}

// truncate cuts s to width columns with an ellipsis.
func truncate(s string, width int) string {
	return ansi.Truncate(s, max(1, width), "…")
}

// hang indents every line but the first by n spaces.
func hang(s string, n int) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}

// styleLines styles each line on its own, so that a style never pads a
// multi-line block to its widest line.
func styleLines(style lipgloss.Style, s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return strings.Join(lines, "\n")
}

// wrapCommand breaks a shell command to width columns so that what is shown
// can still be copied and run: breaks fall only between words outside
// quotes, and each broken line ends with " \" (a continuation). A command of
// several lines (a here-document) cannot take continuations inside the
// document: its long lines are only wrapped, to be read whole.
func wrapCommand(cmd string, width int) string {
	if strings.Contains(cmd, "\n") {
		return wrap(cmd, width)
	}
	if lipgloss.Width(cmd) <= width {
		return cmd
	}
	width = max(width, 20)
	var lines []string
	line := ""
	for _, w := range shellWords(cmd) {
		switch {
		case line == "":
			line = w
		case lipgloss.Width(line)+1+lipgloss.Width(w)+2 > width:
			lines = append(lines, line+" \\")
			line = "  " + w
		default:
			line += " " + w
		}
	}
	return strings.Join(append(lines, line), "\n")
}

// shellWords splits a command at the spaces that separate words: spaces
// inside '...' or "..." belong to their word (a continuation there would
// become part of the quoted text).
func shellWords(cmd string) []string {
	var words []string
	var quote rune
	start := 0
	for i, r := range cmd {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == ' ':
			if i > start {
				words = append(words, cmd[start:i])
			}
			start = i + 1
		}
	}
	if start < len(cmd) {
		words = append(words, cmd[start:])
	}
	return words
}

// planErrorView shows why a plan could not be opened: a plan's problems as
// a headline and one bullet each (the file is to be fixed in an editor),
// any other error as one wrapped line.
func planErrorView(c *shared, st Styles, err error, width int) string {
	var pe plan.Errors
	if !errors.As(err, &pe) {
		return st.Fail.Render(wrap("✗ "+c.Error(err), width))
	}
	var b strings.Builder
	b.WriteString(st.Fail.Render(wrap("✗ "+c.T("plan.summary_fix_file", "Summary", pe.LocalizeSummary(c.cfg.Localizer)), width)))
	for _, e := range pe {
		b.WriteString("\n" + hang(wrap("  • "+c.Error(e), width-4), 4))
	}
	return b.String()
}

// inputView is in.View() without the NUL characters bubbles' textinput
// pads a placeholder with when it holds wide (Chinese) characters: it
// takes the placeholder's columns for its runes. A NUL takes no column, so
// the line keeps its width, but it has no business on a terminal.
func inputView(in textinput.Model) string {
	return strings.ReplaceAll(in.View(), "\x00", "")
}
