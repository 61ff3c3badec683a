package ui

import (
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/fix"
)

// Farewell is what to print on the normal screen once the wizard's full
// screen is gone: where the user stopped and the command that goes on from
// there, or, after the live test passed, how to use the result (the final
// screen's snippet disappears with the full screen). "" when nothing was
// started.
func (m *Model) Farewell() string {
	if p := m.plan(); p == nil || p.Path == "" {
		return ""
	}
	if f, ok := m.page.(farewellPage); ok {
		return f.Farewell(planArg(m.shared))
	}
	return ""
}

// Farewell after the live test: how to use the result in this shell.
func (f *finalPage) Farewell(arg string) string {
	return f.c.T("ui.farewell.done", "Address", f.c.plan().WithDefaults().Daemon.Address, "Arg", arg, "Cmd", f.c.cfg.Command)
}

// Farewell in the middle of a step: where the answers are and how to go on.
func (s *stepPage) Farewell(arg string) string {
	path := s.c.plan().Path
	if !s.c.cfg.FileExists(path) {
		return s.c.T("ui.farewell.stopped_unsaved", "N", s.idx+1, "Step", s.name)
	}
	return s.c.T("ui.farewell.stopped", "N", s.idx+1, "Step", s.name, "Path", relToWD(path), "Arg", arg, "Cmd", s.c.cfg.Command)
}

// Farewell on doctor's list: how to check again or repair headless.
func (d *doctorPage) Farewell(arg string) string {
	return d.c.T("ui.farewell.doctor", "Arg", arg, "Cmd", d.c.cfg.Command)
}

// command is a dockertls command line as the user runs it: the program as
// they start it (Config.Command), the subcommand, the rest.
func (c *shared) command(sub, rest string) string {
	return c.cfg.Command + " " + sub + rest
}

// planArg is " -f PLAN" for the commands the wizard suggests, or "" when
// the plan is ./dockertls.yaml (the commands' default): what a user would
// type in the directory they started the wizard in.
func planArg(c *shared) string { return c.fixes().PlanArg() }

// fixes shows dockertls commands for this plan in the user's shell, the
// way the engine shows the fixes of its findings (package fix).
func (c *shared) fixes() fix.Renderer {
	path := c.cfg.PlanPath
	if p := c.plan(); p != nil && p.Path != "" {
		path = p.Path
	}
	return fix.For(path, wizard.DetectShell(c.cfg.Getenv("SHELL")))
}
