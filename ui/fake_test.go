package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
	"github.com/dockertls/dockertls/wizard/probe"
)

// fakeEngine is a wizard.Engine for the UI's own tests: it records what the
// UI asked for and plays scripted steps (events, questions, results). The
// real engine runs in e2e/tui_test.go.
type fakeEngine struct {
	mu       sync.Mutex
	plan     *plan.Plan
	prompter wizard.Prompter
	saves    int
	applied  []wizard.StepName
	checks   map[wizard.StepName][]wizard.Finding
	doctor   []wizard.Finding
	sans     []string
	sansErr  error
	fail     map[wizard.StepName]error // Apply fails with this once
	descErr  map[wizard.StepName]error // Describe fails with this once
	answers  map[string]any            // what the prompter answered, by question
	closed   bool
	prewarms int
}

func newFakeEngine() *fakeEngine {
	return &fakeEngine{
		plan:    &plan.Plan{},
		checks:  map[wizard.StepName][]wizard.Finding{},
		fail:    map[wizard.StepName]error{},
		descErr: map[wizard.StepName]error{},
		answers: map[string]any{},
		sans:    []string{"node3", "10.213.0.2"},
	}
}

// Plan is a copy, as the real engine's: the UI changes the plan only
// through UpdatePlan.
func (f *fakeEngine) Plan() *plan.Plan {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.plan.Clone()
}

func (f *fakeEngine) UpdatePlan(change func(*plan.Plan) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	next := f.plan.Clone()
	if err := change(next); err != nil {
		return err
	}
	f.plan = next
	return nil
}
func (f *fakeEngine) SavePlan() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saves++
	return nil
}
func (f *fakeEngine) Check(ctx context.Context, s wizard.StepName) []wizard.Finding {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.checks[s]
}
func (f *fakeEngine) Describe(ctx context.Context, s wizard.StepName) (wizard.Description, error) {
	f.mu.Lock()
	err := f.descErr[s]
	delete(f.descErr, s)
	f.mu.Unlock()
	if err != nil {
		return wizard.Description{}, err
	}
	d := wizard.Description{Step: s, Title: wizard.StepTitle(s), Why: "Why " + string(s) + " matters.",
		What: "What " + string(s) + " will do.", Commands: []string{"openssl version # " + string(s)}}
	if s == wizard.StepDaemonConfig {
		d.Changes = []wizard.Change{{Host: "node3", Path: "/etc/docker/daemon.json", Summary: "merge daemon.json", Diff: daemonDiff}}
	}
	return d, nil
}

const daemonDiff = `--- /etc/docker/daemon.json
+++ /etc/docker/daemon.json (new)
@@ -1,3 +1,7 @@
 {
-  "log-level": "info"
+  "log-level": "info",
+  "tlsverify": true,
+  "hosts": ["fd://", "tcp://0.0.0.0:2376"]
 }`

// fakeReport is what verify reports for a secure daemon.
func fakeReport() *probe.Report {
	return &probe.Report{
		Address: probe.Address{Host: "node3", Port: 2376},
		Server: &probe.ServerVersion{Version: "20.10.24+dfsg1", APIVersion: "1.41", MinAPIVersion: "1.12",
			GoVersion: "go1.19.8", GitCommit: "5d6db84", Os: "linux", Arch: "amd64"},
		Handshake: &probe.TLSInfo{Version: "TLS 1.3", CipherSuite: "TLS_AES_128_GCM_SHA256", ServerSubject: "CN=node3",
			NotAfter: time.Date(2028, 11, 21, 5, 0, 0, 0, time.UTC), DaysLeft: 729, CertRequested: true, ClientSubject: "CN=client"},
		Probes: []probe.ProbeResult{
			{Name: probe.ProbePlainHTTP, Title: "plain HTTP (no TLS) to node3:2376", Outcome: probe.Refused},
			{Name: probe.ProbeNoClientCert, Title: "TLS without a client certificate", Outcome: probe.Refused},
			{Name: probe.ProbeForeignCA, Title: "TLS with a certificate from a throwaway CA", Outcome: probe.Refused},
			{Name: probe.ProbePlainPort, Title: "plain HTTP on port 2375", Outcome: probe.Refused},
		},
	}
}

func (f *fakeEngine) Apply(ctx context.Context, s wizard.StepName, emit func(wizard.Event)) error {
	f.mu.Lock()
	f.applied = append(f.applied, s)
	failErr := f.fail[s]
	delete(f.fail, s)
	f.mu.Unlock()
	emit(wizard.Event{Step: s, Kind: wizard.EventStart})
	if failErr != nil {
		emit(wizard.Event{Step: s, Kind: wizard.EventFailed, Err: failErr})
		return failErr
	}
	switch s {
	case wizard.StepCA:
		p, err := f.prompter.CAPassphrase(ctx, true)
		if err != nil {
			return err
		}
		f.record("ca-passphrase", p)
		emit(wizard.Event{Step: s, Kind: wizard.EventInfo, Message: "wrote ./pki/ca.pem (SHA256 Fingerprint=AB:CD), valid until 2028-11-22"})
	case wizard.StepDaemonCert:
		ok, err := f.prompter.TrustHostKey(ctx, remote.HostKeyRequest{Host: "node3:22", KeyType: "ssh-ed25519", Fingerprint: "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", KnownHosts: "~/.ssh/known_hosts"})
		if err != nil {
			return err
		}
		f.record("hostkey", ok)
		if !ok {
			return fmt.Errorf("cannot reach root@node3 (daemon.ssh): %w", &remote.HostKeyError{Problem: remote.HostKeyUnknown,
				Host: "node3:22", KeyType: "ssh-ed25519", Fingerprint: "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", KnownHosts: "~/.ssh/known_hosts"})
		}
		pw, err := f.prompter.Secret(ctx, remote.SecretRequest{Kind: remote.SecretSudoPassword, Host: "node3:22", User: "admin"})
		if err != nil {
			return err
		}
		f.record("sudo", pw)
	case wizard.StepDistribute:
		for i := 1; i <= 6; i++ {
			emit(wizard.Event{Step: s, Kind: wizard.EventProgress, Done: i, Total: 6, Message: fmt.Sprintf("file %d of 6", i)})
		}
	case wizard.StepDaemonConfig:
		ok, err := f.prompter.Confirm(ctx, wizard.ConfirmRequest{Step: s, Changes: []wizard.Change{{Host: "node3", Path: "/etc/docker/daemon.json", Summary: "merge daemon.json", Diff: daemonDiff}}})
		if err != nil {
			return err
		}
		f.record("confirm", ok)
		if !ok {
			return fmt.Errorf("the changes to node3 were not confirmed: %w", wizard.ErrNotConfirmed)
		}
	case wizard.StepVerify:
		emit(wizard.Event{Step: s, Kind: wizard.EventDone, Message: "Docker Engine 20.10.24 answers over mutual TLS", Report: fakeReport()})
		return nil
	}
	emit(wizard.Event{Step: s, Kind: wizard.EventDone, Message: string(s) + " done"})
	return nil
}

