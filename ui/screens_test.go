package ui

import (
	"errors"
	"strings"
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/fix"
	"github.com/dockertls/dockertls/wizard/plan"
)

// toDaemonCert opens a new setup and finishes step 1.
func toDaemonCert(t *testing.T, h *harness) {
	t.Helper()
	h.key("enter")                            // new setup
	h.key("enter", "enter", "enter", "enter") // ca form
	h.key("enter")                            // run
	h.key("enter", "enter")                   // empty passphrase twice: unencrypted
	h.want("✓ ca done")
	h.key("enter")
	h.want("Step 2 of 7")
}

func TestStartRepairWithoutPlan(t *testing.T) {
	h := newHarness(t, testConfig(newFakeEngine()))
	h.key("down")
	h.want("› Repair an existing setup")
	h.key("enter")
	h.want("there is no plan at dockertls.yaml to repair")
	h.key("3")
	h.want("Open a plan file", "› dockertls.yaml")
	h.key("enter")
	h.want("dockertls.yaml does not exist")
	h.key("esc")
	h.want("› Open a plan file")
}

func TestFormValidationBlocksAdvance(t *testing.T) {
	fe := newFakeEngine()
	h := newHarness(t, testConfig(fe))
	toDaemonCert(t, h)

	// A pasted ssh command is refused inline, saying what to type; enter
	// does not advance.
	h.key("ctrl+u")
	h.typ("ssh -p 2222 root@node3")
	h.key("enter")
	h.want(`is a whole ssh command: write`, "root@node3:2222 (local")
	if f := h.step().form.focused(); f.spec.key != "daemon.ssh" {
		t.Fatalf("focus moved to %s despite the error", f.spec.key)
	}
	// Fixing it clears the message as the user types.
	h.key("ctrl+u")
	h.typ("root@node3:2222")
	h.dontWant("whole ssh command")
	h.key("tab", "tab") // → sans; suggestions filled
	h.key("ctrl+u")
	h.typ("node3, bad/name")
	h.key("tab")
	h.want(`"bad/name": character '/' is not allowed in host names`)
	// An address the SANs do not cover is refused by the plan's own check.
	h.key("shift+tab", "ctrl+u")
	h.typ("node3")
	h.key("tab", "ctrl+u")
	h.typ("tcp://other:2376")
	h.key("enter")
	h.want(`add "other" to daemon.sans`)
	if h.step().phase != phaseForm {
		t.Fatal("an address outside the SANs was accepted")
	}
	// Without a port: the docker CLI would dial 2375.
	h.key("ctrl+u")
	h.typ("tcp://node3")
	h.key("enter")
	h.want("the docker CLI then dials 2375")
	h.key("ctrl+u")
	h.typ("tcp://node3:2376")
	h.key("enter")
	h.want("What daemon-cert will do.")
	if fe.plan.Daemon.SSH != "root@node3:2222" || fe.plan.Daemon.Address != "tcp://node3:2376" {
		t.Fatalf("plan not updated: %+v", fe.plan.Daemon)
	}
}

func TestDaysValidation(t *testing.T) {
	h := newHarness(t, testConfig(newFakeEngine()))
	h.key("enter", "tab", "tab", "tab", "ctrl+u")
	h.typ("9999")
	h.key("enter")
	h.want("validity of 9999 days is too long")
	h.key("esc") // back to the start screen
	h.want("› New setup")
}

func TestSuggestSANsFailureIsAHint(t *testing.T) {
	fe := newFakeEngine()
	fe.sansErr = errors.New("cannot connect to node3:22: connection refused")
	h := newHarness(t, testConfig(fe))
	toDaemonCert(t, h)
	h.key("ctrl+u")
	h.typ("root@node3")
	h.key("tab", "tab")
	h.want("could not gather names from node3", "type them yourself")
}

func TestSecretsFromEnvironmentAreNotAsked(t *testing.T) {
	fe := newFakeEngine()
	cfg := testConfig(fe)
	cfg.Getenv = func(k string) string {
		return map[string]string{"DOCKERTLS_SUDO_PASSWORD": "from-env", "DOCKERTLS_CA": "ca-from-env"}[k]
	}
	h := newHarness(t, cfg)
	// The engine wraps the TUI's prompter in the one environment reader.
	p := wizard.EnvSecrets(h.m.Prompter(), cfg.Getenv, func() string { return "DOCKERTLS_CA" })
	got, err := p.Secret(h.m.ctx, remote.SecretRequest{Kind: remote.SecretSudoPassword, Host: "node3:22"})
	if err != nil || got != "from-env" {
		t.Fatalf("sudo password = %q, %v", got, err)
	}
	got, err = p.CAPassphrase(h.m.ctx, true)
	if err != nil || got != "ca-from-env" {
		t.Fatalf("CA passphrase = %q, %v", got, err)
	}
	if len(h.m.inbox) != 0 {
		t.Fatal("a question was sent although the environment answered it")
	}
}

