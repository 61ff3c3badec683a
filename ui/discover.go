package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// DiscoverFunc reads a daemon node over SSH (target as daemon.ssh accepts
// it) and, when caDir is not empty, the local CA there, and returns the
// plan that describes what is there (wizard.Discover). It asks through p.
type DiscoverFunc func(ctx context.Context, p wizard.Prompter, target, caDir string) (*wizard.Discovery, error)

// discoverPage is Repair without a plan: it asks for the daemon node and
// the local CA directory, reads what is there (doctor --ssh), writes the
// plan and then opens the repair on it.
type discoverPage struct {
	c      *shared
	inputs [3]textinput.Model // daemon ssh target, CA directory, plan file
	focus  int
	err    error
	// running: Discover is reading the node; found: what it found, and the
	// plan written (enter opens the repair).
	running bool
	found   []string
	written string
	width   int
}

// discoveredMsg is Discover's result, the plan already written to path.
type discoveredMsg struct {
	notes []string
	path  string
	err   error
}

func newDiscoverPage(c *shared) *discoverPage {
	d := &discoverPage{c: c, width: c.bodyWidth()}
	holders := []string{"user@host[:port]", c.T("ui.discover.ca_placeholder"), DefaultPlanPath}
	for i := range d.inputs {
		in := textinput.New()
		in.Prompt = "› "
		in.Placeholder = holders[i]
		in.CharLimit = 1024
		in.SetStyles(c.styles.Input())
		d.inputs[i] = in
	}
	d.inputs[2].SetValue(c.cfg.PlanPath)
	d.inputs[0].Focus()
	d.SetSize(d.width, 0)
	return d
}

func (d *discoverPage) Init() tea.Cmd { return nil }
func (d *discoverPage) Title() string { return d.c.T("ui.discover.title") }
func (d *discoverPage) SetSize(width, height int) {
	d.width = width
	for i := range d.inputs {
		d.inputs[i].SetWidth(max(10, width-3)) // the prompt's two columns and the cursor
	}
}
func (d *discoverPage) Typing() bool              { return !d.running && d.written == "" }
func (d *discoverPage) TypesQuestionMark() bool   { return d.Typing() }
func (d *discoverPage) ShortHelp() []key.Binding  { return d.keys().ShortHelp() }
func (d *discoverPage) FullHelp() [][]key.Binding { return d.keys().FullHelp() }

func (d *discoverPage) keys() helpKeys {
	c := d.c
	switch {
	case d.running:
		return helpKeys{short: []key.Binding{c.keys.Quit}, full: [][]key.Binding{{c.keys.Quit}}}
	case d.written != "":
		return c.nav(false, bind("enter", c.T("ui.discover.key_repair")))
	}
	return c.nav(true, bind("enter", c.T("ui.key.next")), c.keys.Tab, c.keys.Back)
}

// HelpText says what the focused field accepts.
func (d *discoverPage) HelpText() string {
	return d.c.T(fmt.Sprintf("ui.discover.help%d", d.focus))
}

func (d *discoverPage) setFocus(i int) {
	d.inputs[d.focus].Blur()
	d.focus = (i + len(d.inputs)) % len(d.inputs)
	d.inputs[d.focus].Focus()
}

func (d *discoverPage) Update(msg tea.Msg) (page, tea.Cmd) {
	c := d.c
	switch msg := msg.(type) {
	case stylesMsg:
		for i := range d.inputs {
			d.inputs[i].SetStyles(c.styles.Input())
		}
		return d, nil
	case discoveredMsg:
		c.busy = false
		d.running = false
		if msg.err != nil {
			d.err = msg.err
			if plan.FieldOf(msg.err) == "daemon.ssh" {
				d.setFocus(0) // an unreachable node: the target is what to change
			}
			return d, nil
		}
		d.found, d.written = msg.notes, msg.path
		return d, nil
	case tea.PasteMsg:
		if !d.Typing() {
			return d, nil
		}
		var cmd tea.Cmd
		d.inputs[d.focus], cmd = d.inputs[d.focus].Update(msg)
		return d, cmd
	case tea.KeyPressMsg:
		if d.running {
			return d, nil
		}
		if d.written != "" {
			if key.Matches(msg, c.keys.Next) {
				c.cfg.PlanPath = d.written
				return d, openPlan(c, d.written, choiceRepair)
			}
			return d, nil
		}
		switch {
		case key.Matches(msg, c.keys.Back):
			return d, show(newStartPage(c, choiceRepair, nil))
		case key.Matches(msg, c.keys.Tab):
			d.setFocus(d.focus + 1)
			return d, nil
		case key.Matches(msg, c.keys.ShiftTab):
			d.setFocus(d.focus - 1)
			return d, nil
		case key.Matches(msg, c.keys.Next):
			if d.focus == 0 {
				if err := d.checkTarget(); err != nil {
					d.err = err
					return d, nil
				}
			}
			if d.focus < len(d.inputs)-1 {
				d.err = nil
				d.setFocus(d.focus + 1)
				return d, nil
			}
			return d, d.run()
		}
		var cmd tea.Cmd
		d.inputs[d.focus], cmd = d.inputs[d.focus].Update(msg)
		return d, cmd
	}
	return d, nil
}

