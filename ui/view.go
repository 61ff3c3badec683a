package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dockertls/dockertls/wizard"
)

// View draws the whole screen: a title line, the seven steps with their
// marks, the page (or a question, the topology, the quit confirmation), and
// the key help. It always fills exactly the terminal's height.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "dockertls"
	return v
}

func (m *Model) render() string {
	w := m.bodyWidth()
	header := m.headerView(w)
	bar := m.stepBar(w)
	footer := m.footerView(w)
	bodyH := m.bodyHeight()
	body, up, down := clip(m.bodyView(w), w, bodyH, m.scroll)
	if up || down {
		// leave room for a scroll hint on the last line
		body, up, down = clip(m.bodyView(w), w, bodyH-1, m.scroll)
		hint := ""
		switch {
		case up && down:
			hint = "↑↓ more · pgup/pgdn"
		case down:
			hint = "↓ more · pgdn"
		default:
			hint = "↑ more · pgup"
		}
		body += "\n" + m.styles.Subtle.Render(hint)
	}
	lines := strings.Count(body, "\n") + 1
	if lines < bodyH {
		body += strings.Repeat("\n", bodyH-lines)
	}
	return m.styles.App.Render(header + "\n" + bar + "\n\n" + body + "\n" + footer)
}

// bodyHeight is what is left for the page between header and help.
func (m *Model) bodyHeight() int {
	return max(3, m.height-3-lipgloss.Height(m.footerView(m.bodyWidth())))
}

func (m *Model) headerView(w int) string {
	left := m.styles.Header.Render("dockertls")
	switch m.page {
	case pageStart:
		left += " · mutual TLS for the Docker API"
	case pageOpen:
		left += " · open a plan"
	case pageLoad:
		left += " · " + m.spin.View()
	case pageDoctor:
		left += " · repair"
	case pageStep:
		left += " · " + wizard.StepTitle(m.step.name)
	case pageFinal:
		left += " · done"
	}
	right := ""
	if m.engine != nil {
		right = m.styles.Subtle.Render(filepath.Base(m.engine.Plan().Path))
	}
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return truncate(left, w)
	}
	return left + strings.Repeat(" ", gap) + right
}

// stepBar is the always-visible summary of the topology: one mark per step.
func (m *Model) stepBar(w int) string {
	st := m.styles
	sep := " "
	if w >= 90 {
		sep = "  "
	}
	var parts []string
	for _, n := range wizard.StepNames() {
		label := string(n)
		if m.page == pageStep && n == m.step.name {
			label = st.Accent.Render(label)
		} else {
			label = st.Subtle.Render(label)
		}
		parts = append(parts, st.mark(m.marks[n])+label)
	}
	return truncate(strings.Join(parts, sep), w)
}

func (m *Model) bodyView(w int) string {
	switch {
	case m.quitting:
		return m.styles.Danger.Width(w).Render(m.styles.Title.Render("Quit now?") + "\n\n" +
			wrap(m.quitReason(), w-4) + "\n\n" + m.styles.Key.Render("y") + " quit · " + m.styles.Key.Render("n/esc") + " stay")
	case m.ask != nil:
		return m.ask.view(m.styles, w)
	case m.showTopo:
		return m.styles.Title.Render("Where each file lives") + "\n\n" + topologyView(m.styles, m.plan(), m.marks, w)
	}
	var s string
	switch m.page {
	case pageStart:
		s = m.startView(w)
	case pageOpen:
		s = m.openView(w)
	case pageLoad:
		s = m.spin.View() + " " + m.load
	case pageDoctor:
		s = m.doctorView(w)
	case pageStep:
		s = m.stepView(w)
	case pageFinal:
		s = m.finalView(w)
	}
	if m.notice != "" {
		s += "\n\n" + m.styles.Warn.Render(wrap(m.notice, w))
	}
	return s
}

func (m *Model) quitReason() string {
	switch {
	case m.ask != nil:
		return "A step is waiting for your answer; quitting stops it. Files already written stay, and running the wizard again resumes at this step."
	case m.page == pageStep && m.step.phase == phaseRunning:
		return fmt.Sprintf("Step %s is running; quitting interrupts it. Remote files are backed up before they change, and running the wizard again resumes at this step.", m.step.name)
	default:
		return "The answers typed on this screen are not saved yet (they are saved when you press enter on the last field)."
	}
}

// footerView is the key help for the current screen (? for all of it).
func (m *Model) footerView(w int) string {
	h := m.helpKeys()
	m.help.ShowAll = m.showHelp
	// help's own truncation can overflow by an item: cut to the width.
	lines := strings.Split(m.help.View(h), "\n")
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = truncate(l, w)
		}
	}
	return strings.Join(lines, "\n")
}

func (m *Model) helpKeys() helpKeys {
	k := m.keys
	quit, helpKey, topo := k.Quit, k.Help, k.Topology
	if m.typing() {
		topo = key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "topology"))
	}
	// Short help: the screen's own keys, then help and quit, then the
	// topology (dropped first when the line is too narrow).
	nav := func(short ...key.Binding) helpKeys {
		own := short
		short = append(append([]key.Binding{}, own...), helpKey, quit, topo)
		return helpKeys{short: short, full: [][]key.Binding{own, {topo, k.PageUp, helpKey, quit}}}
	}
	choose := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose"))
	bind := func(keys, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, help))
	}
	switch {
	case m.quitting:
		return helpKeys{short: []key.Binding{bind("y", "quit"), bind("n", "stay")}}
	case m.ask != nil:
		switch m.ask.q.kind {
		case askHostKey:
			return helpKeys{short: []key.Binding{bind("y", "trust"), bind("n", "refuse"), quit}}
		case askConfirm:
			return helpKeys{short: []key.Binding{bind("y", "make the changes"), bind("n", "cancel"), k.PageUp, quit}}
		}
		return helpKeys{short: []key.Binding{bind("enter", "send"), bind("esc", "cancel"), quit}}
	case m.showTopo:
		return helpKeys{short: []key.Binding{bind("esc", "close"), quit}}
	}
	switch m.page {
	case pageStart:
		h := nav(choose, bind("enter", "select"))
		// The digits are a shortcut: full help only, so the short line
		// keeps room for the topology key at 80 columns.
		direct := key.NewBinding(key.WithKeys("1", "2", "3"), key.WithHelp("1-3", "choose directly"))
		h.full[0] = append(h.full[0], direct)
		return h
	case pageOpen:
		return nav(bind("enter", "open"), k.Back)
	case pageLoad:
		return helpKeys{short: []key.Binding{quit}}
	case pageDoctor:
		return nav(choose, bind("enter", "open its step"), bind("r", "doctor again"), k.Back)
	case pageFinal:
		return nav(bind("enter", "quit"), k.Back)
	}
	switch m.step.phase {
	case phaseForm:
		fields := bind("tab", "next field")
		fields.SetHelp("tab/shift+tab", "field")
		h := nav(bind("enter", "next"), fields, k.Back)
		if f := m.step.form.focused(); f != nil && f.spec.options != nil {
			h = nav(k.Left, bind("enter", "next"), fields, k.Back)
		}
		return h
	case phaseDescribe:
		if m.step.descErr != nil {
			return nav(k.Retry, k.Back)
		}
		return nav(bind("enter", "run"), k.Commands, k.Back)
	case phaseRunning:
		return helpKeys{short: []key.Binding{topo, quit}}
	case phaseResult:
		return nav(bind("enter", "next step"), k.Back)
	default:
		return nav(k.Retry, k.Back)
	}
}
