package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/wizard"
)

// startChoice is an entry of the start screen.
type startChoice int

const (
	choiceNew startChoice = iota
	choiceRepair
	choiceOpen
	choicePractice
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
	p := &startPage{c: c, err: err, width: c.bodyWidth()}
	p.cursor = p.cursorOf(at)
	return p
}

type startItem struct {
	choice      startChoice
	title, desc string
}

func (p *startPage) items() []startItem {
	c, path := p.c, p.c.cfg.PlanPath
	exists := c.cfg.FileExists(path)
	first := startItem{choiceNew, c.T("ui.start.new"), c.T("ui.start.new_desc", "Path", path)}
	if exists {
		first = startItem{choiceNew, c.T("ui.start.continue"), c.T("ui.start.continue_desc", "Path", path)}
	}
	items := []startItem{
		first,
		{choiceRepair, c.T("ui.start.repair"), c.T("ui.start.repair_desc", "Path", path)},
		{choiceOpen, c.T("ui.start.open"), c.T("ui.start.open_desc")},
	}
	if pr := c.cfg.Practice; pr != nil && !exists {
		items = append(items, startItem{choicePractice, c.T("ui.start.practice"),
			c.T("ui.start.practice_desc", "Down", c.cfg.Command+" practice down --dir "+shellquote.POSIX(pr.Dir))})
	}
	return items
}

// cursorOf is the row of choice at (the first row when it is not shown).
func (p *startPage) cursorOf(at startChoice) int {
	for i, it := range p.items() {
		if it.choice == at {
			return i
		}
	}
	return 0
}

func (p *startPage) Init() tea.Cmd             { return nil }
func (p *startPage) Title() string             { return p.c.T("ui.start.title") }
func (p *startPage) SetSize(width, height int) { p.width = width }
func (p *startPage) ShortHelp() []key.Binding  { return p.keys().ShortHelp() }
func (p *startPage) FullHelp() [][]key.Binding { return p.keys().FullHelp() }

func (p *startPage) keys() helpKeys {
	h := p.c.nav(false, key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", p.c.T("ui.key.choose"))), bind("enter", p.c.T("ui.key.select")))
	// The digits are a shortcut: full help only, so the short line keeps
	// room for the topology key at 80 columns.
	n := len(p.items())
	var digits []string
	for i := 1; i <= n; i++ {
		digits = append(digits, strconv.Itoa(i))
	}
	direct := key.NewBinding(key.WithKeys(digits...), key.WithHelp("1-"+strconv.Itoa(n), p.c.T("ui.key.choose_directly")))
	h.full[0] = append(h.full[0], direct)
	return h
}

func (p *startPage) Update(msg tea.Msg) (page, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	k := p.c.keys
	items := p.items()
	n := len(items)
	switch {
	case key.Matches(km, k.Up), key.Matches(km, k.ShiftTab):
		p.cursor = (p.cursor + n - 1) % n
	case key.Matches(km, k.Down), key.Matches(km, k.Tab):
		p.cursor = (p.cursor + 1) % n
	case len(km.String()) == 1 && km.String() >= "1" && int(km.String()[0]-'1') < n:
		p.cursor = int(km.String()[0] - '1')
		return p, p.choose(items[p.cursor].choice)
	case key.Matches(km, k.Next):
		return p, p.choose(items[p.cursor].choice)
	}
	return p, nil
}

func (p *startPage) choose(c startChoice) tea.Cmd {
	p.err = nil
	switch c {
	case choiceOpen:
		return show(newOpenPage(p.c))
	case choicePractice:
		return practiceUp(p.c)
	case choiceRepair:
		if !p.c.cfg.FileExists(p.c.cfg.PlanPath) {
			if p.c.cfg.Discover != nil {
				return show(newDiscoverPage(p.c))
			}
			p.err = errors.New(p.c.T("ui.start.no_plan_to_repair", "Path", p.c.cfg.PlanPath))
			return nil
		}
	}
	return openPlan(p.c, p.c.cfg.PlanPath, c)
}

func (p *startPage) View() string {
	st, width := p.c.styles, p.width
	var b strings.Builder
	if p.err != nil { // first: on screen however small the terminal
		b.WriteString(planErrorView(p.c, st, p.err, width) + "\n\n")
	}
	b.WriteString(wrap(p.c.T("ui.start.intro"), width) + "\n\n")
	steps := wizard.StepNames()
	half := (len(steps) + 1) / 2
	item := func(i int) string {
		return st.Subtle.Render(string(rune('1'+i))+" ") + wizard.StepTitleIn(p.c.cfg.Localizer, steps[i])
	}
	for i := 0; i < half; i++ {
		left := "  " + item(i)
		if j := i + half; j < len(steps) && width >= 76 {
			left = i18n.PadRight(left, 40) + item(j)
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
		b.WriteString(st.Subtle.Render(indent(wrap(it.desc, width-4), "    ")) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// practiceMsg: the practice daemon runs and its plan is at plan.
type practiceMsg struct {
	plan string
	err  error
}

// practiceUp starts the practice daemon through the hook cmd/dockertls
// set, then opens its plan as a setup to continue (step 1 is not done).
func practiceUp(c *shared) tea.Cmd {
	up, ctx := c.cfg.Practice.Up, c.ctx
	text := c.T("ui.start.practice_starting", "Dir", c.cfg.Practice.Dir)
	return show(newLoadPage(c, text, func() tea.Msg {
		path, err := up(ctx)
		return practiceMsg{plan: path, err: err}
	}))
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
func (o *openPage) Title() string             { return o.c.T("ui.open.title") }
func (o *openPage) SetSize(width, height int) { o.width = width }
func (o *openPage) Typing() bool              { return true }
func (o *openPage) TypesQuestionMark() bool   { return true }
func (o *openPage) ShortHelp() []key.Binding  { return o.keys().ShortHelp() }
func (o *openPage) FullHelp() [][]key.Binding { return o.keys().FullHelp() }
func (o *openPage) keys() helpKeys {
	return o.c.nav(true, bind("enter", o.c.T("ui.key.open")), o.c.keys.Back)
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
			o.err = errors.New(o.c.T("ui.open.dir_without_plan", "Dir", filepath.Dir(path), "File", DefaultPlanPath))
			return nil
		}
	}
	switch {
	case path == "":
		o.err = errors.New(o.c.T("ui.open.empty"))
	case !cfg.FileExists(path):
		o.err = errors.New(o.c.T("ui.open.missing", "Path", path))
	default:
		o.err = nil
		cfg.PlanPath = path
		return openPlan(o.c, path, choiceOpen)
	}
	return nil
}

func (o *openPage) View() string {
	st, width := o.c.styles, o.width
	s := st.Title.Render(o.c.T("ui.open.heading")) + "\n\n" +
		wrap(o.c.T("ui.open.explain"), width) +
		"\n\n" + inputView(o.input)
	if o.err != nil {
		s += "\n" + planErrorView(o.c, st, o.err, width)
	}
	return s
}
