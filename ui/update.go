package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
)

// Update routes a message: sizes and colours, spinner ticks only while the
// engine works, questions of the engine, the wizard's own keys (quit, help,
// topology, scrolling), page changes; everything else goes to the page.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(m.bodyWidth())
		m.resize()
		return m, nil
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
		return m, m.toPage(stylesMsg{})
	case spinner.TickMsg:
		if !m.busy {
			m.spinOn = false // let the tick chain end: idle costs nothing
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case inboxMsg:
		var cmd tea.Cmd
		if q, ok := msg.msg.(askMsg); ok {
			m.ask = newAskView(q, m.styles, m.cfg.Localizer)
			m.scroll = 0
		} else {
			cmd = m.toPage(msg.msg)
		}
		return m, tea.Batch(cmd, m.listen())
	case pageMsg:
		m.page = msg.page
		m.scroll = 0
		m.showTopo = false
		m.resize()
		return m, m.page.Init()
	case quitMsg:
		return m, m.quit(msg.done)
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case tea.PasteMsg:
		if m.ask != nil {
			return m, m.ask.paste(msg)
		}
	}
	return m, m.toPage(msg)
}

// toPage hands a message to the page.
func (m *Model) toPage(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.page, cmd = m.page.Update(msg)
	return cmd
}

// resize gives the page the body's size.
func (m *Model) resize() {
	m.page.SetSize(m.bodyWidth(), m.bodyHeight())
}

// answer sends the user's reply to the waiting step and closes the question.
func (m *Model) answer(a answer) {
	m.ask.q.reply <- a // buffered: never blocks
	m.ask = nil
	m.scroll = 0
}

// riskReason says what quitting now would lose ("" when nothing): a
// question waits for its answer, or the page has work at risk.
func (m *Model) riskReason() string {
	if m.ask != nil {
		return m.T("ui.quit.waiting")
	}
	if r, ok := m.page.(riskyPage); ok {
		return r.AtRisk()
	}
	return ""
}

func (m *Model) quit(done bool) tea.Cmd {
	if f, ok := m.page.(finishedPage); ok && f.Finished() {
		done = true
	}
	m.aborted = !done
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
	t, ok := m.page.(typingPage)
	return ok && t.Typing()
}

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.Quit) {
		if m.quitting || m.riskReason() == "" {
			return m.quit(false)
		}
		m.quitting = true
		return nil
	}
	if m.quitting {
		switch {
		case key.Matches(msg, k.Yes):
			return m.quit(false)
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
	if key.Matches(msg, k.Help) && !m.questionMarkIsText() {
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
	return m.toPage(msg)
}

// questionMarkIsText: on a page where ? is typed (a path), it is not help.
func (m *Model) questionMarkIsText() bool {
	l, ok := m.page.(literalPage)
	return ok && l.TypesQuestionMark()
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
