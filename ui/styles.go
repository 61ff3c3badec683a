package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Styles holds every colour and text style of the wizard, so that a light or
// dark terminal (tea.BackgroundColorMsg) or NO_COLOR changes one value.
type Styles struct {
	NoColor bool

	App      lipgloss.Style // outer margin
	Header   lipgloss.Style // the title line
	Title    lipgloss.Style // a screen's heading
	Text     lipgloss.Style
	Subtle   lipgloss.Style // explanations, placeholders, defaults
	Accent   lipgloss.Style // the selected item, the focused label
	Key      lipgloss.Style // a key name inside a sentence: "press y"
	OK       lipgloss.Style
	Warn     lipgloss.Style
	Fail     lipgloss.Style
	Code     lipgloss.Style // manual commands, env snippets
	DiffAdd  lipgloss.Style
	DiffDel  lipgloss.Style
	DiffHunk lipgloss.Style
	Box      lipgloss.Style // topology nodes, prompt overlays
	Danger   lipgloss.Style // the border of a prompt that changes a host
	Help     help.Styles
	cursor   color.Color
}

// Input is the style of every text field: ours, and a cursor that does not
// blink (a blinking cursor is a timer, and idle should cost nothing).
func (st Styles) Input() textinput.Styles {
	s := textinput.DefaultStyles(true)
	s.Focused = textinput.StyleState{Text: st.Text, Placeholder: st.Subtle, Suggestion: st.Subtle, Prompt: st.Accent}
	s.Blurred = textinput.StyleState{Text: st.Text, Placeholder: st.Subtle, Suggestion: st.Subtle, Prompt: st.Subtle}
	s.Cursor.Color = st.cursor
	s.Cursor.Blink = false
	return s
}

// NewStyles builds the styles for a dark or light background; noColor (the
// NO_COLOR convention) keeps bold and borders but drops every colour.
func NewStyles(isDark, noColor bool) Styles {
	ld := lipgloss.LightDark(isDark)
	col := func(light, dark string) color.Color {
		if noColor {
			return lipgloss.NoColor{}
		}
		return ld(lipgloss.Color(light), lipgloss.Color(dark))
	}
	accent := col("#5A3FD9", "#9D8CFF")
	subtle := col("#6B6B6B", "#9A9A9A")
	green := col("#1B7F3B", "#5FD787")
	yellow := col("#8A6100", "#F0C05A")
	red := col("#B3261E", "#FF7A7A")
	border := col("#9A9A9A", "#5C5C5C")

	s := Styles{NoColor: noColor, cursor: col("#5A3FD9", "#9D8CFF")}
	s.App = lipgloss.NewStyle().Padding(0, 1)
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Title = lipgloss.NewStyle().Bold(true)
	s.Text = lipgloss.NewStyle()
	s.Subtle = lipgloss.NewStyle().Foreground(subtle)
	s.Accent = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Key = lipgloss.NewStyle().Foreground(accent)
	s.OK = lipgloss.NewStyle().Foreground(green)
	s.Warn = lipgloss.NewStyle().Foreground(yellow)
	s.Fail = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Code = lipgloss.NewStyle().Foreground(col("#005F87", "#87D7FF"))
	s.DiffAdd = lipgloss.NewStyle().Foreground(green)
	s.DiffDel = lipgloss.NewStyle().Foreground(red)
	s.DiffHunk = lipgloss.NewStyle().Foreground(subtle)
	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1)
	s.Danger = s.Box.BorderForeground(yellow)
	s.Help = help.DefaultStyles(isDark)
	if noColor {
		// Without colour, grey text (placeholders, hints) would look like
		// typed answers: faint keeps them apart on any background.
		s.Subtle = s.Subtle.Faint(true)
		s.DiffHunk = s.DiffHunk.Faint(true)
		plain := lipgloss.NewStyle()
		s.Help = help.Styles{Ellipsis: plain, ShortKey: plain.Bold(true), ShortDesc: plain,
			ShortSeparator: plain, FullKey: plain.Bold(true), FullDesc: plain, FullSeparator: plain}
	}
	return s
}
