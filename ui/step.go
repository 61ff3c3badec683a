package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
	"github.com/dockertls/dockertls/wizard/probe"
)

// stepPhase is where a step screen is: answers, preview, run, outcome.
type stepPhase int

const (
	phaseForm     stepPhase = iota // the step's answers
	phaseDescribe                  // what it will do, why, the manual commands
	phaseRunning                   // spinner or progress bar, events
	phaseResult                    // files written, fingerprints, expiry
	phaseFailed                    // cause and fix; retry / back / quit
)

// stepPage is the screen of one step.
type stepPage struct {
	c          *shared
	width      int
	idx        int
	name       wizard.StepName
	phase      stepPhase
	form       form
	desc       *wizard.Description
	descErr    error
	describing int  // which describe call the screen waits for (a late answer to an earlier one is dropped)
	commands   bool // the manual commands are shown
	notice     string
	log        []wizard.Event
	progress   wizard.Event // last EventProgress
	summary    string       // the Done/Skipped message
	skipped    bool
	err        error
	report     *probe.Report // verify's report (EventDone/EventInfo carry it)
	suggesting bool          // SuggestSANs runs
	suggestFor string        // the daemon.ssh the suggestion was made for
	// Suggestions fill the SANs and the address only when the plan had
	// none and the user has not typed any since (fill* holds what was
	// last filled in; the bool says filling is allowed at all).
	fillSANs, fillAddr       string
	canFillSANs, canFillAddr bool
	sansRefused              bool // the host key was refused while gathering names: ctrl+r asks again
}

// describedMsg carries a step's Description.
type describedMsg struct {
	step wizard.StepName
	call int // stepPage.describing when it was asked
	desc wizard.Description
	err  error
}

// sansMsg carries SAN suggestions for the daemon certificate.
type sansMsg struct {
	sans []string
	err  error
}

// newStepPage is step i, starting with its answers (or its description
// when it asks nothing).
func newStepPage(c *shared, i int) *stepPage {
	names := wizard.StepNames()
	i = min(max(0, i), len(names)-1)
	s := &stepPage{c: c, idx: i, name: names[i], width: c.bodyWidth(),
		form: newForm(fieldsFor(c.cfg.Localizer, names[i]), c.plan(), c.styles)}
	s.form.setWidth(s.width)
	return s
}

// Init describes a step that asks nothing, or gathers the node's names
// for the SANs when the plan names a node but no SANs yet.
func (s *stepPage) Init() tea.Cmd {
	if len(s.form.fields) == 0 {
		return s.describe()
	}
	p := s.c.plan()
	if f := s.form.field("daemon.sans"); f != nil {
		s.canFillSANs = len(p.Daemon.SANs) == 0
		s.canFillAddr = p.Daemon.Address == ""
		if p.Daemon.SSH != "" && p.Daemon.SSH != plan.TargetLocal && len(p.Daemon.SANs) == 0 {
			return s.suggestSANs(p.Daemon.SSH)
		}
	}
	return nil
}

func (s *stepPage) Title() string  { return wizard.StepTitleIn(s.c.cfg.Localizer, s.name) }
func (s *stepPage) StepIndex() int { return s.idx }

func (s *stepPage) SetSize(width, height int) {
	s.width = width
	s.form.setWidth(width)
}

// Typing: on the answers, a text field takes the letters.
func (s *stepPage) Typing() bool {
	if s.phase != phaseForm {
		return false
	}
	f := s.form.focused()
	return f != nil && f.spec.options == nil
}

// AtRisk: a step runs, or answers were typed that are not in the plan yet.
func (s *stepPage) AtRisk() string {
	switch {
	case s.phase == phaseRunning:
		return s.c.T("ui.step.running_risk", "Step", s.name)
	case s.phase == phaseForm && s.form.touched:
		return s.c.T("ui.step.unsaved_risk")
	}
	return ""
}