func TestSecretCancelIsAnError(t *testing.T) {
	fe := newFakeEngine()
	h := newHarness(t, testConfig(fe))
	toDaemonCert(t, h)
	h.key("ctrl+u")
	h.typ("admin@node3")
	h.key("enter", "enter", "enter", "enter", "enter") // → describe → run
	h.key("y")                                         // trust
	h.want("sudo password of admin on node3:22")
	h.key("enter")
	h.want("type it, or press esc")
	h.key("esc")
	h.want("failed", "the sudo password for node3:22 was not given (you pressed esc)")
}

func TestRepairJumpsToStepAndBack(t *testing.T) {
	fe := newFakeEngine()
	fe.doctor = []wizard.Finding{
		{Step: wizard.StepCA, Status: wizard.StatusOK, Code: "ok", Message: "CA valid until 2028"},
		{Step: wizard.StepDaemonConfig, Status: wizard.StatusFail, Code: "tlsverify-off", Message: "daemon.json has tlsverify false: anyone can use the daemon", Fix: fix.Words("re-run daemon-config")},
		{Step: wizard.StepClientCert, Status: wizard.StatusWarn, Code: "expiring", Message: "client certificate expires in 12 days", Fix: fix.Words("re-issue it")},
	}
	h := newHarness(t, testConfig(fe, "dockertls.yaml"))
	h.key("2")
	h.want("Doctor found 2 problems.", "› ✗ daemon-config", "fix: re-run daemon-config", "! client-cert", "✓ ca")
	h.want("✓ca ·daemon-cert ! client-cert"[:0]) // marks are checked below
	if h.m.marks[wizard.StepDaemonConfig] != markFail || h.m.marks[wizard.StepClientCert] != markWarn || h.m.marks[wizard.StepCA] != markOK {
		t.Fatalf("marks = %v", h.m.marks)
	}
	h.key("down")
	h.want("fix: re-issue it")
	h.key("up", "enter")
	h.want("Step 5 of 7", "Daemon listens on")
	h.key("enter", "enter", "enter", "enter", "y")
	h.want("✓ daemon-config done")
	fe.doctor = fe.doctor[:1]
	h.key("enter")
	h.want("Doctor found nothing to repair.")
	h.key("esc")
	h.want("› Repair an existing setup")
}

func TestResumeAtFirstStepNotDone(t *testing.T) {
	fe := newFakeEngine()
	fe.checks[wizard.StepClientCert] = []wizard.Finding{{Step: wizard.StepClientCert, Status: wizard.StatusFail, Message: "cert.pem is missing"}}
	fe.checks[wizard.StepDistribute] = []wizard.Finding{{Step: wizard.StepDistribute, Status: wizard.StatusFail, Message: "not copied"}}
	h := newHarness(t, testConfig(fe, "dockertls.yaml"))
	h.want("continue with dockertls.yaml where you left off")
	h.key("enter")
	h.want("Step 3 of 7", "✓ca ✓daemon-cert ✗client-cert ✗distribute")
}

func TestOpenPlanFile(t *testing.T) {
	fe := newFakeEngine()
	h := newHarness(t, testConfig(fe, "lab.yaml"))
	h.key("3", "ctrl+u")
	h.typ("lab.yaml")
	h.key("enter")
	h.want("Step 7 of 7", "lab.yaml") // every Check is clean: the live test again
}

func TestQuitAsksOnlyWhenWorkWouldBeLost(t *testing.T) {
	h := newHarness(t, testConfig(newFakeEngine()))
	h.key("enter")
	h.typ("x") // an answer not in the plan yet
	h.key("ctrl+c")
	h.want("Quit now?", "not saved yet")
	h.key("n")
	h.dontWant("Quit now?")
	if h.quit {
		t.Fatal("n quit")
	}
	h.key("ctrl+c", "y")
	if !h.quit || !h.m.Aborted() {
		t.Fatalf("quit=%v aborted=%v", h.quit, h.m.Aborted())
	}

	h2 := newHarness(t, testConfig(newFakeEngine()))
	h2.key("ctrl+c")
	if !h2.quit {
		t.Fatal("ctrl+c on the start screen did not quit at once")
	}
}

func TestTopologyAndHelp(t *testing.T) {
	fe := newFakeEngine()
	h := newHarness(t, testConfig(fe))
	toDaemonCert(t, h)
	h.key("ctrl+u")
	h.typ("root@node3")
	h.key("tab", "tab")
	h.key("ctrl+t")
	h.want("Where each file lives", "this machine · CA", "daemon · node3", "client · this machine", "✓ ca.pem ca-key.pem", "/etc/docker/tls")
	h.key("esc")
	h.want("Daemon node (SSH)")
	h.key("?")
	h.want("pgup/pgdn", "scroll")
	h.key("?")
	h.dontWant("pgup/pgdn")
}