// checkTarget judges the daemon's SSH target by the plan's own rule for
// daemon.ssh, so what the wizard accepts here is what the plan accepts.
func (d *discoverPage) checkTarget() error {
	target := strings.TrimSpace(d.inputs[0].Value())
	if target == "" {
		return errors.New(d.c.T("ui.discover.target_empty"))
	}
	if err := plan.CheckField("daemon.ssh", target); err != nil {
		return fmt.Errorf("daemon.ssh: %w", err)
	}
	return nil
}

// run starts Discover, unless the plan file to write is already there:
// that plan is never overwritten, a free name is offered instead.
func (d *discoverPage) run() tea.Cmd {
	c := d.c
	if err := d.checkTarget(); err != nil {
		d.err = err
		d.setFocus(0)
		return nil
	}
	path := strings.TrimSpace(d.inputs[2].Value())
	if path == "" {
		path = DefaultPlanPath
	}
	if c.cfg.FileExists(path) {
		d.err = errors.New(c.T("ui.discover.plan_exists", "Path", path, "Free", freePlanName(path, c.cfg.FileExists)))
		d.inputs[2].SetValue(freePlanName(path, c.cfg.FileExists))
		d.inputs[2].CursorEnd()
		d.setFocus(2)
		return nil
	}
	d.err, d.running = nil, true
	discover, ctx, pr := c.cfg.Discover, c.ctx, c.prompter
	target, caDir := strings.TrimSpace(d.inputs[0].Value()), strings.TrimSpace(d.inputs[1].Value())
	return tea.Batch(c.startBusy(), func() tea.Msg {
		found, err := discover(ctx, pr, target, caDir)
		if err != nil {
			return discoveredMsg{err: err}
		}
		if err := found.Plan.Save(path); err != nil {
			return discoveredMsg{err: err}
		}
		return discoveredMsg{notes: found.Notes, path: path}
	})
}

// freePlanName is path with the first free number before its extension:
// dockertls.yaml → dockertls-2.yaml.
func freePlanName(path string, exists func(string) bool) string {
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 2; ; i++ {
		p := fmt.Sprintf("%s-%d%s", base, i, ext)
		if !exists(p) {
			return p
		}
	}
}

func (d *discoverPage) View() string {
	c, st, width := d.c, d.c.styles, d.width
	var b strings.Builder
	b.WriteString(st.Title.Render(c.T("ui.discover.heading")) + "\n\n")
	if d.written != "" {
		b.WriteString(wrap(c.T("ui.discover.found", "Target", strings.TrimSpace(d.inputs[0].Value())), width) + "\n")
		for _, n := range d.found {
			b.WriteString(wrap("• "+strings.Join(strings.Fields(n), " "), width) + "\n")
		}
		b.WriteString("\n" + wrap(c.T("ui.discover.written", "Path", d.written), width))
		return b.String()
	}
	if d.err != nil { // first: on screen however small the terminal
		b.WriteString(planErrorView(c, st, d.err, width) + "\n\n")
	}
	b.WriteString(wrap(c.T("ui.discover.explain"), width) + "\n")
	labels := []string{c.T("ui.discover.target"), c.T("ui.discover.ca_dir"), c.T("ui.discover.plan")}
	for i := range d.inputs {
		b.WriteString("\n" + wrap(labels[i], width) + "\n" + inputView(d.inputs[i]) + "\n")
	}
	if d.running {
		b.WriteString("\n" + c.spin.View() + " " + wrap(c.T("ui.discover.reading", "Target", strings.TrimSpace(d.inputs[0].Value())), width-2))
	}
	return strings.TrimRight(b.String(), "\n")
}