// HelpText is what the focused field means (shown with ?).
func (s *stepPage) HelpText() string {
	if s.phase != phaseForm {
		return ""
	}
	f := s.form.focused()
	if f == nil {
		return ""
	}
	h := fieldHelp(s.c.cfg.Localizer, f.spec.key)
	if h == "" {
		return ""
	}
	return f.spec.label + " (" + f.spec.key + "): " + h
}

func (s *stepPage) ShortHelp() []key.Binding  { return s.keys().ShortHelp() }
func (s *stepPage) FullHelp() [][]key.Binding { return s.keys().FullHelp() }

func (s *stepPage) keys() helpKeys {
	c, k := s.c, s.c.keys
	switch s.phase {
	case phaseForm:
		fields := key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/shift+tab", c.T("ui.key.field")))
		if f := s.form.focused(); f != nil && f.spec.options != nil {
			return c.nav(false, k.Left, bind("enter", c.T("ui.key.next")), fields, k.Back)
		}
		return c.nav(s.Typing(), bind("enter", c.T("ui.key.next")), fields, k.Back)
	case phaseDescribe:
		if s.descErr != nil {
			return c.nav(false, s.failKeys(s.descErr)...)
		}
		if s.desc != nil && len(s.desc.Commands) > 0 {
			h := c.nav(false, bind("enter", c.T("ui.key.run")), k.Commands, k.Back)
			h.full[0] = append(h.full[0], k.Save) // the screen says it where the commands are
			return h
		}
		return c.nav(false, bind("enter", c.T("ui.key.run")), k.Back)
	case phaseRunning:
		return helpKeys{short: []key.Binding{k.Topology, k.Quit}}
	case phaseResult:
		return c.nav(false, bind("enter", c.T("ui.key.next_step")), k.Back)
	default:
		return c.nav(false, s.failKeys(s.err)...)
	}
}

// failKeys are a failure's ways forward: the answer that fixes it, retry,
// back.
func (s *stepPage) failKeys(err error) []key.Binding {
	k := s.c.keys
	if _, spec, ok := fieldStep(s.c.cfg.Localizer, plan.FieldOf(err)); ok {
		edit := k.Edit
		edit.SetHelp("e", s.c.T("ui.key.change_field", "Field", spec.label))
		return []key.Binding{edit, k.Retry, k.Back}
	}
	return []key.Binding{k.Retry, k.Back}
}

func (s *stepPage) Update(msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		s.notice = ""
		return s, s.onKey(msg)
	case tea.PasteMsg:
		if s.phase == phaseForm {
			return s, s.form.paste(msg)
		}
	case stylesMsg:
		s.form.applyStyles(s.c.styles)
	case describedMsg:
		if msg.step == s.name && msg.call == s.describing && s.phase == phaseDescribe {
			s.c.busy = false
			if msg.err != nil {
				s.descErr = msg.err
			} else {
				d := msg.desc
				s.desc = &d
			}
		}
	case sansMsg:
		s.c.busy = false
		s.onSANs(msg)
	case eventMsg:
		s.onEvent(msg.ev)
	case applyDoneMsg:
		return s, s.onApplied(msg)
	case scriptMsg:
		if msg.err != nil {
			s.notice = s.c.T("ui.step.script_failed", "Err", msg.err)
		} else {
			s.notice = s.c.T("ui.step.script_written", "File", shellquote.POSIX(relToWD(msg.path)))
		}
	}
	return s, nil
}

// scriptPath is where w writes the step's manual commands: next to the plan.
func (s *stepPage) scriptPath() string {
	dir := "."
	if p := s.c.plan(); p != nil && p.Path != "" {
		dir = filepath.Dir(p.Path)
	}
	return filepath.Join(dir, "dockertls-"+string(s.name)+".sh")
}

// scriptMsg: the manual commands were written to path (or not: err).
type scriptMsg struct {
	path string
	err  error
}