func (f *fakeEngine) record(k string, v any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[k] = v
}

func (f *fakeEngine) answer(k string) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.answers[k]
}

func (f *fakeEngine) Doctor(ctx context.Context) []wizard.Finding {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.doctor
}
func (f *fakeEngine) SuggestSANs(ctx context.Context) ([]string, error) {
	return f.sans, f.sansErr
}
func (f *fakeEngine) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}
func (f *fakeEngine) Prewarm(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.prewarms++
}

// testConfig wires a fake engine; files lists the plan files that "exist".
func testConfig(fe *fakeEngine, files ...string) Config {
	exists := map[string]bool{}
	for _, f := range files {
		exists[f] = true
	}
	return Config{
		PlanPath: "dockertls.yaml",
		NewPlan:  func() *plan.Plan { return &plan.Plan{} },
		LoadPlan: func(path string) (*plan.Plan, error) {
			if !exists[path] {
				return nil, fmt.Errorf("plan file %s does not exist", path)
			}
			fe.plan.Path = path
			return fe.plan, nil
		},
		NewEngine: func(pl *plan.Plan, p wizard.Prompter) (wizard.Engine, error) {
			fe.plan = pl
			fe.prompter = p
			return fe, nil
		},
		Getenv:     func(k string) string { return map[string]string{"SHELL": "/bin/bash"}[k] },
		FileExists: func(p string) bool { return exists[p] },
		// fixed texts: the screens under test must not change when
		// someone edits assets/steps/*.md
		StepText: func(s wizard.StepName) string {
			return "Why " + string(s) + " comes here. A second sentence that only fits on a wide screen. A third one."
		},
	}
}

// harness drives a Model synchronously-enough for model tests: commands run
// in goroutines, their messages and the inbox are fed back to Update until
// nothing is in flight or the engine waits for an answer.
type harness struct {
	t           *testing.T
	m           *Model
	results     chan tea.Msg
	outstanding int
	quit        bool
}

func newHarness(t *testing.T, cfg Config) *harness {
	m := New(cfg)
	m.manualInbox = true
	h := &harness{t: t, m: m, results: make(chan tea.Msg, 64)}
	t.Cleanup(func() { _ = m.Close() })
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	return h
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	h.outstanding++
	go func() { h.results <- cmd() }()
}

// send delivers msg and waits until the model is idle again.
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	h.feed(msg)
	h.settle()
}

func (h *harness) feed(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
		return
	case spinner.TickMsg:
		return // no animation in model tests
	case tea.QuitMsg:
		h.quit = true
		return
	}
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

func (h *harness) settle() {
	h.t.Helper()
	deadline := time.After(60 * time.Second) // a hang guard sized for a loaded machine, not a timing assertion
	for {
		if h.outstanding == 0 && len(h.m.inbox) == 0 {
			return
		}
		if h.m.ask != nil && len(h.m.inbox) == 0 && len(h.results) == 0 {
			return // the engine waits for the user
		}
		select {
		case msg := <-h.results:
			h.outstanding--
			h.feed(msg)
		case msg := <-h.m.inbox:
			h.feed(inboxMsg{msg})
		case <-deadline:
			h.t.Fatalf("model did not settle; screen:\n%s", h.screen())
		}
	}
}

func (h *harness) key(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyMsg(k))
	}
}

func (h *harness) typ(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (h *harness) screen() string { return ansi.Strip(h.m.View().Content) }

func (h *harness) want(subs ...string) {
	h.t.Helper()
	s := h.screen()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			h.t.Fatalf("screen lacks %q:\n%s", sub, s)
		}
	}
}

func (h *harness) dontWant(subs ...string) {
	h.t.Helper()
	s := h.screen()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			h.t.Fatalf("screen shows %q:\n%s", sub, s)
		}
	}
}

// keyMsg builds a key press as the terminal would deliver it.
func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	case "ctrl+t":
		return tea.KeyPressMsg{Code: 't', Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

func fakeChange() wizard.Change {
	return wizard.Change{Host: "node3", Path: "/etc/docker/daemon.json", Summary: "merge daemon.json", Diff: daemonDiff}
}

// step is the step page on screen (the test fails on any other page).
func (h *harness) step() *stepPage {
	h.t.Helper()
	s, ok := h.m.page.(*stepPage)
	if !ok {
		h.t.Fatalf("not on a step page but %T:\n%s", h.m.page, h.screen())
	}
	return s
}
