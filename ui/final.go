package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
	"github.com/dockertls/dockertls/wizard/probe"
)

// finalPage is the end of the wizard: the live connection test's report
// (the Server block, the handshake, the probes with ✓/✗), the variables for
// the user's shell, and what to do next.
type finalPage struct {
	c      *shared
	width  int
	step   page           // the verify step's page, shown again on esc
	report *probe.Report  // what the live test saw (nil: only the log)
	log    []wizard.Event // the verify step's Info/Warn events
}

func newFinalPage(c *shared, step page, report *probe.Report, log []wizard.Event) *finalPage {
	return &finalPage{c: c, step: step, report: report, log: log, width: c.bodyWidth()}
}

func (f *finalPage) Init() tea.Cmd             { return nil }
func (f *finalPage) Title() string             { return f.c.T("ui.final.title") }
func (f *finalPage) SetSize(width, height int) { f.width = width }
func (f *finalPage) Finished() bool            { return true }
func (f *finalPage) ShortHelp() []key.Binding  { return f.keys().ShortHelp() }
func (f *finalPage) FullHelp() [][]key.Binding { return f.keys().FullHelp() }
func (f *finalPage) keys() helpKeys {
	return f.c.nav(false, bind("enter", f.c.T("ui.key.quit")), f.c.keys.Back)
}

func (f *finalPage) Update(msg tea.Msg) (page, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return f, nil
	}
	switch {
	case key.Matches(km, f.c.keys.Next):
		return f, func() tea.Msg { return quitMsg{done: true} }
	case key.Matches(km, f.c.keys.Back):
		return f, show(f.step)
	}
	return f, nil
}

func (f *finalPage) View() string {
	c, st, width := f.c, f.c.styles, f.width
	pl := f.c.plan()
	var b strings.Builder
	insecure := f.report != nil && !f.report.Secure()
	addr := ""
	if pl != nil {
		addr = pl.WithDefaults().Daemon.Address
	}
	if insecure {
		b.WriteString(styleLines(st.Fail, hang(wrap(c.T("ui.final.insecure", "Address", addr), width), 2)) + "\n\n")
	} else {
		b.WriteString(styleLines(st.OK, hang(wrap(c.T("ui.final.ok", "Address", addr), width), 2)) + "\n\n")
	}
	if f.report != nil {
		b.WriteString(reportView(st, c.cfg.Localizer, f.report, width) + "\n")
	} else if lines := eventLines(st, f.log, width); lines != "" {
		b.WriteString(lines + "\n")
	}
	if pl != nil {
		shell := wizard.DetectShell(f.c.cfg.Getenv("SHELL"))
		b.WriteString("\n" + st.Title.Render(c.T("ui.final.for_shell", "Shell", shell)) + "\n")
		b.WriteString(st.Code.Render(indent(envSnippet(f.c.cfg, pl.WithDefaults(), shell), "  ")) + "\n")
		b.WriteString("\n" + st.Title.Render(c.T("ui.final.next")) + "\n")
		arg := planArg(f.c)
		env := c.command("env", arg)
		load := "eval \"$(" + env + ")\""
		switch shell {
		case "fish":
			load = env + " | source"
		case "powershell":
			load = env + " | Invoke-Expression"
		case "cmd":
			load = env + " --shell cmd"
		}
		next := func(cmd, note string) {
			line := fmt.Sprintf("  %-36s %s", cmd, note)
			if lipgloss.Width(line) > width { // the note goes under the command
				line = "  " + cmd + "\n    " + note
			}
			b.WriteString(strings.Replace(line, note, st.Subtle.Render(note), 1) + "\n")
		}
		next(load, c.T("ui.final.sets_them"))
		if ctx := pl.Client.Context; ctx != "" {
			next("docker --context "+ctx+" ps", c.T("ui.final.without_vars"))
		}
		next(c.command("doctor", arg), c.T("ui.final.later"))
	}
	b.WriteString("\n" + c.T("ui.final.quits", "Enter", st.Accent.Render("enter")))
	return b.String()
}

// markProbes colours the ✓ and ✗ of a report's probe lines.
func markProbes(st Styles, s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "✓"):
			lines[i] = strings.Replace(l, "✓", st.OK.Render("✓"), 1)
		case strings.HasPrefix(t, "✗"):
			lines[i] = strings.Replace(l, "✗", st.Fail.Render("✗"), 1)
		}
	}
	return strings.Join(lines, "\n")
}

// envSnippet is what `dockertls env` prints for the user's shell, so it can
// be copied from the last screen.
func envSnippet(cfg Config, p *plan.Plan, shell string) string {
	v := wizard.EnvVars{Host: p.Daemon.Address}
	dir := strings.TrimSuffix(p.Client.CertDir, "/")
	home := cfg.Getenv("HOME")
	if dir != "~/.docker" && !(home != "" && p.Client.Target == plan.TargetLocal && dir == filepath.Join(home, ".docker")) {
		v.CertPath = p.Client.CertDir
	}
	env, err := wizard.RenderEnv(shell, v, false, nil)
	if err != nil {
		return cfg.Localizer.Error(err)
	}
	return strings.TrimRight(env, "\n")
}