func TestResizeFillsTheTerminal(t *testing.T) {
	h := newHarness(t, testConfig(newFakeEngine()))
	h.key("enter")
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 20}, {40, 12}, {80, 24}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		lines := strings.Split(h.screen(), "\n")
		if len(lines) != size[1] {
			t.Fatalf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for _, l := range lines {
			if w := lipgloss.Width(l); w > size[0] {
				t.Fatalf("%dx%d: line of %d columns: %q", size[0], size[1], w, l)
			}
		}
	}
}

// TestIdleDoesNotTick: once nothing runs, the spinner's tick chain ends and
// no command is pending, so the program sleeps.
func TestIdleDoesNotTick(t *testing.T) {
	h := newHarness(t, testConfig(newFakeEngine()))
	h.key("enter")
	if h.m.busy {
		t.Fatal("busy on a form")
	}
	_, cmd := h.m.Update(spinner.TickMsg{ID: h.m.spin.ID()})
	if cmd != nil {
		t.Fatal("a spinner tick while idle scheduled another one")
	}
	if h.outstanding != 0 {
		t.Fatalf("%d commands still running while idle", h.outstanding)
	}
}

func TestNoColor(t *testing.T) {
	cfg := testConfig(newFakeEngine())
	cfg.Getenv = func(k string) string { return map[string]string{"NO_COLOR": "1"}[k] }
	h := newHarness(t, cfg)
	h.send(tea.BackgroundColorMsg{})
	h.key("enter")
	if v := h.m.View().Content; strings.Contains(v, "38;") || strings.Contains(v, "48;") {
		t.Fatalf("colours despite NO_COLOR: %q", v)
	}
	h2 := newHarness(t, testConfig(newFakeEngine()))
	if v := h2.m.View().Content; !strings.Contains(v, "38;") {
		t.Fatal("no colours without NO_COLOR")
	}
}

func TestLightBackgroundRebuildsStyles(t *testing.T) {
	h := newHarness(t, testConfig(newFakeEngine()))
	dark := h.m.View().Content
	h.send(tea.BackgroundColorMsg{Color: lipgloss.Color("#ffffff")})
	if light := h.m.View().Content; light == dark {
		t.Fatal("the same colours on a light background")
	}
}

func TestStepIntroFromAssets(t *testing.T) {
	for _, s := range wizard.StepNames() {
		if s == wizard.StepVerify {
			continue
		}
		if got := StepIntro(nil, s); got == "" {
			t.Errorf("no introduction for step %s", s)
		}
	}
	got := introLines("One. Two two two two. Three three three three three.", 20, 2)
	if strings.Contains(got, "Three") || !strings.Contains(got, "Two") {
		t.Fatalf("introLines kept %q", got)
	}
}

// A plan that names its SANs keeps them: suggestions are only offered.
func TestSuggestionsKeepPlannedSANs(t *testing.T) {
	fe := newFakeEngine()
	fe.plan.Daemon.SSH = "root@node3"
	fe.plan.Daemon.SANs = []string{"docker.lab"}
	fe.plan.Daemon.Address = "tcp://docker.lab:2376"
	h := newHarness(t, testConfig(fe, "dockertls.yaml"))
	h.m.engine = fe
	h.send(pageMsg{newStepPage(h.m.shared, 1)}) // the daemon-cert step, as a repair would open it
	h.key("tab", "tab")
	h.want("› docker.lab", "also answers to: node3, 10.213.0.2", "tcp://docker.lab:2376")
}

func TestDescribeErrorOffersRetry(t *testing.T) {
	fe := newFakeEngine()
	fe.descErr[wizard.StepCA] = errors.New("cannot read ./pki: permission denied; fix the directory's permissions")
	h := newHarness(t, testConfig(fe))
	h.key("enter", "enter", "enter", "enter", "enter")
	h.want("Could not prepare this step", "permission denied", "r retry")
	h.key("r")
	h.want("What ca will do.")
}

func TestQuitWhileAStepWaitsForAnAnswer(t *testing.T) {
	fe := newFakeEngine()
	h := newHarness(t, testConfig(fe))
	h.key("enter", "enter", "enter", "enter", "enter", "enter") // ca: run
	h.want("Passphrase for the new CA key")
	h.key("ctrl+c")
	h.want("Quit now?", "A step is waiting for your answer")
	h.key("y") // settles: the step's goroutine was released, nothing waits
	if !h.quit || !h.m.Aborted() {
		t.Fatalf("quit=%v aborted=%v", h.quit, h.m.Aborted())
	}
	if h.outstanding != 0 {
		t.Fatal("the running step still waits after quitting")
	}
}

