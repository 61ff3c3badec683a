package wizard

import (
	"context"
	"slices"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/plan"
)

// Runner runs the steps of one plan against one Session. It implements
// Engine for the TUI and is what the headless commands use.
type Runner struct {
	session *Session
	steps   map[StepName]Step
}

// NewEngine is the wizard engine for a plan: the seven steps run against a
// Session that connects hosts lazily. The result is a *Runner.
func NewEngine(pl *plan.Plan, p Prompter, opts Options) Engine {
	return NewRunner(pl, p, opts)
}

// NewRunner is NewEngine with its concrete type, for callers that want Run,
// Fix and the Session.
func NewRunner(pl *plan.Plan, p Prompter, opts Options) *Runner {
	return newRunnerWith(NewSession(pl, p, opts), allSteps())
}

func newRunnerWith(s *Session, steps []Step) *Runner {
	r := &Runner{session: s, steps: map[StepName]Step{}}
	for _, st := range steps {
		r.steps[st.Name()] = st
	}
	return r
}

// Session is the run's session (plan, hosts, prompter).
func (r *Runner) Session() *Session { return r.session }

// Steps lists the steps with their titles, in order.
func (r *Runner) Steps() []StepInfo { return Steps(r.session.Options.Localizer) }

// Plan is a copy of the plan being worked on (see Session.Plan).
func (r *Runner) Plan() *plan.Plan { return r.session.Plan() }

// UpdatePlan changes the plan (see Session.UpdatePlan).
func (r *Runner) UpdatePlan(change func(*plan.Plan) error) error {
	return r.session.UpdatePlan(change)
}

// SavePlan writes the plan back to its file (Plan.Path).
func (r *Runner) SavePlan() error { return r.session.SavePlan() }

func (r *Runner) step(name StepName) (Step, error) {
	st, ok := r.steps[name]
	if !ok {
		_, err := ParseStepName(string(name))
		if err == nil {
			err = i18n.Errorf("wizard.step.not_available", "Step", name)
		}
		return nil, err
	}
	return st, nil
}

// Check runs one step's Check.
func (r *Runner) Check(ctx context.Context, name StepName) []Finding {
	st, err := r.step(name)
	if err != nil {
		return []Finding{{Step: name, Status: StatusFail, Code: "unknown-step", Message: r.session.Error(err)}}
	}
	return st.Check(ctx, r.session)
}

// Describe runs one step's Describe.
func (r *Runner) Describe(ctx context.Context, name StepName) (Description, error) {
	st, err := r.step(name)
	if err != nil {
		return Description{}, err
	}
	return st.Describe(ctx, r.session)
}

// Apply runs one step, framed by a Start and a Done/Skipped/Failed event.
func (r *Runner) Apply(ctx context.Context, name StepName, emit func(Event)) error {
	st, err := r.step(name)
	if err != nil {
		return err
	}
	if emit == nil {
		emit = func(Event) {}
	}
	if !r.session.isPlanned(name) {
		// A single step applied on its own (the TUI's "run this step").
		r.session.setPlanned([]StepName{name})
		defer r.session.setPlanned(nil)
	}
	emit(Event{Step: name, Kind: EventStart, Message: r.session.title(name)})
	finished := false
	err = st.Apply(ctx, r.session, func(e Event) {
		if e.Step == "" {
			e.Step = name
		}
		if e.Kind == EventDone || e.Kind == EventSkipped || e.Kind == EventFailed {
			finished = true
		}
		emit(e)
	})
	switch {
	case err != nil:
		emit(Event{Step: name, Kind: EventFailed, Err: err})
	case !finished:
		emit(Event{Step: name, Kind: EventDone, Message: r.session.T("step.done")})
	}
	return err
}

// Run applies the named steps in the order of StepNames (whatever order they
// were given in), stopping at the first failure. No names means all steps.
func (r *Runner) Run(ctx context.Context, names []StepName, emit func(Event)) error {
	order := OrderSteps(names)
	r.session.setPlanned(order)
	defer r.session.setPlanned(nil)
	wait := r.session.prefetchDaemon(ctx, order)
	defer wait()
	for _, n := range order {
		if err := ctx.Err(); err != nil {
			return i18n.Errorf("wizard.step.stopped_before", "Step", n, "Err", err)
		}
		if err := r.Apply(ctx, n, emit); err != nil {
			return i18n.Errorf("wizard.step.failed", "Step", n, "Err", err)
		}
	}
	return nil
}

// OrderSteps returns the given steps once each in run order; none means all.
func OrderSteps(names []StepName) []StepName {
	if len(names) == 0 {
		return StepNames()
	}
	var out []StepName
	for _, n := range StepNames() {
		if slices.Contains(names, n) {
			out = append(out, n)
		}
	}
	return out
}

// Close closes every connection the run opened.
func (r *Runner) Close() error { return r.session.Close() }

func (s *Session) setPlanned(names []StepName) {
	s.mu.Lock()
	s.planned = names
	s.mu.Unlock()
}

func (s *Session) isPlanned(name StepName) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.planned, name)
}
