package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// Update routes a message: sizes and colours, spinner ticks only while the
// engine works, the engine's results, Events and questions, then keys.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(m.bodyWidth())
		m.step.form.setWidth(m.bodyWidth())
		return m, nil
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
		return m, nil
	case spinner.TickMsg:
		if !m.busy {
			m.spinOn = false // let the tick chain end: idle costs nothing
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case inboxMsg:
		cmd := m.fromInbox(msg.msg)
		return m, tea.Batch(cmd, m.listen())
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case tea.PasteMsg:
		switch {
		case m.ask != nil:
			return m, m.ask.paste(msg)
		case m.page == pageStep && m.step.phase == phaseForm:
			return m, m.step.form.paste(msg)
		case m.page == pageOpen:
			var cmd tea.Cmd
			m.open.input, cmd = m.open.input.Update(msg)
			return m, cmd
		}
		return m, nil
	case openedMsg:
		return m, m.onOpened(msg)
	case checkedMsg:
		return m, m.onChecked(msg)
	case doctorMsg:
		m.onDoctor(msg)
		return m, nil
	case describedMsg:
		m.busy = false
		if m.page == pageStep && m.step.name == msg.step && m.step.phase == phaseDescribe {
			if msg.err != nil {
				m.step.descErr = msg.err
			} else {
				d := msg.desc
				m.step.desc = &d
			}
		}
		return m, nil
	case sansMsg:
		m.busy = false
		m.onSANs(msg)
		return m, nil
	}
	return m, nil
}

// fromInbox handles what running steps and the Prompter sent.
func (m *Model) fromInbox(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case eventMsg:
		m.onEvent(msg.ev)
	case applyDoneMsg:
		return m.onApplied(msg)
	case askMsg:
		m.ask = newAskView(msg, m.styles)
		m.scroll = 0
	}
	return nil
}

// answer sends the user's reply to the waiting step and closes the question.
func (m *Model) answer(a answer) {
	m.ask.q.reply <- a // buffered: never blocks
	m.ask = nil
	m.scroll = 0
}

// workAtRisk tells whether quitting now would lose something: a step is
// running, or answers were typed that are not in the plan yet.
func (m *Model) workAtRisk() bool {
	return m.busy && m.page == pageStep && m.step.phase == phaseRunning ||
		m.ask != nil ||
		m.page == pageStep && m.step.phase == phaseForm && m.step.form.touched
}

func (m *Model) quit() tea.Cmd {
	m.aborted = m.page != pageFinal
	m.cancel()
	if m.ask != nil { // release the step that waits for the answer
		m.answer(answer{cancel: true})
	}
	return tea.Quit
}

// typing tells whether keys go into a text field, so letters are text.
func (m *Model) typing() bool {
	if m.ask != nil {
		return m.ask.hasInput()
	}
	switch m.page {
	case pageOpen:
		return true
	case pageStep:
		if m.step.phase == phaseForm {
			f := m.step.form.focused()
			return f != nil && f.spec.options == nil
		}
	}
	return false
}

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	m.notice = ""
	if key.Matches(msg, k.Quit) {
		if m.quitting || !m.workAtRisk() {
			return m.quit()
		}
		m.quitting = true
		return nil
	}
	if m.quitting {
		switch {
		case key.Matches(msg, k.Yes):
			return m.quit()
		case key.Matches(msg, k.No), key.Matches(msg, k.Back):
			m.quitting = false
		}
		return nil
	}
	if m.ask != nil {
		if !m.ask.hasInput() && m.scrollKey(msg) {
			return nil
		}
		a, cmd := m.ask.update(msg, k)
		if a != nil {
			m.answer(*a)
		}
		return cmd
	}
	if m.scrollKey(msg) {
		return nil
	}
	typing := m.typing()
	if key.Matches(msg, k.Help) && (!typing || m.page == pageStep) {
		m.showHelp = !m.showHelp
		return nil
	}
	if msg.String() == "ctrl+t" || (!typing && key.Matches(msg, k.Topology)) {
		m.showTopo = !m.showTopo
		m.scroll = 0
		return nil
	}
	if m.showTopo {
		if key.Matches(msg, k.Back) || key.Matches(msg, k.Next) {
			m.showTopo = false
		}
		return nil
	}
	switch m.page {
	case pageStart:
		return m.startKey(msg)
	case pageOpen:
		return m.openKey(msg)
	case pageDoctor:
		return m.doctorKey(msg)
	case pageStep:
		return m.stepKey(msg)
	case pageFinal:
		if key.Matches(msg, k.Next) {
			return m.quit()
		}
		if key.Matches(msg, k.Back) {
			m.page = pageStep
		}
	}
	return nil
}