// writeScript writes a step's manual commands as a shell script, whole
// (the screen wraps long lines; the file keeps them as they are).
func writeScript(l *i18n.Localizer, path string, step wizard.StepName, cmds []string) tea.Cmd {
	return func() tea.Msg {
		head := l.T("tui.script.header", "Step", string(step), "Title", wizard.StepTitleIn(l, step))
		body := "#!/bin/sh\n# " + strings.ReplaceAll(head, "\n", "\n# ") + "\n\n" + strings.Join(cmds, "\n") + "\n"
		tmp, err := os.CreateTemp(filepath.Dir(path), ".dockertls-script-*")
		if err != nil {
			return scriptMsg{path: path, err: err}
		}
		_, err = tmp.WriteString(body)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), 0o755)
		}
		if err == nil {
			err = os.Rename(tmp.Name(), path)
		}
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
		return scriptMsg{path: path, err: err}
	}
}

func (s *stepPage) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.keys
	switch s.phase {
	case phaseForm:
		if key.Matches(msg, k.Back) {
			return s.back()
		}
		if key.Matches(msg, k.Reconnect) && s.sansRefused && !s.suggesting {
			return s.suggestSANs(s.suggestFor)
		}
		res, left, cmd := s.form.update(msg, k)
		switch res {
		case formLeftField:
			return tea.Batch(cmd, s.afterField(left))
		case formSubmit:
			return s.submitForm()
		}
		return cmd
	case phaseDescribe:
		switch {
		case key.Matches(msg, k.Back):
			return s.back()
		case key.Matches(msg, k.Edit) && s.descErr != nil:
			return s.edit(plan.FieldOf(s.descErr))
		case key.Matches(msg, k.Commands):
			s.commands = !s.commands
		case key.Matches(msg, k.Save) && s.desc != nil && len(s.desc.Commands) > 0:
			return writeScript(s.c.cfg.Localizer, s.scriptPath(), s.name, s.desc.Commands)
		case key.Matches(msg, k.Retry) && s.descErr != nil:
			return s.describe()
		case key.Matches(msg, k.Next) && s.desc != nil:
			return s.apply()
		}
	case phaseResult:
		switch {
		case key.Matches(msg, k.Next):
			return s.next()
		case key.Matches(msg, k.Back):
			return s.back()
		}
	case phaseFailed:
		switch {
		case key.Matches(msg, k.Edit):
			return s.edit(plan.FieldOf(s.err))
		case key.Matches(msg, k.Retry):
			return s.apply()
		case key.Matches(msg, k.Back):
			return s.back()
		}
	}
	return nil
}

// submitForm checks the answers against the plan's own rules, writes them
// into the engine's plan and goes on to the description (which saves it).
func (s *stepPage) submitForm() tea.Cmd {
	if s.suggesting {
		s.notice = s.c.T("ui.step.gathering_wait")
		return nil
	}
	trial := s.c.plan()
	s.form.commit(trial)
	if s.form.showPlanErrors(planErrors(trial.Validate())) {
		return nil
	}
	if err := s.c.updatePlan(func(p *plan.Plan) error { s.form.commit(p); return nil }); err != nil {
		s.notice = s.c.Error(err)
		return nil
	}
	if s.name == wizard.StepCA {
		return tea.Batch(prewarm(s.c), s.describe())
	}
	return s.describe()
}

// planErrors lists the PlanErrors in err (nil when err is something else).
func planErrors(err error) plan.Errors {
	var pe plan.Errors
	if errors.As(err, &pe) {
		return pe
	}
	var one *plan.Error
	if errors.As(err, &one) {
		return plan.Errors{one}
	}
	return nil
}

// describe saves the answers and asks the engine what the step will do.
func (s *stepPage) describe() tea.Cmd {
	s.phase = phaseDescribe
	s.desc, s.descErr = nil, nil
	s.describing++
	s.c.scroll = 0
	e, ctx, name, call := s.c.engine, s.c.ctx, s.name, s.describing
	return tea.Batch(s.c.startBusy(), func() tea.Msg {
		if err := e.SavePlan(); err != nil {
			return describedMsg{step: name, call: call, err: errors.New(s.c.T("ui.step.not_saved", "Err", err))}
		}
		d, err := e.Describe(ctx, name)
		return describedMsg{step: name, call: call, desc: d, err: err}
	})
}

