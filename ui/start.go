package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"github.com/dockertls/dockertls/wizard"
)

// startChoice is an entry of the start screen.
type startChoice int

const (
	choiceNew startChoice = iota
	choiceRepair
	choiceOpen
)

// startPage is the first screen: new setup, repair, open a plan file.
type startPage struct {
	cursor int
	err    error // why the last choice failed (plan not found, invalid…)
}

// lipglossExtra is how many bytes of s are styling, so that padding by
// bytes lines up the visible text.
func lipglossExtra(s string) int { return len(s) - lipgloss.Width(s) }

func newStartPage(Config) startPage { return startPage{} }

type startItem struct {
	title, desc string
}

func (m *Model) startItems() []startItem {
	path := m.cfg.PlanPath
	newDesc := "walk through the seven steps; answers are saved to " + path
	if m.cfg.FileExists(path) {
		newDesc = "continue with " + path + " where you left off"
	}
	return []startItem{
		{"New setup", newDesc},
		{"Repair an existing setup", "run doctor on " + path + ", then fix what it finds"},
		{"Open a plan file", "load another plan and resume where it stopped"},
	}
}

func (m *Model) startView(width int) string {
	st := m.styles
	var b strings.Builder
	b.WriteString(wrap("Secure a Docker daemon's TCP API with mutual TLS, along the seven steps of the classic tutorial:", width) + "\n\n")
	steps := wizard.StepNames()
	half := (len(steps) + 1) / 2
	item := func(i int) string {
		return st.Subtle.Render(string(rune('1'+i))+" ") + wizard.StepTitle(steps[i])
	}
	for i := 0; i < half; i++ {
		left := "  " + item(i)
		if j := i + half; j < len(steps) && width >= 76 {
			left = padRight(left, 40+lipglossExtra(left)) + item(j)
		}
		b.WriteString(left + "\n")
	}
	if width < 76 {
		for j := half; j < len(steps); j++ {
			b.WriteString("  " + item(j) + "\n")
		}
	}
	b.WriteString("\n")
	for i, it := range m.startItems() {
		if i == m.start.cursor {
			b.WriteString(st.Accent.Render("› "+it.title) + "\n")
		} else {
			b.WriteString("  " + it.title + "\n")
		}
		b.WriteString(st.Subtle.Render("    "+it.desc) + "\n")
	}
	if m.start.err != nil {
		b.WriteString("\n" + planErrorView(st, m.start.err, width))
	}
	return strings.TrimRight(b.String(), "\n")
}

// openPage asks for a plan file's path.
type openPage struct {
	input textinput.Model
	err   error
}

func newOpenPage(path string, st Styles) openPage {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = "path/to/plan.yaml"
	in.CharLimit = 1024
	in.SetValue(path)
	in.CursorEnd()
	o := openPage{input: in}
	o.applyStyles(st)
	o.input.Focus()
	return o
}

func (o *openPage) applyStyles(st Styles) {
	o.input.SetStyles(st.Input())
}

func (m *Model) openView(width int) string {
	st := m.styles
	s := st.Title.Render("Open a plan file") + "\n\n" +
		wrap("A plan file (YAML) holds every answer of the wizard; dockertls apply -f PLAN runs it headless. The wizard checks which steps are done and continues with the first one that is not. A directory opens its dockertls.yaml.", width) +
		"\n\n" + m.open.input.View()
	if m.open.err != nil {
		s += "\n" + planErrorView(st, m.open.err, width)
	}
	return s
}
