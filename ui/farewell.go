package ui

import "fmt"

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
	return fmt.Sprintf("dockertls: the daemon at %s answers over mutual TLS.\n"+
		"  this shell:  eval \"$(dockertls env%s)\"\n"+
		"  then:        docker version\n", f.c.plan().WithDefaults().Daemon.Address, arg)
}

// Farewell in the middle of a step: where the answers are and how to go on.
func (s *stepPage) Farewell(arg string) string {
	path := s.c.plan().Path
	if !s.c.cfg.FileExists(path) {
		return fmt.Sprintf("dockertls: stopped at step %d of 7 (%s); nothing was saved yet.\n", s.idx+1, s.name)
	}
	return fmt.Sprintf("dockertls: stopped at step %d of 7 (%s); answers saved in %s\n"+
		"  go on:     dockertls wizard%s\n"+
		"  headless:  dockertls apply%s --yes\n",
		s.idx+1, s.name, relToWD(path), arg, arg)
}

// Farewell on doctor's list: how to check again or repair headless.
func (d *doctorPage) Farewell(arg string) string {
	return fmt.Sprintf("dockertls: left the repair list.\n"+
		"  check again:  dockertls doctor%s\n"+
		"  repair:       dockertls doctor%s --fix --yes\n", arg, arg)
}

// planArg is " -f PLAN" for the commands the wizard suggests, or "" when
// the plan is ./dockertls.yaml (the commands' default): what a user would
// type in the directory they started the wizard in.
func planArg(c *shared) string {
	path := c.cfg.PlanPath
	if p := c.plan(); p != nil && p.Path != "" {
		path = p.Path
	}
	if name := relToWD(path); name != DefaultPlanPath {
		return " -f " + quoteArg(name)
	}
	return ""
}