// apply runs the step; its Events and its end arrive through the inbox.
func (s *stepPage) apply() tea.Cmd {
	s.phase = phaseRunning
	s.log, s.err, s.summary, s.skipped = nil, nil, "", false
	s.progress, s.report = wizard.Event{}, nil
	s.c.scroll = 0
	s.c.marks[s.name] = markRunning
	e, ctx, name, inbox, done := s.c.engine, s.c.ctx, s.name, s.c.inbox, s.c.done
	return tea.Batch(s.c.startBusy(), func() tea.Msg {
		emit := func(ev wizard.Event) {
			select {
			case inbox <- eventMsg{ev}:
			case <-done:
			}
		}
		err := e.Apply(ctx, name, emit)
		select {
		case inbox <- applyDoneMsg{step: name, err: err}:
		case <-done:
		}
		return nil
	})
}

// suggestSANs asks the engine for the daemon node's names and addresses.
func (s *stepPage) suggestSANs(ssh string) tea.Cmd {
	s.suggesting = true
	s.suggestFor = ssh
	s.form.hint = s.c.T("ui.step.gathering", "Host", daemonHostName(s.c.cfg.Localizer, s.c.plan()))
	e, ctx := s.c.engine, s.c.ctx
	return tea.Batch(s.c.startBusy(), func() tea.Msg {
		sans, err := e.SuggestSANs(ctx)
		return sansMsg{sans: sans, err: err}
	})
}

// afterField reacts to leaving a field: after the SSH key (the field that
// follows daemon.ssh) the target is written into the plan and the node is
// asked for its names. Not earlier: connecting may ask a question (host
// key, password) and it must not catch keys meant for the identity field.
func (s *stepPage) afterField(left int) tea.Cmd {
	f := &s.form.fields[left]
	switch f.spec.key {
	case "daemon.identity":
		ssh := s.form.field("daemon.ssh")
		if ssh.err != nil || checkSSHTarget(ssh.value()) != nil || s.suggesting {
			return nil
		}
		if ssh.value() == s.suggestFor {
			return nil
		}
		target, identity := ssh.value(), s.form.field("daemon.identity").value()
		if err := s.c.updatePlan(func(p *plan.Plan) error {
			p.Daemon.SSH = target
			p.Daemon.Identity = identity
			return nil
		}); err != nil {
			s.notice = s.c.Error(err)
			return nil
		}
		return s.suggestSANs(target)
	}
	return nil
}

func (s *stepPage) onSANs(msg sansMsg) {
	s.suggesting = false
	if s.name != wizard.StepDaemonCert {
		return
	}
	host := daemonHostName(s.c.cfg.Localizer, s.c.plan())
	s.sansRefused = false
	var hk *remote.HostKeyError
	if errors.As(msg.err, &hk) && hk.Problem == remote.HostKeyUnknown {
		// Refusing is not final: ctrl+r connects again and asks again.
		s.sansRefused = true
		s.form.hint = s.c.T("ui.step.hostkey_refused", "Host", hk.Host)
		return
	}
	if msg.err != nil {
		s.form.hint = s.c.T("ui.step.gather_failed", "Host", host, "Err", msg.err)
		return
	}
	if len(msg.sans) == 0 {
		s.form.hint = s.c.T("ui.step.no_names", "Host", host)
		return
	}
	sans := s.form.field("daemon.sans")
	if s.canFillSANs && sans.input.Value() == s.fillSANs {
		sans.input.SetValue(strings.Join(msg.sans, ", "))
		sans.input.CursorEnd()
		s.fillSANs = sans.input.Value()
		sans.err = nil
		s.form.hint = s.c.T("ui.step.suggested", "Host", host)
	} else {
		s.form.hint = s.c.T("ui.step.also_answers", "Host", host, "Names", strings.Join(msg.sans, ", "))
	}
	addr := s.form.field("daemon.address")
	if s.canFillAddr && addr.input.Value() == s.fillAddr {
		addr.input.SetValue(s.c.plan().AddressFor(msg.sans[0])) // listen's port, IPv6 in brackets
		s.fillAddr = addr.input.Value()
		addr.err = nil
	}
}