// scrollKey moves the body with pgup/pgdn.
func (m *Model) scrollKey(msg tea.KeyPressMsg) bool {
	page := max(1, m.bodyHeight()-2)
	switch {
	case key.Matches(msg, m.keys.PageDown):
		m.scroll += page
	case key.Matches(msg, m.keys.PageUp):
		m.scroll = max(0, m.scroll-page)
	default:
		return false
	}
	return true
}

func (m *Model) startKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	n := len(m.startItems())
	switch {
	case key.Matches(msg, k.Up), key.Matches(msg, k.ShiftTab):
		m.start.cursor = (m.start.cursor + n - 1) % n
	case key.Matches(msg, k.Down), key.Matches(msg, k.Tab):
		m.start.cursor = (m.start.cursor + 1) % n
	case msg.String() >= "1" && msg.String() <= "3":
		m.start.cursor = int(msg.String()[0] - '1')
		return m.choose(startChoice(m.start.cursor))
	case key.Matches(msg, k.Next):
		return m.choose(startChoice(m.start.cursor))
	}
	return nil
}

func (m *Model) choose(c startChoice) tea.Cmd {
	m.start.err = nil
	switch c {
	case choiceOpen:
		m.page = pageOpen
		m.open = newOpenPage(m.cfg.PlanPath, m.styles)
		return nil
	case choiceRepair:
		if !m.cfg.FileExists(m.cfg.PlanPath) {
			m.start.err = fmt.Errorf("there is no plan at %s to repair: a repair starts from the plan of the setup; choose Open a plan file to pick it, or New setup to make one", m.cfg.PlanPath)
			return nil
		}
	}
	m.repair = c == choiceRepair
	return m.openPlan(m.cfg.PlanPath, c)
}

func (m *Model) openKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		m.page = pageStart
		return nil
	case key.Matches(msg, m.keys.Next):
		path := strings.TrimSpace(m.open.input.Value())
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			// a directory: its dockertls.yaml, the name a new setup uses
			path = filepath.Join(path, DefaultPlanPath)
			if !m.cfg.FileExists(path) {
				m.open.err = fmt.Errorf("%s is a directory without a %s in it: type the plan file's path", filepath.Dir(path), DefaultPlanPath)
				return nil
			}
		}
		switch {
		case path == "":
			m.open.err = errors.New("type the path of a plan file (YAML)")
		case !m.cfg.FileExists(path):
			m.open.err = fmt.Errorf("%s does not exist: check the path, or go back (esc) and choose New setup", path)
		default:
			m.open.err = nil
			m.cfg.PlanPath = path
			m.repair = false
			return m.openPlan(path, choiceOpen)
		}
		return nil
	}
	var cmd tea.Cmd
	m.open.input, cmd = m.open.input.Update(msg)
	return cmd
}

