package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/assets"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
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
	idx        int
	name       wizard.StepName
	phase      stepPhase
	form       form
	desc       *wizard.Description
	descErr    error
	commands   bool // the manual commands are shown
	log        []wizard.Event
	progress   wizard.Event // last EventProgress
	summary    string       // the Done/Skipped message
	skipped    bool
	err        error
	data       any    // the last Event.Data (verify: *probe.Report)
	suggesting bool   // SuggestSANs runs
	suggestFor string // the daemon.ssh the suggestion was made for
	// Suggestions fill the SANs and the address only when the plan had
	// none and the user has not typed any since (fill* holds what was
	// last filled in; the bool says filling is allowed at all).
	fillSANs, fillAddr       string
	canFillSANs, canFillAddr bool
}

// enterStep shows step i, starting with its answers (or its description
// when it asks nothing).
func (m *Model) enterStep(i int) tea.Cmd {
	names := wizard.StepNames()
	i = min(max(0, i), len(names)-1)
	p := m.plan()
	m.page = pageStep
	m.scroll = 0
	m.showTopo = false
	m.step = stepPage{idx: i, name: names[i], form: newForm(fieldsFor(names[i]), p, m.styles)}
	m.step.form.setWidth(m.bodyWidth())
	if len(m.step.form.fields) == 0 {
		return m.describe()
	}
	if f := m.step.form.field("daemon.sans"); f != nil {
		m.step.canFillSANs = len(p.Daemon.SANs) == 0
		m.step.canFillAddr = p.Daemon.Address == ""
		if p.Daemon.SSH != "" && p.Daemon.SSH != plan.TargetLocal && len(p.Daemon.SANs) == 0 {
			return m.suggestSANs(p.Daemon.SSH)
		}
	}
	return nil
}

// submitForm checks the answers against the plan's own rules, writes them
// into the plan and goes on to the description (which saves the plan).
func (m *Model) submitForm() tea.Cmd {
	if m.step.suggesting {
		m.notice = "still gathering the node's names; one moment"
		return nil
	}
	p := m.plan()
	trial := *p
	m.step.form.commit(&trial)
	if m.step.form.showPlanErrors(planErrors(trial.Validate())) {
		return nil
	}
	m.step.form.commit(p)
	if m.step.name == wizard.StepCA {
		return tea.Batch(m.prewarm(), m.describe())
	}
	return m.describe()
}

// planErrors lists the plan.Errors in err (nil when err is something else).
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

// Prewarmer is an Engine that can generate keys in the background as soon
// as the key type is known, so that the steps rarely wait for them.
type Prewarmer interface {
	Prewarm(ctx context.Context)
}

// prewarm lets the engine start generating keys while the user reads on.
func (m *Model) prewarm() tea.Cmd {
	p, ok := m.engine.(Prewarmer)
	if !ok {
		return nil
	}
	ctx := m.ctx
	return func() tea.Msg {
		p.Prewarm(ctx)
		return nil
	}
}

// describe saves the answers and asks the engine what the step will do.
func (m *Model) describe() tea.Cmd {
	m.step.phase = phaseDescribe
	m.step.desc, m.step.descErr = nil, nil
	m.scroll = 0
	e, ctx, name := m.engine, m.ctx, m.step.name
	return tea.Batch(m.startBusy(), func() tea.Msg {
		if err := e.SavePlan(); err != nil {
			return describedMsg{step: name, err: fmt.Errorf("your answers could not be saved: %w", err)}
		}
		d, err := e.Describe(ctx, name)
		return describedMsg{step: name, desc: d, err: err}
	})
}

