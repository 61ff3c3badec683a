package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dockertls/dockertls/wizard"
)

// startChoice is an entry of the start screen.
type startChoice int

const (
	choiceNew startChoice = iota
	choiceRepair
	choiceOpen
)

// startPage is the first screen: new setup (or continue), repair, open a
// plan file.
type startPage struct {
	c      *shared
	cursor int
	err    error // why the last choice failed (plan not found, invalid…)
	width  int
}

// newStartPage is the start screen with the cursor on choice at (the one
// the user comes back from) and why it failed, if it did.
func newStartPage(c *shared, at startChoice, err error) *startPage {
	return &startPage{c: c, cursor: int(at), err: err, width: c.bodyWidth()}
}

// lipglossExtra is how many bytes of s are styling, so that padding by
// bytes lines up the visible text.
func lipglossExtra(s string) int { return len(s) - lipgloss.Width(s) }

type startItem struct {
	title, desc string
}

func (p *startPage) items() []startItem {
	path := p.c.cfg.PlanPath
	first := startItem{"New setup", "walk through the seven steps; answers are saved to " + path}
	if p.c.cfg.FileExists(path) {
		first.desc = "continue with " + path + " where you left off"
	}
	return []startItem{
		first,
		{"Repair an existing setup", "run doctor on " + path + ", then fix what it finds"},
		{"Open a plan file", "load another plan and resume where it stopped"},
	}
}

func (p *startPage) Init() tea.Cmd             { return nil }
func (p *startPage) Title() string             { return "mutual TLS for the Docker API" }
func (p *startPage) SetSize(width, height int) { p.width = width }
func (p *startPage) ShortHelp() []key.Binding  { return p.keys().ShortHelp() }
func (p *startPage) FullHelp() [][]key.Binding { return p.keys().FullHelp() }

func (p *startPage) keys() helpKeys {
	h := p.c.nav(false, key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "choose")), bind("enter", "select"))
	// The digits are a shortcut: full help only, so the short line keeps
	// room for the topology key at 80 columns.
	direct := key.NewBinding(key.WithKeys("1", "2", "3"), key.WithHelp("1-3", "choose directly"))
	h.full[0] = append(h.full[0], direct)
	return h
}

func (p *startPage) Update(msg tea.Msg) (page, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	k := p.c.keys
	n := len(p.items())
	switch {
	case key.Matches(km, k.Up), key.Matches(km, k.ShiftTab):
		p.cursor = (p.cursor + n - 1) % n
	case key.Matches(km, k.Down), key.Matches(km, k.Tab):
		p.cursor = (p.cursor + 1) % n
	case km.String() >= "1" && km.String() <= "3":
		p.cursor = int(km.String()[0] - '1')
		return p, p.choose(startChoice(p.cursor))
	case key.Matches(km, k.Next):
		return p, p.choose(startChoice(p.cursor))
	}
	return p, nil
}

func (p *startPage) choose(c startChoice) tea.Cmd {
	p.err = nil
	switch c {
	case choiceOpen:
		return show(newOpenPage(p.c))
	case choiceRepair:
		if !p.c.cfg.FileExists(p.c.cfg.PlanPath) {
			p.err = fmt.Errorf("there is no plan at %s to repair: a repair starts from the plan of the setup; choose Open a plan file to pick it, or New setup to make one", p.c.cfg.PlanPath)
			return nil
		}
	}
	return openPlan(p.c, p.c.cfg.PlanPath, c)
}

