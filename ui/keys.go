package ui

import (
	"charm.land/bubbles/v2/key"

	"github.com/dockertls/dockertls/internal/i18n"
)

// KeyMap is every binding of the wizard. The root model enables the ones
// that mean something on the current screen, so that help shows only those.
type KeyMap struct {
	Up        key.Binding
	Down      key.Binding
	Left      key.Binding
	Right     key.Binding
	Next      key.Binding // enter
	Back      key.Binding // esc
	Tab       key.Binding
	ShiftTab  key.Binding
	Yes       key.Binding
	No        key.Binding
	Commands  key.Binding // toggle the manual commands
	Topology  key.Binding // toggle the topology picture
	Retry     key.Binding
	Edit      key.Binding
	Reconnect key.Binding // gather the node's names again (after a refused host key) // jump to the answer that fixes a failure
	Save      key.Binding // write the manual commands to a script
	Skip      key.Binding
	PageUp    key.Binding
	PageDown  key.Binding
	Help      key.Binding
	Quit      key.Binding
}

// DefaultKeyMap returns the wizard's bindings, their help in l's language.
func DefaultKeyMap(l *i18n.Localizer) KeyMap {
	return KeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", l.T("ui.key.up"))),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", l.T("ui.key.down"))),
		Left:      key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", l.T("ui.key.change_choice"))),
		Right:     key.NewBinding(key.WithKeys("right")),
		Next:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", l.T("ui.key.next"))),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", l.T("ui.key.back"))),
		Tab:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", l.T("ui.key.next_field"))),
		ShiftTab:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", l.T("ui.key.previous_field"))),
		Yes:       key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", l.T("ui.key.yes"))),
		No:        key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", l.T("ui.key.no"))),
		Commands:  key.NewBinding(key.WithKeys("m"), key.WithHelp("m", l.T("ui.key.commands"))),
		Topology:  key.NewBinding(key.WithKeys("t", "ctrl+t"), key.WithHelp("t", l.T("ui.key.topology"))),
		Retry:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", l.T("ui.key.retry"))),
		Edit:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", l.T("ui.key.edit"))),
		Reconnect: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", l.T("ui.key.reconnect"))),
		Save:      key.NewBinding(key.WithKeys("w"), key.WithHelp("w", l.T("ui.key.save"))),
		Skip:      key.NewBinding(key.WithKeys("s"), key.WithHelp("s", l.T("ui.key.skip"))),
		PageUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", l.T("ui.key.scroll"))),
		PageDown:  key.NewBinding(key.WithKeys("pgdown")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", l.T("ui.key.help"))),
		Quit:      key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", l.T("ui.key.quit"))),
	}
}
