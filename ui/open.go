package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// loadPage waits for the engine (opening a plan, checking the steps,
// running doctor) with a spinner, then moves on to the page the result
// calls for.
type loadPage struct {
	c    *shared
	text string
	work tea.Cmd
}

func newLoadPage(c *shared, text string, work tea.Cmd) *loadPage {
	return &loadPage{c: c, text: text, work: work}
}

func (p *loadPage) Init() tea.Cmd             { return tea.Batch(p.c.startBusy(), p.work) }
func (p *loadPage) Title() string             { return p.c.spin.View() }
func (p *loadPage) SetSize(width, height int) {}
func (p *loadPage) View() string              { return p.c.spin.View() + " " + p.text }
func (p *loadPage) ShortHelp() []key.Binding  { return []key.Binding{p.c.keys.Quit} }
func (p *loadPage) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// openedMsg: a plan was loaded (or created) and an engine built for it.
type openedMsg struct {
	engine wizard.Engine
	fresh  bool // a new plan: nothing to check, start at the first step
	intent startChoice
	err    error
}

// checkedMsg carries every step's Check findings (resume).
type checkedMsg struct {
	findings map[wizard.StepName][]wizard.Finding
}

// doctorMsg carries the findings of Engine.Doctor.
type doctorMsg struct{ findings []wizard.Finding }

func (p *loadPage) Update(msg tea.Msg) (page, tea.Cmd) {
	c := p.c
	switch msg := msg.(type) {
	case openedMsg:
		c.busy = false
		if msg.err != nil {
			return p, show(newStartPage(c, msg.intent, msg.err))
		}
		if c.engine != nil && c.engine != msg.engine {
			_ = c.engine.Close() // the previous plan's connections; nothing to report
		}
		c.engine = msg.engine
		c.marks = map[wizard.StepName]mark{}
		switch {
		case msg.intent == choiceRepair:
			return p, tea.Batch(prewarm(c), runDoctor(c))
		case msg.fresh:
			return p, show(newStepPage(c, 0)) // the key type is asked first; prewarm after it
		}
		p.text = c.T("ui.open.checking")
		e, ctx := c.engine, c.ctx
		return p, tea.Batch(prewarm(c), c.startBusy(), func() tea.Msg {
			out := map[wizard.StepName][]wizard.Finding{}
			for _, n := range wizard.StepNames() {
				out[n] = e.Check(ctx, n)
			}
			return checkedMsg{findings: out}
		})
	case practiceMsg:
		c.busy = false
		if msg.err != nil {
			return p, show(newStartPage(c, choicePractice, msg.err))
		}
		c.cfg.PlanPath = msg.plan
		return p, openPlan(c, msg.plan, choicePractice)
	case checkedMsg:
		c.busy = false
		first := -1
		for i, n := range wizard.StepNames() {
			c.marks[n] = markOf(msg.findings[n])
			if first < 0 && c.marks[n] != markOK {
				first = i
			}
		}
		if first < 0 {
			first = len(wizard.StepNames()) - 1 // all done: show the live test again
		}
		return p, show(newStepPage(c, first))
	case doctorMsg:
		c.busy = false
		c.repair = true
		by := map[wizard.StepName][]wizard.Finding{}
		for _, f := range msg.findings {
			by[f.Step] = append(by[f.Step], f)
		}
		for _, n := range wizard.StepNames() {
			c.marks[n] = markOf(by[n])
		}
		return p, show(newDoctorPage(c, msg.findings))
	}
	return p, nil
}

// openPlan loads the plan (or starts a new one) and builds the engine for
// it, then continues as chosen: a fresh plan starts at step 1, an existing
// one is checked to resume at the first step not done, a repair runs doctor.
func openPlan(c *shared, path string, intent startChoice) tea.Cmd {
	c.repair = intent == choiceRepair
	cfg, pr := c.cfg, c.prompter
	return show(newLoadPage(c, c.T("tui.open.opening", "Path", path), func() tea.Msg {
		var pl *plan.Plan
		fresh := intent == choiceNew && !cfg.FileExists(path)
		if fresh {
			pl = cfg.NewPlan()
			pl.Path = path
		} else {
			var err error
			if pl, err = cfg.LoadPlan(path); err != nil {
				return openedMsg{intent: intent, err: err}
			}
		}
		e, err := cfg.NewEngine(pl, pr)
		if err != nil {
			return openedMsg{intent: intent, err: i18n.Errorf("tui.open.engine_failed", "Path", path, "Err", err)}
		}
		return openedMsg{engine: e, fresh: fresh, intent: intent}
	}))
}

// runDoctor checks every step and the live connection, then lists what
// doctor found.
func runDoctor(c *shared) tea.Cmd {
	e, ctx := c.engine, c.ctx
	return show(newLoadPage(c, c.T("ui.open.running_doctor"), func() tea.Msg {
		return doctorMsg{findings: e.Doctor(ctx)}
	}))
}

// Prewarmer is an Engine that can generate keys in the background as soon
// as the key type is known, so that the steps rarely wait for them.
type Prewarmer interface {
	Prewarm(ctx context.Context)
}

// prewarm lets the engine start generating keys while the user reads on.
func prewarm(c *shared) tea.Cmd {
	p, ok := c.engine.(Prewarmer)
	if !ok {
		return nil
	}
	ctx := c.ctx
	return func() tea.Msg {
		p.Prewarm(ctx)
		return nil
	}
}