func (s *stepPage) onEvent(ev wizard.Event) {
	if ev.Step != "" && ev.Step != s.name {
		// another step reported (e.g. a dependency): only its mark changes.
		switch ev.Kind {
		case wizard.EventDone, wizard.EventSkipped:
			s.c.marks[ev.Step] = markOK
		case wizard.EventFailed:
			s.c.marks[ev.Step] = markFail
		}
		return
	}
	if ev.Report != nil {
		s.report = ev.Report // verify's report, for the final screen
	}
	switch ev.Kind {
	case wizard.EventProgress:
		s.progress = ev
	case wizard.EventInfo, wizard.EventWarn:
		s.log = append(s.log, ev)
	case wizard.EventDone:
		s.summary = ev.Message
	case wizard.EventSkipped:
		s.summary, s.skipped = ev.Message, true
	case wizard.EventFailed:
		if ev.Err != nil {
			s.err = ev.Err
		}
	}
}

func (s *stepPage) onApplied(msg applyDoneMsg) tea.Cmd {
	s.c.busy = false
	if msg.err != nil {
		s.phase = phaseFailed
		s.err = msg.err
		s.c.marks[msg.step] = markFail
		return nil
	}
	s.c.marks[msg.step] = markOK
	s.phase = phaseResult
	if msg.step == wizard.StepVerify {
		return show(newFinalPage(s.c, s, s.report, s.log))
	}
	return nil
}

// fieldStep finds the step that asks for a plan field, and its spec.
func fieldStep(l *i18n.Localizer, field string) (int, fieldSpec, bool) {
	if field == "" {
		return 0, fieldSpec{}, false
	}
	for i, n := range wizard.StepNames() {
		for _, f := range fieldsFor(l, n) {
			if f.key == field {
				return i, f, true
			}
		}
	}
	return 0, fieldSpec{}, false
}

// edit goes to the answer that fixes a failure: this step's form, or the
// step that asks for it, with the cursor in that field.
func (s *stepPage) edit(field string) tea.Cmd {
	i, _, ok := fieldStep(s.c.cfg.Localizer, field)
	if !ok {
		return nil
	}
	if i == s.idx {
		s.c.busy = false
		s.phase = phaseForm
		s.c.scroll = 0
		s.form.focusKey(field)
		return nil
	}
	p := newStepPage(s.c, i)
	p.form.focusKey(field)
	return show(p)
}

// next leaves a finished step: back to doctor's list in a repair, else on
// to the next step.
func (s *stepPage) next() tea.Cmd {
	if s.c.repair {
		return runDoctor(s.c)
	}
	return show(newStepPage(s.c, s.idx+1))
}

// back goes one screen back within the step, then to the previous step.
func (s *stepPage) back() tea.Cmd {
	switch s.phase {
	case phaseDescribe, phaseFailed:
		if len(s.form.fields) > 0 {
			s.c.busy = false
			s.phase = phaseForm
			s.c.scroll = 0
			return nil
		}
	case phaseResult:
		s.phase = phaseDescribe
		return nil
	case phaseRunning:
		return nil
	}
	if s.c.repair {
		return runDoctor(s.c)
	}
	if s.idx == 0 {
		return show(newStartPage(s.c, choiceNew, nil))
	}
	return show(newStepPage(s.c, s.idx-1))
}

