package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
	"github.com/dockertls/dockertls/wizard/probe"
)

// finalPage is the end of the wizard: the live connection test's report
// (the Server block, the handshake, the probes with ✓/✗), the variables for
// the user's shell, and what to do next.
type finalPage struct {
	data any            // the verify step's Event.Data (*probe.Report)
	log  []wizard.Event // the verify step's Info/Warn events
}

// secureReport is what the final screen needs of verify's report.
type secureReport interface {
	Secure() bool
}

func (m *Model) finalView(width int) string {
	st := m.styles
	f := &m.final
	plan := m.plan()
	var b strings.Builder
	insecure := false
	if r, ok := f.data.(secureReport); ok && !r.Secure() {
		insecure = true
	}
	addr := ""
	if plan != nil {
		addr = plan.WithDefaults().Daemon.Address
	}
	if insecure {
		b.WriteString(st.Fail.Render("✗ INSECURE: the daemon at "+addr+" accepts clients it should refuse") + "\n\n")
	} else {
		b.WriteString(st.OK.Render("✓ The daemon at "+addr+" answers over mutual TLS") + "\n\n")
	}
	if r, ok := f.data.(*probe.Report); ok && r != nil {
		b.WriteString(reportView(st, r, width) + "\n")
	} else if s, ok := f.data.(fmt.Stringer); ok {
		b.WriteString(markProbes(st, wrapKeepIndent(strings.TrimRight(s.String(), "\n"), width)) + "\n")
	} else if lines := eventLines(st, f.log, width); lines != "" {
		b.WriteString(lines + "\n")
	}
	if plan != nil {
		shell := wizard.DetectShell(m.cfg.Getenv("SHELL"))
		b.WriteString("\n" + st.Title.Render("For your shell ("+shell+"):") + "\n")
		b.WriteString(st.Code.Render(indent(m.envSnippet(plan.WithDefaults(), shell), "  ")) + "\n")
		b.WriteString("\n" + st.Title.Render("Next:") + "\n")
		arg := m.planArg()
		load := "eval \"$(dockertls env" + arg + ")\""
		switch shell {
		case "fish":
			load = "dockertls env" + arg + " | source"
		case "powershell":
			load = "dockertls env" + arg + " | Invoke-Expression"
		case "cmd":
			load = "dockertls env" + arg + " --shell cmd"
		}
		b.WriteString(fmt.Sprintf("  %-36s %s\n", load, st.Subtle.Render("sets them; then: docker version")))
		if c := plan.Client.Context; c != "" {
			b.WriteString(fmt.Sprintf("  %-36s %s\n", "docker --context "+c+" ps", st.Subtle.Render("without the variables")))
		}
		b.WriteString(fmt.Sprintf("  %-36s %s\n", "dockertls doctor"+arg, st.Subtle.Render("later: warns before expiry")))
	}
	b.WriteString("\n" + st.Accent.Render("enter") + " quits")
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
func (m *Model) envSnippet(p *plan.Plan, shell string) string {
	v := wizard.EnvVars{Host: p.Daemon.Address}
	dir := strings.TrimSuffix(p.Client.CertDir, "/")
	home := m.cfg.Getenv("HOME")
	if dir != "~/.docker" && !(home != "" && p.Client.Target == plan.TargetLocal && dir == filepath.Join(home, ".docker")) {
		v.CertPath = p.Client.CertDir
	}
	return strings.TrimRight(wizard.RenderEnv(shell, v, false, ""), "\n")
}

// wrapKeepIndent wraps each line to width, continuing under the line's
// own indentation (plus two), so wrapped report lines stay in their block.
func wrapKeepIndent(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		ind := len(l) - len(strings.TrimLeft(l, " "))
		if ind > width/2 {
			ind = 0
		}
		lines[i] = hang(wrap(l, width), ind+2)
	}
	return strings.Join(lines, "\n")
}