func (p *startPage) View() string {
	st, width := p.c.styles, p.width
	var b strings.Builder
	b.WriteString(wrap("Secure a Docker daemon's TCP API with mutual TLS, along the seven steps of the classic tutorial:", width) + "\n\n")
	steps := wizard.StepNames()
	half := (len(steps) + 1) / 2
	item := func(i int) string {
		return st.Subtle.Render(string(rune('1'+i))+" ") + wizard.StepTitle(steps[i])
	}
	for i := 0; i < half; i++ {
		left := "  " + item(i)
		if j := i + half; j < len(steps) && width >= 76 {
			left = padRight(left, 40+lipglossExtra(left)) + item(j)
		}
		b.WriteString(left + "\n")
	}
	if width < 76 {
		for j := half; j < len(steps); j++ {
			b.WriteString("  " + item(j) + "\n")
		}
	}
	b.WriteString("\n")
	for i, it := range p.items() {
		if i == p.cursor {
			b.WriteString(st.Accent.Render("› "+it.title) + "\n")
		} else {
			b.WriteString("  " + it.title + "\n")
		}
		b.WriteString(st.Subtle.Render(hang(wrap("    "+it.desc, width), 4)) + "\n")
	}
	if p.err != nil {
		b.WriteString("\n" + planErrorView(st, p.err, width))
	}
	return strings.TrimRight(b.String(), "\n")
}

// openPage asks for a plan file's path.
type openPage struct {
	c     *shared
	input textinput.Model
	err   error
	width int
}

func newOpenPage(c *shared) *openPage {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = "path/to/plan.yaml"
	in.CharLimit = 1024
	in.SetValue(c.cfg.PlanPath)
	in.CursorEnd()
	o := &openPage{c: c, input: in, width: c.bodyWidth()}
	o.input.SetStyles(c.styles.Input())
	o.input.Focus()
	return o
}

func (o *openPage) Init() tea.Cmd             { return nil }
func (o *openPage) Title() string             { return "open a plan" }
func (o *openPage) SetSize(width, height int) { o.width = width }
func (o *openPage) Typing() bool              { return true }
func (o *openPage) TypesQuestionMark() bool   { return true }
func (o *openPage) ShortHelp() []key.Binding  { return o.keys().ShortHelp() }
func (o *openPage) FullHelp() [][]key.Binding { return o.keys().FullHelp() }
func (o *openPage) keys() helpKeys {
	return o.c.nav(true, bind("enter", "open"), o.c.keys.Back)
}

func (o *openPage) Update(msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case stylesMsg:
		o.input.SetStyles(o.c.styles.Input())
		return o, nil
	case tea.PasteMsg:
		var cmd tea.Cmd
		o.input, cmd = o.input.Update(msg)
		return o, cmd
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, o.c.keys.Back):
			return o, show(newStartPage(o.c, choiceOpen, nil))
		case key.Matches(msg, o.c.keys.Next):
			return o, o.open()
		}
		var cmd tea.Cmd
		o.input, cmd = o.input.Update(msg)
		return o, cmd
	}
	return o, nil
}

func (o *openPage) open() tea.Cmd {
	cfg := &o.c.cfg
	path := strings.TrimSpace(o.input.Value())
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		// a directory: its dockertls.yaml, the name a new setup uses
		path = filepath.Join(path, DefaultPlanPath)
		if !cfg.FileExists(path) {
			o.err = fmt.Errorf("%s is a directory without a %s in it: type the plan file's path", filepath.Dir(path), DefaultPlanPath)
			return nil
		}
	}
	switch {
	case path == "":
		o.err = errors.New("type the path of a plan file (YAML)")
	case !cfg.FileExists(path):
		o.err = fmt.Errorf("%s does not exist: check the path, or go back (esc) and choose New setup", path)
	default:
		o.err = nil
		cfg.PlanPath = path
		return openPlan(o.c, path, choiceOpen)
	}
	return nil
}

func (o *openPage) View() string {
	st, width := o.c.styles, o.width
	s := st.Title.Render("Open a plan file") + "\n\n" +
		wrap("A plan file (YAML) holds every answer of the wizard; dockertls apply -f PLAN runs it headless. The wizard checks which steps are done and continues with the first one that is not. A directory opens its dockertls.yaml.", width) +
		"\n\n" + o.input.View()
	if o.err != nil {
		s += "\n" + planErrorView(st, o.err, width)
	}
	return s
}
