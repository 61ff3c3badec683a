package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/wizard"
)

// doctorPage lists doctor's findings, the broken ones first; choosing one
// opens its step.
type doctorPage struct {
	findings []wizard.Finding // fail, then warn, then ok
	cursor   int
}

func newDoctorPage(findings []wizard.Finding) doctorPage {
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
	return doctorPage{findings: fs}
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

// runDoctor checks every step and the live connection.
func (m *Model) runDoctor() tea.Cmd {
	m.page = pageLoad
	m.load = "Running doctor: checking every step and the live connection…"
	m.scroll = 0
	e, ctx := m.engine, m.ctx
	return tea.Batch(m.startBusy(), func() tea.Msg {
		return doctorMsg{findings: e.Doctor(ctx)}
	})
}

func (m *Model) onDoctor(msg doctorMsg) {
	m.busy = false
	m.page = pageDoctor
	m.repair = true
	m.doctor = newDoctorPage(msg.findings)
	by := map[wizard.StepName][]wizard.Finding{}
	for _, f := range msg.findings {
		by[f.Step] = append(by[f.Step], f)
	}
	for _, n := range wizard.StepNames() {
		m.marks[n] = markOf(by[n])
	}
}

func (m *Model) doctorView(width int) string {
	st := m.styles
	d := &m.doctor
	var b strings.Builder
	n := d.problems()
	switch n {
	case 0:
		b.WriteString(st.OK.Render("✓ Doctor found nothing to repair.") + "\n")
		b.WriteString(wrap("Every step checks out. Choose a line to look at a step again, or esc for the start screen.", width) + "\n\n")
	case 1:
		b.WriteString(st.Title.Render("Doctor found 1 problem.") + " " + st.Subtle.Render("enter opens its step") + "\n\n")
	default:
		b.WriteString(st.Title.Render("Doctor found "+itoa(n)+" problems.") + " " + st.Subtle.Render("enter opens the step of the chosen one") + "\n\n")
	}
	for i, f := range d.findings {
		mark := st.mark(markOf([]wizard.Finding{f}))
		head := string(f.Step)
		line := mark + " " + st.Subtle.Render(padRight(head, 14)) + " "
		msg := f.Message
		if i == d.cursor {
			b.WriteString(st.Accent.Render("› ") + line + hang(styleLines(st.Accent, wrap(msg, width-19)), 19) + "\n")
			if f.Fix != "" {
				b.WriteString(indent(wrap("fix: "+f.Fix, width-19), strings.Repeat(" ", 19)) + "\n")
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

// quoteArg single-quotes a path for a shell when it needs it.
func quoteArg(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-~+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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
