package ui

import (
	"path/filepath"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
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
			hint = m.T("ui.more.both")
		case down:
			hint = m.T("ui.more.down")
		default:
			hint = m.T("ui.more.up")
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
	left := m.styles.Header.Render("dockertls") + " · " + m.page.Title()
	right := ""
	if p := m.plan(); p != nil {
		right = m.styles.Subtle.Render(filepath.Base(p.Path))
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
	current := -1
	if s, ok := m.page.(stepView); ok {
		current = s.StepIndex()
	}
	var parts, short []string
	for i, n := range wizard.StepNames() {
		label, num := string(n), strconv.Itoa(i+1)
		if i == current {
			label, num = st.Accent.Render(label), st.Accent.Render(num)
		} else {
			label, num = st.Subtle.Render(label), st.Subtle.Render(num)
		}
		parts = append(parts, st.mark(m.marks[n])+label)
		short = append(short, st.mark(m.marks[n])+num)
	}
	if bar := strings.Join(parts, sep); lipgloss.Width(bar) <= w {
		return bar
	}
	// Too narrow for the names: every step's mark and number, then the
	// current step's name (no step is hidden).
	bar := strings.Join(short, " ")
	if current >= 0 {
		bar += "  " + st.Accent.Render(string(wizard.StepNames()[current]))
	}
	return truncate(bar, w)
}

func (m *Model) bodyView(w int) string {
	switch {
	case m.quitting:
		return m.styles.Danger.Width(w).Render(m.styles.Title.Render(m.T("ui.quit.title")) + "\n\n" +
			wrap(m.riskReason(), w-4) + "\n\n" + m.T("ui.quit.keys", "Y", m.styles.Key.Render("y"), "N", m.styles.Key.Render("n/esc")))
	case m.ask != nil:
		return m.ask.view(m.styles, w)
	case m.showTopo:
		return m.styles.Title.Render(m.T("ui.topology.title")) + "\n\n" + topologyView(m.styles, m.cfg.Localizer, m.plan(), m.marks, w)
	}
	s := m.page.View()
	if t, ok := m.page.(helpTextPage); ok && m.showHelp {
		if text := t.HelpText(); text != "" {
			s = m.styles.Box.Width(w).Render(wrap(text, w-4)) + "\n" + s
		}
	}
	return s
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

// helpKeys is the page's help, or the overlay's when one is shown.
func (m *Model) helpKeys() help.KeyMap {
	k := m.keys
	switch {
	case m.quitting:
		return helpKeys{short: []key.Binding{bind("y", m.T("ui.key.quit")), bind("n", m.T("ui.key.stay"))}}
	case m.ask != nil:
		return m.ask.helpKeys(k)
	case m.showTopo:
		return helpKeys{short: []key.Binding{bind("esc", m.T("ui.key.close")), k.Quit}}
	}
	return m.page
}
