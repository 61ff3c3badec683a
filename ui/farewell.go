package ui

import "fmt"

// Farewell is what to print on the normal screen once the wizard's full
// screen is gone: where the user stopped and the command that goes on from
// there, or, after the live test passed, how to use the result (the final
// screen's snippet disappears with the full screen). "" when nothing was
// started.
func (m *Model) Farewell() string {
	if m.engine == nil || m.engine.Plan() == nil {
		return ""
	}
	path := m.engine.Plan().Path
	if path == "" {
		return ""
	}
	arg := m.planArg()
	switch {
	case m.page == pageFinal:
		return fmt.Sprintf("dockertls: the daemon at %s answers over mutual TLS.\n"+
			"  this shell:  eval \"$(dockertls env%s)\"\n"+
			"  then:        docker version\n", m.engine.Plan().WithDefaults().Daemon.Address, arg)
	case m.page == pageStep && !m.cfg.FileExists(path):
		return fmt.Sprintf("dockertls: stopped at step %d of 7 (%s); nothing was saved yet.\n", m.step.idx+1, m.step.name)
	case m.page == pageStep:
		return fmt.Sprintf("dockertls: stopped at step %d of 7 (%s); answers saved in %s\n"+
			"  go on:     dockertls wizard%s\n"+
			"  headless:  dockertls apply%s --yes\n",
			m.step.idx+1, m.step.name, relToWD(path), arg, arg)
	case m.page == pageDoctor:
		return fmt.Sprintf("dockertls: left the repair list.\n"+
			"  check again:  dockertls doctor%s\n"+
			"  repair:       dockertls doctor%s --fix --yes\n", arg, arg)
	}
	return ""
}

// planArg is " -f PLAN" for the commands the wizard suggests, or "" when
// the plan is ./dockertls.yaml (the commands' default): what a user would
// type in the directory they started the wizard in.
func (m *Model) planArg() string {
	path := m.cfg.PlanPath
	if m.engine != nil && m.engine.Plan() != nil && m.engine.Plan().Path != "" {
		path = m.engine.Plan().Path
	}
	if name := relToWD(path); name != DefaultPlanPath {
		return " -f " + quoteArg(name)
	}
	return ""
}
