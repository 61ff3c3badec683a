package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/wizard"
)

// doctorPage lists doctor's findings, the broken ones first; choosing one
// opens its step.
type doctorPage struct {
	c        *shared
	width    int
	findings []wizard.Finding // fail, then warn, then ok
	cursor   int
}

func newDoctorPage(c *shared, findings []wizard.Finding) *doctorPage {
	rank := func(s wizard.Status) int {
		switch s {
		case wizard.StatusFail:
			return 0
		case wizard.StatusWarn:
			return 1
		}
		return 2
	}
	fs := slices.Clone(findings)
	order := map[wizard.StepName]int{}
	for i, n := range wizard.StepNames() {
		order[n] = i
	}
	slices.SortStableFunc(fs, func(a, b wizard.Finding) int {
		if d := rank(a.Status) - rank(b.Status); d != 0 {
			return d
		}
		return order[a.Step] - order[b.Step]
	})
	return &doctorPage{c: c, findings: fs, width: c.bodyWidth()}
}

func (d *doctorPage) Init() tea.Cmd             { return nil }
func (d *doctorPage) Title() string             { return d.c.T("ui.doctor.title") }
func (d *doctorPage) SetSize(width, height int) { d.width = width }
func (d *doctorPage) ShortHelp() []key.Binding  { return d.keys().ShortHelp() }
func (d *doctorPage) FullHelp() [][]key.Binding { return d.keys().FullHelp() }
func (d *doctorPage) keys() helpKeys {
	choose := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", d.c.T("ui.key.choose")))
	return d.c.nav(false, choose, bind("enter", d.c.T("ui.key.open_step")), bind("r", d.c.T("ui.key.doctor_again")), d.c.keys.Back)
}

func (d *doctorPage) Update(msg tea.Msg) (page, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d, nil
	}
	k := d.c.keys
	switch {
	case key.Matches(km, k.Up):
		if d.cursor > 0 {
			d.cursor--
		}
	case key.Matches(km, k.Down):
		if d.cursor < len(d.findings)-1 {
			d.cursor++
		}
	case key.Matches(km, k.Retry):
		return d, runDoctor(d.c)
	case key.Matches(km, k.Back):
		d.c.repair = false
		return d, show(newStartPage(d.c, choiceRepair, nil))
	case key.Matches(km, k.Next):
		if len(d.findings) == 0 {
			return d, show(newStepPage(d.c, len(wizard.StepNames())-1))
		}
		step := d.findings[d.cursor].Step
		for i, n := range wizard.StepNames() {
			if n == step {
				return d, show(newStepPage(d.c, i))
			}
		}
	}
	return d, nil
}

func (d *doctorPage) problems() int {
	n := 0
	for _, f := range d.findings {
		if f.Status != wizard.StatusOK {
			n++
		}
	}
	return n
}

func (d *doctorPage) View() string {
	st, width := d.c.styles, d.width
	var b strings.Builder
	n := d.problems()
	c := d.c
	switch n {
	case 0:
		b.WriteString(st.OK.Render(c.T("ui.doctor.none")) + "\n")
		b.WriteString(wrap(c.T("ui.doctor.none_explain"), width) + "\n\n")
	case 1:
		b.WriteString(st.Title.Render(c.cfg.Localizer.N("ui.doctor.found", n)) + " " + st.Subtle.Render(c.T("ui.doctor.open_one")) + "\n\n")
	default:
		b.WriteString(st.Title.Render(c.cfg.Localizer.N("ui.doctor.found", n)) + " " + st.Subtle.Render(c.T("ui.doctor.open_chosen")) + "\n\n")
	}
	if wizard.OffersRotation(d.findings) {
		start := "dockertls rotate-ca" + planArg(c) + " --yes"
		b.WriteString(wrap(c.T("ui.doctor.rotate", "Start", start, "Finish", start+" --finish"), width) + "\n\n")
	}
	for i, f := range d.findings {
		mark := st.mark(markOf([]wizard.Finding{f}))
		head := string(f.Step)
		line := mark + " " + st.Subtle.Render(padRight(head, 14)) + " "
		msg := f.Message
		if i == d.cursor {
			b.WriteString(st.Accent.Render("› ") + line + hang(styleLines(st.Accent, wrap(msg, width-19)), 19) + "\n")
			if !f.Fix.IsZero() {
				b.WriteString(indent(wrap(c.T("ui.doctor.fix", "Fix", f.Fix.Render(c.fixes())), width-19), strings.Repeat(" ", 19)) + "\n")
			}
		} else {
			b.WriteString("  " + line + truncate(msg, width-19) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func padRight(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// relToWD is path relative to the working directory when it is below it
// (what the user would type), else path itself.
func relToWD(path string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return path
}
