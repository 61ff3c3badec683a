package wizard

import (
	"github.com/dockertls/dockertls/wizard/fix"
)

// DefaultPlanFile is the plan every command reads when -f is not given.
const DefaultPlanFile = fix.DefaultPlanFile

// Renderer shows the dockertls commands of fixes for this plan (named as
// the user types it, left out for ./dockertls.yaml; one daemon of a plan
// with daemons: adds --daemon NAME) in the user's shell.
func (s *Session) Renderer() fix.Renderer {
	p := s.Plan()
	rd := fix.For(p.Path, DetectShell(s.getenv("SHELL")))
	rd.Daemon = p.FleetName()
	return rd
}

// Renderer shows the dockertls commands of this run's fixes.
func (r *Runner) Renderer() fix.Renderer { return r.session.Renderer() }

// say is words and dockertls commands rendered for this plan, for text
// that is a string (an error, an event, a description).
func (s *Session) say(parts ...any) string { return fix.New(parts...).Render(s.Renderer()) }

// applySteps is the command that runs these steps of the plan.
func applySteps(steps ...StepName) fix.Command {
	names := make([]string, len(steps))
	for i, st := range steps {
		names[i] = string(st)
	}
	return fix.Apply(names...)
}

// cmdText is a command as the message catalogs write it (-f PLAN), for a
// translated fix that tfix reads back into data.
func cmdText(c fix.Command) string { return fix.Renderer{Plan: "PLAN"}.Command(c) }

// tfix is a fix in the user's language: the catalog's text, its dockertls
// commands read into data (fix.Parse) to be rendered for this plan later.
func (s *Session) tfix(key string, kv ...any) fix.Text { return fix.Parse(s.T(key, kv...)) }

// Command is a dockertls command line for this plan, as text (for errors
// and events; findings keep fix.Text).
func (s *Session) Command(sub string, flags ...string) string {
	return s.say(fix.Run(sub, flags...))
}

// applyStep is the command line that runs one step of this plan, as text.
func (s *Session) applyStep(step StepName) string { return s.say(applySteps(step)) }

// PlanFlag is " -f PLAN" (and --daemon NAME) as the user types it, or "".
func (s *Session) PlanFlag() string { return s.Renderer().PlanArg() }