func (s *stepPage) View() string {
	st, width := s.c.styles, s.width
	var b strings.Builder
	c, title := s.c, wizard.StepTitleIn(s.c.cfg.Localizer, s.name)
	b.WriteString(st.Title.Render(c.T("ui.step.heading", "N", s.idx+1, "Title", title)) + "\n")
	switch s.phase {
	case phaseForm:
		b.WriteString(st.Subtle.Render(introLines(s.c.cfg.StepText(s.name), width, 3)) + "\n\n")
		b.WriteString(s.form.view(s.c, st, width))
	case phaseDescribe:
		switch {
		case s.descErr != nil:
			b.WriteString("\n" + s.failureView(c.T("ui.step.cannot_prepare"), s.descErr, width))
		case s.desc == nil:
			b.WriteString("\n" + s.c.spin.View() + " " + c.T("ui.step.looking"))
		default:
			b.WriteString(s.describeView(width))
		}
	case phaseRunning:
		b.WriteString("\n")
		if p := s.progress; p.Total > 0 {
			pct := float64(p.Done) / float64(p.Total)
			b.WriteString(progressBar(st, pct, min(50, width-20)) + fmt.Sprintf("  %d/%d", p.Done, p.Total) + "\n")
			if p.Message != "" {
				b.WriteString(st.Subtle.Render(p.Message) + "\n")
			}
		} else {
			// a single action: the spinner, with what it is doing now
			b.WriteString(s.c.spin.View() + " " + title + "…\n")
			if p.Message != "" {
				b.WriteString(st.Subtle.Render(hang(wrap("  "+p.Message, width), 2)) + "\n")
			}
		}
		b.WriteString(eventLines(st, s.log, width))
	case phaseResult:
		mark, text := st.OK.Render("✓"), orDefault(s.summary, c.T("ui.step.done"))
		if s.skipped {
			text = orDefault(s.summary, c.T("ui.step.already_done"))
		}
		b.WriteString("\n" + mark + " " + wrap(text, width-2) + "\n")
		b.WriteString(eventLines(st, s.log, width))
	case phaseFailed:
		b.WriteString("\n" + s.failureView(c.T("ui.step.failed", "Title", title), s.err, width))
		if s.report != nil { // verify: what the live test saw
			b.WriteString("\n\n" + markProbes(st, strings.TrimRight(s.report.String(), "\n")))
		}
		if lines := eventLines(st, s.log, width); lines != "" {
			b.WriteString("\n" + lines)
		}
	}
	if s.notice != "" {
		b.WriteString("\n\n" + st.Warn.Render(wrap(s.notice, width)))
	}
	return strings.TrimRight(b.String(), "\n")
}

func (s *stepPage) describeView(width int) string {
	st := s.c.styles
	d := s.desc
	var b strings.Builder
	// the action first, so it is on screen however long the rest is
	b.WriteString("\n" + s.c.T("ui.step.runs", "Enter", st.Accent.Render("enter")))
	if len(d.Commands) > 0 && !s.commands {
		b.WriteString(st.Subtle.Render(s.c.T("ui.step.show_commands", "N", len(d.Commands))))
	}
	b.WriteString("\n")
	if d.What != "" {
		b.WriteString("\n" + wrap(d.What, width) + "\n")
	}
	if len(d.Changes) > 0 {
		b.WriteString("\n" + st.Warn.Render(s.c.T("ui.step.changes")) + "\n")
		for _, c := range d.Changes {
			line := "  • " + c.Host + ": " + c.Summary
			if c.Path != "" {
				line += " (" + c.Path + ")"
			}
			b.WriteString(hang(wrap(line, width-4), 4) + "\n") // continuation lines are indented by 4
		}
	}
	if s.commands {
		b.WriteString("\n" + st.Title.Render(s.c.T("ui.step.by_hand")) + st.Subtle.Render(" "+s.c.T("ui.step.script_hint", "File", filepath.Base(s.scriptPath()))) + "\n")
		for _, c := range d.Commands {
			b.WriteString(st.Code.Render(indent(wrapCommand(c, width-2), "  ")) + "\n")
		}
	}
	if d.Why != "" {
		b.WriteString("\n" + st.Subtle.Render(wrap(strings.TrimSpace(d.Why), width)) + "\n")
	}
	return b.String()
}

