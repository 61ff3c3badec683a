package ui

import "charm.land/bubbles/v2/key"

// KeyMap is every binding of the wizard. The root model enables the ones
// that mean something on the current screen, so that help shows only those.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	Left     key.Binding
	Right    key.Binding
	Next     key.Binding // enter
	Back     key.Binding // esc
	Tab      key.Binding
	ShiftTab key.Binding
	Yes      key.Binding
	No       key.Binding
	Commands key.Binding // toggle the manual commands
	Topology key.Binding // toggle the topology picture
	Retry    key.Binding
	Edit     key.Binding // jump to the answer that fixes a failure
	Save     key.Binding // write the manual commands to a script
	Skip     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Help     key.Binding
	Quit     key.Binding
}

// DefaultKeyMap returns the wizard's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Left:     key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "change choice")),
		Right:    key.NewBinding(key.WithKeys("right")),
		Next:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Tab:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		ShiftTab: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Yes:      key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:       key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", "no")),
		Commands: key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "manual commands")),
		Topology: key.NewBinding(key.WithKeys("t", "ctrl+t"), key.WithHelp("t", "topology")),
		Retry:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "change the answer")),
		Save:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write a script")),
		Skip:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "skip step")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", "scroll")),
		PageDown: key.NewBinding(key.WithKeys("pgdown")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}