// apply runs the step; its Events and its end arrive through the inbox.
func (m *Model) apply() tea.Cmd {
	m.step.phase = phaseRunning
	m.step.log, m.step.err, m.step.summary, m.step.skipped = nil, nil, "", false
	m.step.progress, m.step.data = wizard.Event{}, nil
	m.scroll = 0
	m.marks[m.step.name] = markRunning
	e, ctx, name, inbox, done := m.engine, m.ctx, m.step.name, m.inbox, m.done
	return tea.Batch(m.startBusy(), func() tea.Msg {
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
func (m *Model) suggestSANs(ssh string) tea.Cmd {
	m.step.suggesting = true
	m.step.suggestFor = ssh
	m.step.form.hint = "gathering names and addresses from " + daemonHostName(m.plan()) + "…"
	e, ctx := m.engine, m.ctx
	return tea.Batch(m.startBusy(), func() tea.Msg {
		sans, err := e.SuggestSANs(ctx)
		return sansMsg{sans: sans, err: err}
	})
}

// afterField reacts to leaving a field: after the SSH key (the field that
// follows daemon.ssh) the target is written into the plan and the node is
// asked for its names. Not earlier: connecting may ask a question (host
// key, password) and it must not catch keys meant for the identity field.
func (m *Model) afterField(left int) tea.Cmd {
	f := &m.step.form.fields[left]
	switch f.spec.key {
	case "daemon.identity":
		ssh := m.step.form.field("daemon.ssh")
		if ssh.err != nil || checkSSHTarget(ssh.value()) != nil || m.step.suggesting {
			return nil
		}
		if ssh.value() == m.step.suggestFor {
			return nil
		}
		p := m.plan()
		p.Daemon.SSH = ssh.value()
		p.Daemon.Identity = m.step.form.field("daemon.identity").value()
		return m.suggestSANs(ssh.value())
	}
	return nil
}

func (m *Model) onSANs(msg sansMsg) {
	m.step.suggesting = false
	if m.page != pageStep || m.step.name != wizard.StepDaemonCert {
		return
	}
	host := daemonHostName(m.plan())
	if msg.err != nil {
		m.step.form.hint = "could not gather names from " + host + ": " + msg.err.Error() + " (type them yourself)"
		return
	}
	if len(msg.sans) == 0 {
		m.step.form.hint = host + " reported no names: type them yourself"
		return
	}
	s := &m.step
	sans := s.form.field("daemon.sans")
	if s.canFillSANs && sans.input.Value() == s.fillSANs {
		sans.input.SetValue(strings.Join(msg.sans, ", "))
		sans.input.CursorEnd()
		s.fillSANs = sans.input.Value()
		sans.err = nil
		s.form.hint = "suggested by " + host + ": edit as needed"
	} else {
		s.form.hint = host + " also answers to: " + strings.Join(msg.sans, ", ")
	}
	addr := s.form.field("daemon.address")
	if s.canFillAddr && addr.input.Value() == s.fillAddr {
		addr.input.SetValue("tcp://" + msg.sans[0] + ":2376")
		s.fillAddr = addr.input.Value()
		addr.err = nil
	}
}

func (m *Model) onEvent(ev wizard.Event) {
	if ev.Step != "" && ev.Step != m.step.name {
		// another step reported (e.g. a dependency): only its mark changes.
		switch ev.Kind {
		case wizard.EventDone, wizard.EventSkipped:
			m.marks[ev.Step] = markOK
		case wizard.EventFailed:
			m.marks[ev.Step] = markFail
		}
		return
	}
	if ev.Data != nil {
		m.step.data = ev.Data // verify's report, for the final screen
	}
	switch ev.Kind {
	case wizard.EventProgress:
		m.step.progress = ev
	case wizard.EventInfo, wizard.EventWarn:
		m.step.log = append(m.step.log, ev)
	case wizard.EventDone:
		m.step.summary = ev.Message
	case wizard.EventSkipped:
		m.step.summary, m.step.skipped = ev.Message, true
	case wizard.EventFailed:
		if ev.Err != nil {
			m.step.err = ev.Err
		}
	}
}

func (m *Model) onApplied(msg applyDoneMsg) tea.Cmd {
	m.busy = false
	if msg.err != nil {
		m.step.phase = phaseFailed
		m.step.err = msg.err
		m.marks[msg.step] = markFail
		return nil
	}
	m.marks[msg.step] = markOK
	m.step.phase = phaseResult
	if msg.step == wizard.StepVerify {
		m.final = finalPage{data: m.step.data, log: m.step.log}
		m.page = pageFinal
		m.scroll = 0
	}
	return nil
}

// next leaves a finished step: back to doctor's list in a repair, else on
// to the next step.
func (m *Model) next() tea.Cmd {
	if m.repair {
		return m.runDoctor()
	}
	return m.enterStep(m.step.idx + 1)
}

// back goes one screen back within the step, then to the previous step.
func (m *Model) back() tea.Cmd {
	switch m.step.phase {
	case phaseDescribe, phaseFailed:
		if len(m.step.form.fields) > 0 {
			m.busy = false
			m.step.phase = phaseForm
			m.scroll = 0
			return nil
		}
	case phaseResult:
		m.step.phase = phaseDescribe
		return nil
	case phaseRunning:
		return nil
	}
	if m.repair {
		return m.runDoctor()
	}
	if m.step.idx == 0 {
		m.page = pageStart
		return nil
	}
	return m.enterStep(m.step.idx - 1)
}

func (m *Model) stepView(width int) string {
	st := m.styles
	s := &m.step
	var b strings.Builder
	b.WriteString(st.Title.Render(fmt.Sprintf("Step %d of 7 · %s", s.idx+1, wizard.StepTitle(s.name))) + "\n")
	switch s.phase {
	case phaseForm:
		b.WriteString(st.Subtle.Render(introLines(m.cfg.StepText(s.name), width, 3)) + "\n\n")
		b.WriteString(s.form.view(st, width))
	case phaseDescribe:
		switch {
		case s.descErr != nil:
			b.WriteString("\n" + errorView(st, "Could not prepare this step", s.descErr, width))
		case s.desc == nil:
			b.WriteString("\n" + m.spin.View() + " looking at what this step has to do…")
		default:
			b.WriteString(m.describeView(width))
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
			b.WriteString(m.spin.View() + " " + wizard.StepTitle(s.name) + "…\n")
			if p.Message != "" {
				b.WriteString(st.Subtle.Render(hang(wrap("  "+p.Message, width), 2)) + "\n")
			}
		}
		b.WriteString(eventLines(st, s.log, width))
	case phaseResult:
		mark, text := st.OK.Render("✓"), orDefault(s.summary, "done")
		if s.skipped {
			text = orDefault(s.summary, "already done; nothing changed")
		}
		b.WriteString("\n" + mark + " " + wrap(text, width-2) + "\n")
		b.WriteString(eventLines(st, s.log, width))
	case phaseFailed:
		b.WriteString("\n" + errorView(st, wizard.StepTitle(s.name)+" failed", s.err, width))
		if r, ok := s.data.(fmt.Stringer); ok { // verify: what the live test saw
			b.WriteString("\n\n" + markProbes(st, strings.TrimRight(r.String(), "\n")))
		}
		if lines := eventLines(st, s.log, width); lines != "" {
			b.WriteString("\n" + lines)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func (m *Model) describeView(width int) string {
	st := m.styles
	d := m.step.desc
	var b strings.Builder
	if d.What != "" {
		b.WriteString("\n" + wrap(d.What, width) + "\n")
	}
	// the action first, so it is on screen however long the rest is
	b.WriteString("\n" + st.Accent.Render("enter") + " runs this step")
	if len(d.Commands) > 0 && !m.step.commands {
		b.WriteString(st.Subtle.Render(fmt.Sprintf(" · m shows the %d manual commands", len(d.Commands))))
	}
	b.WriteString("\n")
	if len(d.Changes) > 0 {
		b.WriteString("\n" + st.Warn.Render("Changes to confirm before they are made:") + "\n")
		for _, c := range d.Changes {
			line := "  • " + c.Host + ": " + c.Summary
			if c.Path != "" {
				line += " (" + c.Path + ")"
			}
			b.WriteString(hang(wrap(line, width-4), 4) + "\n") // continuation lines are indented by 4
		}
	}
	if m.step.commands {
		b.WriteString("\n" + st.Title.Render("The same by hand:") + "\n")
		for _, c := range d.Commands {
			b.WriteString(st.Code.Render(indent(wrapCommand(c, width-2), "  ")) + "\n")
		}
	}
	if d.Why != "" {
		b.WriteString("\n" + st.Subtle.Render(wrap(strings.TrimSpace(d.Why), width)) + "\n")
	}
	return b.String()
}

// introLines is as many whole sentences of text as fit in maxLines lines
// (at least the first): the full text is on the step's next screen.
func introLines(text string, width, maxLines int) string {
	out := ""
	for _, sent := range strings.SplitAfter(text, ". ") {
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
// first paragraph of assets/steps/NAME.md, or one line of our own.
func StepIntro(s wizard.StepName) string {
	if data, err := fs.ReadFile(assets.FS, "steps/"+string(s)+".md"); err == nil {
		if p := firstParagraph(string(data)); p != "" {
			return p
		}
	}
	switch s {
	case wizard.StepCA:
		return "Your own certificate authority signs the daemon's and the clients' certificates; both sides trust only it."
	case wizard.StepDaemonCert:
		return "The daemon proves who it is with a certificate valid for every name and address clients dial."
	case wizard.StepClientCert:
		return "Clients prove who they are with their own certificate; the daemon refuses everyone else."
	case wizard.StepDistribute:
		return "Each machine gets only its own key and certificate plus ca.pem; the CA key stays here."
	case wizard.StepDaemonConfig:
		return "dockerd listens on TCP with tlsverify; daemon.json is merged, backed up, and restored if the daemon does not come back."
	case wizard.StepClientEnv:
		return "DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH tell the docker CLI where and how to connect."
	}
	return ""
}

// firstParagraph is the first block of text of a Markdown file, headings
// skipped and lines joined.
func firstParagraph(md string) string {
	var lines []string
	for _, l := range strings.Split(md, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "#"):
			continue
		case l == "" && len(lines) > 0:
			return strings.Join(lines, " ")
		case l != "":
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " ")
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

// errorView shows what failed and, in the error's own words, why and what
// to do next (the engine's errors carry both).
func errorView(st Styles, title string, err error, width int) string {
	msg := "unknown error"
	if err != nil {
		msg = err.Error()
	}
	return st.Fail.Render("✗ "+title) + "\n" + wrap(msg, width)
}

// progressBar draws a bar without animation: nothing ticks while it waits.
func progressBar(st Styles, pct float64, width int) string {
	width = max(10, width)
	full := int(pct*float64(width) + 0.5)
	full = min(max(full, 0), width)
	return st.Accent.Render(strings.Repeat("█", full)) + st.Subtle.Render(strings.Repeat("░", width-full)) +
		fmt.Sprintf(" %3.0f%%", pct*100)
}
