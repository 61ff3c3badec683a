// Package ui is the dockertls wizard in the terminal (Bubble Tea v2). It adds
// no logic of its own: it asks for the plan's answers, shows what each step
// of package wizard will do, runs it through wizard.Engine, renders its
// Events and Findings, and answers the engine's questions (Prompter).
//
// The root Model routes; each screen is a page (page.go) with its own
// Update, View, SetSize and help bindings. Pages move to other pages by
// returning a pageMsg; the root knows none of their internals.
package ui

import (
	"context"
	"io"
	"os"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// DefaultPlanPath is where a new setup saves its answers when no -f is given.
const DefaultPlanPath = "dockertls.yaml"

// Config connects the wizard to the engine. cmd/dockertls fills it with
// package wizard's constructors; tests with fakes.
type Config struct {
	// PlanPath is the plan file (-f); empty means DefaultPlanPath.
	PlanPath string
	// NewPlan returns a plan with nothing answered yet. Keep it sparse
	// (&plan.Plan{}): empty answers show their defaults as placeholders and
	// derived defaults (leaf key types, address from the SANs) follow the
	// user's answers instead of being frozen at creation.
	NewPlan func() *plan.Plan
	// LoadPlan reads a plan file.
	LoadPlan func(path string) (*plan.Plan, error)
	// NewEngine builds the engine for plan; it asks through p. The engine
	// owns the plan from then on: the wizard reads it through Plan (a
	// snapshot) and changes it through UpdatePlan.
	NewEngine func(plan *plan.Plan, p wizard.Prompter) (wizard.Engine, error)
	// Getenv reads the environment (os.Getenv when nil): NO_COLOR, SHELL,
	// HOME. Secrets from the environment are the engine's (wizard.EnvSecrets).
	Getenv func(string) string
	// FileExists tells whether a plan file is there (os.Stat when nil).
	FileExists func(path string) bool
	// StepText is the introduction shown above a step's answers
	// (StepIntro, from assets, when nil).
	StepText func(wizard.StepName) string
	// Command is how the user runs dockertls, for the commands the wizard
	// suggests: "dockertls" (the default) when it is on PATH, else the path
	// they typed (./bin/dockertls).
	Command string
	// Out receives, after the full screen is gone, where the user stopped
	// and how to go on (see Model.Farewell); nothing is printed when nil.
	Out io.Writer
	// Localizer is the language of every word on screen (nil: English).
	Localizer *i18n.Localizer
	// Discover reads a daemon node over SSH and describes it as a plan
	// (wizard.Discover): Repair without a plan asks for the node and
	// writes that plan. Nil: the wizard names doctor --ssh instead.
	Discover DiscoverFunc
	// Practice, when set, lets the start screen offer a throwaway practice
	// daemon on this machine while no plan exists (dockertls practice up).
	Practice *PracticeHook
}

// PracticeHook is `dockertls practice up` for the wizard: cmd/dockertls
// sets it, so ui does not start daemons itself.
type PracticeHook struct {
	// Dir is the practice directory, for `practice down --dir DIR`.
	Dir string
	// Up starts the practice daemon (or finds it running) and returns the
	// plan it wrote; its error says plainly what the machine lacks.
	Up func(ctx context.Context) (planPath string, err error)
}

// shared is what every page reads and the root keeps up to date: the
// engine, the look, the running work, the steps' marks. Pages hold a
// pointer to it; only the Bubble Tea goroutine touches it.
type shared struct {
	cfg    Config
	ctx    context.Context
	inbox  chan tea.Msg
	done   chan struct{}
	engine wizard.Engine
	// prompter answers the engine's questions through this model.
	prompter *Prompter
	styles   Styles
	keys     KeyMap
	spin     spinner.Model
	marks    map[wizard.StepName]mark
	busy     bool // an engine call runs; the spinner turns only then
	spinOn   bool // a spinner tick is in flight
	repair   bool // the step was chosen from doctor's list: go back there after
	scroll   int  // body scroll offset (pgup/pgdn); pages reset it
	width    int  // the terminal's
	height   int
}

// startBusy marks an engine call as running and starts the spinner.
func (c *shared) startBusy() tea.Cmd {
	c.busy = true
	if c.spinOn {
		return nil
	}
	c.spinOn = true
	return c.spin.Tick
}

// plan is a snapshot of the engine's plan (nil before one is open): read
// it freely, change the plan only through updatePlan.
func (c *shared) plan() *plan.Plan {
	if c.engine == nil {
		return nil
	}
	return c.engine.Plan()
}

// updatePlan changes the engine's plan; the engine serialises it with the
// steps that read it.
func (c *shared) updatePlan(change func(*plan.Plan) error) error {
	return c.engine.UpdatePlan(change)
}

func (c *shared) bodyWidth() int { return max(20, c.width-2) }

// T is a message in the user's language (see internal/i18n).
func (c *shared) T(id string, kv ...any) string { return c.cfg.Localizer.T(id, kv...) }

// Error is err in the user's language.
func (c *shared) Error(err error) string { return c.cfg.Localizer.Error(err) }

// Model is the root model: one page at a time, plus overlays (a question
// of the engine, the topology picture, help, the quit confirmation).
type Model struct {
	*shared
	cancel context.CancelFunc

	help     help.Model
	noColor  bool
	page     page
	ask      *askView // a question from the engine, shown over the page
	showHelp bool
	showTopo bool
	quitting bool // "quit now?" is shown
	aborted  bool // the user quit before the end

	// manualInbox: tests feed the inbox to Update themselves instead of
	// a listening tea.Cmd (which would race them for the messages).
	manualInbox bool
}

// New builds the wizard. Run it with tea.NewProgram(m).Run(), then call
// m.Close(); or use Run.
func New(cfg Config) *Model {
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.FileExists == nil {
		cfg.FileExists = func(p string) bool { _, err := os.Stat(p); return err == nil }
	}
	if cfg.StepText == nil {
		l := cfg.Localizer
		cfg.StepText = func(s wizard.StepName) string { return StepIntro(l, s) }
	}
	if cfg.PlanPath == "" {
		cfg.PlanPath = DefaultPlanPath
	}
	if cfg.Command == "" {
		cfg.Command = "dockertls"
	}
	ctx, cancel := context.WithCancel(context.Background())
	inbox := make(chan tea.Msg, 64)
	done := make(chan struct{})
	c := &shared{
		cfg:      cfg,
		ctx:      ctx,
		inbox:    inbox,
		done:     done,
		keys:     DefaultKeyMap(cfg.Localizer),
		spin:     spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		width:    80,
		height:   24,
		marks:    map[wizard.StepName]mark{},
		prompter: &Prompter{inbox: inbox, done: done, l: cfg.Localizer},
	}
	m := &Model{
		shared:  c,
		cancel:  cancel,
		help:    help.New(),
		noColor: cfg.Getenv("NO_COLOR") != "",
	}
	m.setStyles(true)
	m.page = newStartPage(c, choiceNew, nil)
	return m
}

// Prompter is the wizard.Prompter that shows its questions in this model.
func (m *Model) Prompter() *Prompter { return m.prompter }

// Aborted tells whether the user quit before the live test passed.
func (m *Model) Aborted() bool { return m.aborted }

// Close ends every running step and question and closes the engine.
// Call it once, after the program has returned.
func (m *Model) Close() error {
	m.cancel()
	select {
	case <-m.done:
	default:
		close(m.done)
	}
	if m.engine != nil {
		return m.engine.Close()
	}
	return nil
}

func (m *Model) setStyles(isDark bool) {
	m.styles = NewStyles(isDark, m.noColor)
	m.help.Styles = m.styles.Help
	m.spin.Style = m.styles.Accent
	if m.ask != nil {
		m.ask.applyStyles(m.styles)
	}
}

// Init asks the terminal for its background colour and starts listening
// for Events and questions. Nothing ticks until work runs.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.listen())
}

func (m *Model) listen() tea.Cmd {
	if m.manualInbox {
		return nil
	}
	return listen(m.inbox, m.done)
}

// listen waits for the next message from running steps and the Prompter.
// A blocked receive costs no CPU.
func listen(inbox <-chan tea.Msg, done <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case msg := <-inbox:
			return inboxMsg{msg}
		case <-done:
			return nil
		}
	}
}
