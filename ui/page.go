package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// page is one screen of the wizard, as soft-serve's pages and huh's groups:
// it takes the messages meant for it (keys, pasted text, the results of the
// engine calls it started), draws itself at the size it was given, and
// lists its own key bindings for the help line. To show another screen it
// returns a command that yields a pageMsg.
type page interface {
	// Init starts what the page waits for when it is shown (nil: nothing).
	Init() tea.Cmd
	Update(msg tea.Msg) (page, tea.Cmd)
	// View is the page's body, width columns wide (see SetSize).
	View() string
	// SetSize is the body's size: the terminal minus header and help.
	SetSize(width, height int)
	// Title is what the header says after "dockertls · ".
	Title() string
	// ShortHelp and FullHelp are the page's bindings, the wizard's own
	// (help, quit, topology) included where they apply: see shared.nav.
	help.KeyMap
}

// Optional page behaviour the root asks about.
type (
	// typingPage: letters go into a text field, so t is text, not the
	// topology key (ctrl+t still is).
	typingPage interface{ Typing() bool }
	// literalPage: ? too is text (a path may contain it), not help.
	literalPage interface{ TypesQuestionMark() bool }
	// riskyPage: quitting now loses something; the reason says what
	// ("" when nothing would be lost).
	riskyPage interface{ AtRisk() string }
	// stepView: the page is one of the seven steps (the step bar
	// highlights it).
	stepView interface{ StepIndex() int }
	// helpTextPage: a paragraph shown with the full help (?), e.g. what
	// the focused field means and what it accepts.
	helpTextPage interface{ HelpText() string }
	// farewellPage: what to print on the normal screen when the wizard
	// quits on this page (see Model.Farewell).
	farewellPage interface{ Farewell(planArg string) string }
	// finishedPage: quitting here is not aborting (the setup is done).
	finishedPage interface{ Finished() bool }
)

// pageMsg replaces the current page.
type pageMsg struct{ page page }

// show is the command that replaces the current page with p.
func show(p page) tea.Cmd {
	return func() tea.Msg { return pageMsg{p} }
}

// quitMsg ends the wizard; done tells that the setup is complete.
type quitMsg struct{ done bool }

// stylesMsg tells pages that the Styles changed (a light terminal, NO_COLOR).
type stylesMsg struct{}

// helpKeys is the help.KeyMap of one screen: the bindings that screen uses.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

// nav is the help of a page that waits for the user: its own keys, then
// help and quit, then the topology (dropped first when the line is too
// narrow); the full help adds scrolling. typing pages name ctrl+t for the
// topology, since t is text there.
func (c *shared) nav(typing bool, own ...key.Binding) helpKeys {
	k := c.keys
	topo := k.Topology
	if typing {
		topo = key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", c.T("ui.key.topology")))
	}
	short := append(append([]key.Binding{}, own...), k.Help, k.Quit, topo)
	return helpKeys{short: short, full: [][]key.Binding{own, {topo, k.PageUp, k.Help, k.Quit}}}
}

// bind is a binding shown in help under its own key name.
func bind(keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, desc))
}