// failureView is what failed, the way forward (on screen even at 60x20),
// then why, in the error's own words.
func (s *stepPage) failureView(title string, err error, width int) string {
	st := s.c.styles
	msg := s.c.T("ui.step.unknown_error") // never shown: every caller has an error
	if err != nil {
		msg = s.c.Error(err)
	}
	return styleLines(st.Fail, wrap("✗ "+title, width)) + "\n" + s.wayForward(err, width) + "\n\n" + wrap(msg, width)
}

// wayForward lists what the user can do about a failure: the answer that
// fixes it (e), what a retry asks again (r), and the same run from a shell.
func (s *stepPage) wayForward(err error, width int) string {
	st := s.c.styles
	var lines []string
	if _, spec, ok := fieldStep(s.c.cfg.Localizer, plan.FieldOf(err)); ok {
		lines = append(lines, s.c.T("ui.step.fix_field", "E", st.Key.Render("e"), "Label", spec.label, "Key", spec.key))
	}
	retry := s.c.T("ui.step.retry", "R", st.Key.Render("r"))
	if note := wizard.RetryNote(err, st.Key.Render("r")); !note.IsZero() {
		retry = s.c.cfg.Localizer.Msg(note)
	}
	lines = append(lines, retry)
	for i, l := range lines {
		lines[i] = hang(wrap(l, width), 2)
	}
	cmd := s.c.command("apply", planArg(s.c)+" --step "+string(s.name))
	from := s.c.T("ui.step.from_shell")
	if lipgloss.Width(from)+1+lipgloss.Width(cmd) <= width {
		lines = append(lines, st.Subtle.Render(from)+" "+st.Code.Render(cmd))
	} else {
		lines = append(lines, st.Subtle.Render(from)+"\n"+st.Code.Render(indent(wrapCommand(cmd, width-2), "  ")))
	}
	return strings.Join(lines, "\n")
}

// introLines is as many whole sentences of text as fit in maxLines lines
// (at least the first): the full text is on the step's next screen.
func introLines(text string, width, maxLines int) string {
	out := ""
	for _, sent := range sentences(text) {
		next := out + sent
		if out != "" && strings.Count(wrap(strings.TrimSpace(next), width), "\n") >= maxLines {
			break
		}
		out = next
	}
	return wrap(strings.TrimSpace(out), width)
}

// StepIntro is a short reason shown above a step's answers, before the
// engine's own description (which needs the answers) is available: the
// first paragraph of assets/steps/NAME.md in l's language.
func StepIntro(l *i18n.Localizer, s wizard.StepName) string {
	if ps := l.Paragraphs("steps/" + string(s) + ".md"); len(ps) > 0 {
		return ps[0]
	}
	return ""
}

// sentences splits text after each sentence: ". " in English and German,
// "。" in Chinese (which needs no space after it).
func sentences(text string) []string {
	var out []string
	for len(text) > 0 {
		i, n := strings.Index(text, ". "), 2
		if j := strings.Index(text, "。"); j >= 0 && (i < 0 || j < i) {
			i, n = j, len("。")
		}
		if i < 0 {
			return append(out, text)
		}
		out = append(out, text[:i+n])
		text = text[i+n:]
	}
	return out
}

func eventLines(st Styles, evs []wizard.Event, width int) string {
	var b strings.Builder
	for _, ev := range evs {
		switch ev.Kind {
		case wizard.EventInfo:
			b.WriteString(st.Subtle.Render("  • ") + hang(wrap(ev.Message, width-4), 4) + "\n")
		case wizard.EventWarn:
			b.WriteString(st.Warn.Render("  ! "+hang(wrap(ev.Message, width-4), 4)) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// progressBar draws a bar without animation: nothing ticks while it waits.
func progressBar(st Styles, pct float64, width int) string {
	width = max(10, width)
	full := int(pct*float64(width) + 0.5)
	full = min(max(full, 0), width)
	return st.Accent.Render(strings.Repeat("█", full)) + st.Subtle.Render(strings.Repeat("░", width-full)) +
		fmt.Sprintf(" %3.0f%%", pct*100)
}
