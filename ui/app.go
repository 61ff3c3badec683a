// Package ui is the dockertls wizard in the terminal (Bubble Tea v2). It adds
// no logic of its own: it asks for the plan's answers, shows what each step
// of package wizard will do, runs it through wizard.Engine, renders its
// Events and Findings, and answers the engine's questions (Prompter).
package ui

import (
	"context"
	"io"
	"os"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

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
	// NewEngine builds the engine for plan; it asks through p.
	NewEngine func(pl *plan.Plan, p wizard.Prompter) (wizard.Engine, error)
	// Getenv reads the environment (os.Getenv when nil): NO_COLOR,
	// DOCKERTLS_SSH_PASSWORD, DOCKERTLS_SUDO_PASSWORD, the CA passphrase.
	Getenv func(string) string
	// FileExists tells whether a plan file is there (os.Stat when nil).
	FileExists func(path string) bool
	// StepText is the introduction shown above a step's answers
	// (StepIntro, from assets, when nil).
	StepText func(wizard.StepName) string
	// Out receives, after the full screen is gone, where the user stopped
	// and how to go on (see Model.Farewell); nothing is printed when nil.
	Out io.Writer
}

// page is the screen the wizard shows.
type page int

const (
	pageStart  page = iota // new setup / repair / open a plan file
	pageOpen               // typing a plan file's path
	pageLoad               // opening a plan, checking steps (spinner)
	pageDoctor             // repair: doctor's findings
	pageStep               // one of the seven steps
	pageFinal              // the live connection test passed: server, probes, env
)

// Model is the root model: one page at a time, plus overlays (a question
// of the engine, the topology picture, help, the quit confirmation).
type Model struct {
	cfg      Config
	ctx      context.Context
	cancel   context.CancelFunc
	inbox    chan tea.Msg
	done     chan struct{}
	prompter *Prompter
	engine   wizard.Engine

	styles  Styles
	keys    KeyMap
	help    help.Model
	spin    spinner.Model
	noColor bool
	width   int
	height  int
	scroll  int // body scroll offset (pgup/pgdn)

	page     page
	start    startPage
	open     openPage
	load     string // what pageLoad is waiting for
	doctor   doctorPage
	step     stepPage
	final    finalPage
	ask      *askView // a question from the engine, shown over the page
	showHelp bool
	showTopo bool
	quitting bool // "quit now?" is shown
	repair   bool // the step was chosen from doctor's list: go back there after

	marks   map[wizard.StepName]mark
	busy    bool   // an engine call runs; the spinner turns only then
	spinOn  bool   // a spinner tick is in flight
	notice  string // a one-line error not tied to a field (e.g. saving failed)
	aborted bool   // the user quit before the end

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
		cfg.StepText = StepIntro
	}
	if cfg.PlanPath == "" {
		cfg.PlanPath = DefaultPlanPath
	}
	ctx, cancel := context.WithCancel(context.Background())
	inbox := make(chan tea.Msg, 64)
	done := make(chan struct{})
	m := &Model{
		cfg:      cfg,
		ctx:      ctx,
		cancel:   cancel,
		inbox:    inbox,
		done:     done,
		prompter: &Prompter{inbox: inbox, done: done, getenv: cfg.Getenv},
		keys:     DefaultKeyMap(),
		help:     help.New(),
		spin:     spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		noColor:  cfg.Getenv("NO_COLOR") != "",
		width:    80,
		height:   24,
		marks:    map[wizard.StepName]mark{},
	}
	m.setStyles(true)
	m.start = newStartPage(cfg)
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
	if m.page == pageStep {
		m.step.form.applyStyles(m.styles)
	}
	m.open.applyStyles(m.styles)
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

// startBusy marks an engine call as running and starts the spinner.
func (m *Model) startBusy() tea.Cmd {
	m.busy = true
	if m.spinOn {
		return nil
	}
	m.spinOn = true
	return m.spin.Tick
}

func (m *Model) plan() *plan.Plan {
	if m.engine == nil {
		return nil
	}
	return m.engine.Plan()
}

func (m *Model) bodyWidth() int { return max(20, m.width-2) }