func TestExistingCAPassphraseIsAskedOnce(t *testing.T) {
	h := newHarness(t, testConfig(newFakeEngine()))
	got := make(chan string, 1)
	go func() {
		p, err := h.m.Prompter().CAPassphrase(h.m.ctx, false)
		if err != nil {
			p = "error: " + err.Error()
		}
		got <- p
	}()
	h.send(inboxMsg{<-h.m.inbox})
	h.want("Passphrase of the CA key", "ca-key.pem is encrypted")
	h.dontWant("(again)")
	h.typ("open sesame")
	h.dontWant("open sesame")
	h.key("enter")
	if p := <-got; p != "open sesame" {
		t.Fatalf("CAPassphrase returned %q", p)
	}
}

func TestTopologyFromTheStartScreen(t *testing.T) {
	h := newHarness(t, testConfig(newFakeEngine()))
	h.key("t")
	h.want("Where each file lives", "daemon · not chosen yet")
	h.key("t")
	h.want("New setup")
}

// A step that reports progress without a total shows a spinner and the
// latest message; with a total, a bar.
func TestRunningShowsProgress(t *testing.T) {
	h := newHarness(t, testConfig(newFakeEngine()))
	h.key("enter", "enter", "enter", "enter", "enter")
	h.step().phase, h.m.busy = phaseRunning, true
	h.feed(inboxMsg{eventMsg{wizard.Event{Step: wizard.StepCA, Kind: wizard.EventProgress, Message: "restarting docker (2 containers stop)"}}})
	h.want("Create the certificate authority…", "restarting docker (2 containers stop)")
	h.dontWant("%")
	h.feed(inboxMsg{eventMsg{wizard.Event{Step: wizard.StepCA, Kind: wizard.EventProgress, Done: 1, Total: 4, Message: "ca.pem"}}})
	h.want("25%", "1/4", "ca.pem")
}

// The new CA's passphrase question says what an empty answer means (an
// unencrypted key) until something is typed.
func TestNewCAPassphraseSaysWhatEmptyMeans(t *testing.T) {
	fe := newFakeEngine()
	h := newHarness(t, testConfig(fe))
	h.key("enter", "enter", "enter", "enter", "enter", "enter") // ca: run
	h.want("Passphrase for the new CA key", "enter with both empty: no passphrase, unencrypted key")
	h.typ("s3cret")
	h.want("hidden as you type · enter sends")
	h.dontWant("unencrypted key ·")
}

// The start screen's full help lists the 1-3 shortcuts it answers to.
func TestStartFullHelpListsDigitShortcuts(t *testing.T) {
	h := newHarness(t, testConfig(newFakeEngine()))
	h.key("?")
	h.want("1-3", "choose directly")
}

// The address filled in from the node's names dials the port of
// daemon.listen and writes an IPv6 address in brackets (it was
// "tcp://"+name+":2376", so tcp://2001:db8::1:2376).
func TestSuggestedAddressUsesListenPortAndBracketsIPv6(t *testing.T) {
	fe := newFakeEngine()
	fe.sans = []string{"2001:db8::1", "node3"}
	h := newHarness(t, testConfig(fe))
	toDaemonCert(t, h)
	if err := h.m.updatePlan(func(p *plan.Plan) error { p.Daemon.Listen = "tcp://0.0.0.0:2377"; return nil }); err != nil {
		t.Fatal(err)
	}
	h.key("ctrl+u")
	h.typ("root@node3")
	h.key("tab", "tab")
	h.want("› tcp://[2001:db8::1]:2377")
}

// TestRepairOffersRotationForAnAgingCA: the repair screen explains the two
// phases of rotate-ca when the CA expires soon, and not when it is fine.
func TestRepairOffersRotationForAnAgingCA(t *testing.T) {
	fe := newFakeEngine()
	fe.doctor = []wizard.Finding{
		{Step: wizard.StepCA, Status: wizard.StatusWarn, Code: "ca-expiring-soon", Message: "the CA expires in 12 days", Fix: fix.Words("renew it")},
	}
	h := newHarness(t, testConfig(fe, "dockertls.yaml"))
	h.key("2")
	h.want("dockertls rotate-ca --yes` (phase 1)", "--finish", "(phase 2) retires the old CA")
	fe.doctor = []wizard.Finding{{Step: wizard.StepCA, Status: wizard.StatusOK, Code: "ok", Message: "CA valid until 2028"}}
	h.key("r")
	h.want("Doctor found nothing to repair.")
	h.dontWant("rotate-ca")
}