// openPlan loads the plan (or starts a new one), builds the engine for it,
// then continues as chosen: a fresh plan starts at step 1, an existing one
// is checked to resume at the first step not done, a repair runs doctor.
func (m *Model) openPlan(path string, c startChoice) tea.Cmd {
	m.page = pageLoad
	m.load = "Opening " + path + "…"
	cfg, pr := m.cfg, m.prompter
	return tea.Batch(m.startBusy(), func() tea.Msg {
		var p *plan.Plan
		fresh := c == choiceNew && !cfg.FileExists(path)
		if fresh {
			p = cfg.NewPlan()
			p.Path = path
		} else {
			var err error
			if p, err = cfg.LoadPlan(path); err != nil {
				return openedMsg{intent: c, err: err}
			}
		}
		e, err := cfg.NewEngine(p, pr)
		if err != nil {
			return openedMsg{intent: c, err: fmt.Errorf("cannot start the wizard engine for %s: %w", path, err)}
		}
		return openedMsg{engine: e, fresh: fresh, intent: c}
	})
}

func (m *Model) onOpened(msg openedMsg) tea.Cmd {
	m.busy = false
	if msg.err != nil {
		m.page = pageStart
		m.start.err = msg.err
		return nil
	}
	if m.engine != nil && m.engine != msg.engine {
		_ = m.engine.Close() // the previous plan's connections; nothing to report
	}
	m.engine = msg.engine
	m.prompter.setPassphraseEnv(m.engine.Plan().CA.PassphraseEnv)
	m.marks = map[wizard.StepName]mark{}
	switch {
	case msg.intent == choiceRepair:
		return tea.Batch(m.prewarm(), m.runDoctor())
	case msg.fresh:
		return m.enterStep(0) // the key type is asked first; prewarm after it
	}
	m.page = pageLoad
	m.load = "Checking which steps are already done…"
	e, ctx := m.engine, m.ctx
	return tea.Batch(m.prewarm(), m.startBusy(), func() tea.Msg {
		out := map[wizard.StepName][]wizard.Finding{}
		for _, n := range wizard.StepNames() {
			out[n] = e.Check(ctx, n)
		}
		return checkedMsg{findings: out}
	})
}

func (m *Model) onChecked(msg checkedMsg) tea.Cmd {
	m.busy = false
	first := -1
	for i, n := range wizard.StepNames() {
		m.marks[n] = markOf(msg.findings[n])
		if first < 0 && m.marks[n] != markOK {
			first = i
		}
	}
	if first < 0 {
		first = len(wizard.StepNames()) - 1 // all done: show the live test again
	}
	return m.enterStep(first)
}

func (m *Model) doctorKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	d := &m.doctor
	switch {
	case key.Matches(msg, k.Up):
		if d.cursor > 0 {
			d.cursor--
		}
	case key.Matches(msg, k.Down):
		if d.cursor < len(d.findings)-1 {
			d.cursor++
		}
	case key.Matches(msg, k.Retry):
		return m.runDoctor()
	case key.Matches(msg, k.Back):
		m.repair = false
		m.page = pageStart
	case key.Matches(msg, k.Next):
		if len(d.findings) == 0 {
			return m.enterStep(len(wizard.StepNames()) - 1)
		}
		step := d.findings[d.cursor].Step
		for i, n := range wizard.StepNames() {
			if n == step {
				return m.enterStep(i)
			}
		}
	}
	return nil
}

func (m *Model) stepKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	s := &m.step
	switch s.phase {
	case phaseForm:
		if key.Matches(msg, k.Back) {
			return m.back()
		}
		res, left, cmd := s.form.update(msg, k)
		switch res {
		case formLeftField:
			return tea.Batch(cmd, m.afterField(left))
		case formSubmit:
			return m.submitForm()
		}
		return cmd
	case phaseDescribe:
		switch {
		case key.Matches(msg, k.Back):
			return m.back()
		case key.Matches(msg, k.Commands):
			s.commands = !s.commands
		case key.Matches(msg, k.Retry) && s.descErr != nil:
			return m.describe()
		case key.Matches(msg, k.Next) && s.desc != nil:
			return m.apply()
		}
	case phaseResult:
		switch {
		case key.Matches(msg, k.Next):
			return m.next()
		case key.Matches(msg, k.Back):
			return m.back()
		}
	case phaseFailed:
		switch {
		case key.Matches(msg, k.Retry):
			return m.apply()
		case key.Matches(msg, k.Back):
			return m.back()
		}
	}
	return nil
}
