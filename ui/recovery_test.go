package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/daemon"
	"github.com/dockertls/dockertls/wizard/plan"
)

// sizes are the terminals every failure screen and prompt is recorded at.
var sizes = [][2]int{{60, 20}, {80, 24}}

// atSizes records the screen at each size as NAME-WxH.golden and checks that
// nothing is cut: no line is wider than the terminal, and no line was
// truncated with an ellipsis to fit (the help line may drop keys).
func atSizes(t *testing.T, h *harness, name string) {
	t.Helper()
	for _, sz := range sizes {
		atSize(t, h, name, sz[0], sz[1])
	}
}

// atSize records the screen at width x height as NAME-WxH.golden with the
// checks of atSizes, then goes back to 80x24.
func atSize(t *testing.T, h *harness, name string, width, height int) {
	t.Helper()
	h.send(tea.WindowSizeMsg{Width: width, Height: height})
	screen := h.screen()
	lines := strings.Split(screen, "\n")
	for i, l := range lines[:len(lines)-1] {
		if w := lipgloss.Width(l); w > width {
			t.Errorf("%s at %dx%d: line %d is %d columns wide: %q", name, width, height, i, w, l)
		}
		if strings.HasSuffix(strings.TrimRight(l, " "), "…") && lipgloss.Width(strings.TrimRight(l, " ")) >= width-2 {
			t.Errorf("%s at %dx%d: line %d was cut: %q", name, width, height, i, l)
		}
	}
	golden(t, h, fmt.Sprintf("%s-%dx%d", name, width, height))
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
}

// plannedEngine is a fake engine whose plan answers every step, so that a
// step's form submits as it is.
func plannedEngine() *fakeEngine {
	fe := newFakeEngine()
	fe.plan.Path = "dockertls.yaml"
	fe.plan.Daemon.SSH = "admin@node3"
	fe.plan.Daemon.SANs = []string{"node3", "10.0.0.12"}
	fe.plan.Daemon.Address = "tcp://node3:2376"
	return fe
}

// atStep opens step i of a planned fake engine, as a repair would.
func atStep(t *testing.T, fe *fakeEngine, i int) *harness {
	t.Helper()
	h := newHarness(t, testConfig(fe, "dockertls.yaml"))
	h.m.engine, fe.prompter = fe, h.m.prompter
	h.send(pageMsg{newStepPage(h.m.shared, i)})
	return h
}

// submit presses enter through the form to the description, then runs.
func (h *harness) submitAndRun() {
	h.t.Helper()
	for h.step().phase == phaseForm {
		h.key("enter")
	}
	h.want("runs this step")
	h.key("enter")
}

func TestGoldenFailureScreens(t *testing.T) {
	idx := func(n wizard.StepName) int {
		for i, s := range wizard.StepNames() {
			if s == n {
				return i
			}
		}
		t.Fatalf("no step %s", n)
		return 0
	}
	restart := plan.FixIn("daemon.restart", errors.New("dockerd (pid 4242) was started by hand: /usr/sbin/dockerd --config-file /srv/docker/daemon.json --pidfile /srv/docker/docker.pid on node3, not by systemd or a service script, so dockertls cannot restart it (a service restart would start another daemon). Type the command that restarts it in daemon.restart (Restart with), or none to restart it yourself after the change"))
	cases := []struct {
		name string
		step wizard.StepName
		err  error
		want []string
	}{
		{"fail-restart", wizard.StepDaemonConfig, restart,
			[]string{"e change Restart with (daemon.restart)", "dockertls apply --step daemon-config"}},
		{"fail-passphrase", wizard.StepCA, fmt.Errorf("cannot use the CA in ./pki: the passphrase for ca-key.pem is wrong: %w; retry to type it again", pki.ErrWrongPassphrase),
			[]string{"r run the step again: it asks for the CA key's passphrase again"}},
		{"fail-unreachable", wizard.StepDistribute, plan.FixIn("daemon.ssh", errors.New("cannot reach admin@node3 (daemon.ssh): connection refused on node3:22 — is sshd running there, is the port right?")),
			[]string{"e change Daemon node (SSH) (daemon.ssh)"}},
		{"fail-hostkey", wizard.StepDistribute, fmt.Errorf("cannot reach admin@node3 (daemon.ssh): %w", &remote.HostKeyError{Problem: remote.HostKeyUnknown,
			Host: "node3:22", KeyType: "ssh-ed25519", Fingerprint: "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", KnownHosts: "/home/ann/.ssh/known_hosts"}),
			[]string{"it shows the host key again"}},
		// Another run holds the node lock: it is named, and r waits for it again.
		{"fail-nodelock", wizard.StepDaemonConfig, &daemon.BusyError{LockedError: &remote.LockedError{Host: "node3", Where: "node3", Path: daemon.LockPath("/etc/docker/daemon.json"),
			Holder: "root@laptop pid 1234, since 12:01 UTC: dockertls apply --step daemon-config"}},
			[]string{"r run the step again: it waits a few seconds for the other run again", "(root@laptop pid 1234,", "dockertls apply --step daemon-config"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fe := plannedEngine()
			fe.fail[c.step] = c.err
			h := atStep(t, fe, idx(c.step))
			h.submitAndRun()
			h.want(append([]string{"failed"}, c.want...)...)
			atSizes(t, h, c.name)
		})
	}

	t.Run("fail-describe", func(t *testing.T) {
		fe := plannedEngine()
		fe.descErr[wizard.StepCA] = errors.New("cannot read ./pki: permission denied; fix the directory's permissions (chmod 700 ./pki)")
		h := atStep(t, fe, 0)
		h.key("enter", "enter", "enter", "enter")
		h.want("Could not prepare this step", "r run the step again")
		atSizes(t, h, "fail-describe")
	})
	t.Run("fail-form", func(t *testing.T) {
		fe := plannedEngine()
		h := atStep(t, fe, idx(wizard.StepDaemonCert))
		h.key("tab", "tab", "tab", "ctrl+u")
		h.typ("tcp://other:2376")
		h.key("enter")
		h.want(`add "other" to daemon.sans`)
		atSizes(t, h, "fail-form")
	})
	t.Run("fail-plan", func(t *testing.T) {
		cfg := testConfig(newFakeEngine(), "bad.yaml")
		cfg.PlanPath = "bad.yaml"
		cfg.LoadPlan = func(path string) (*plan.Plan, error) {
			_, err := plan.Parse([]byte("ca:\n  days: many\ndaemon:\n  common-name: x\n"), path)
			return nil, err
		}
		h := newHarness(t, cfg)
		h.key("enter")
		h.want("fix the file, then choose again")
		atSizes(t, h, "fail-plan")
	})
}

// The e key of a failure goes to the field that fixes it, in the step that
// asks for it, with the cursor there; the retry then runs with the answer.
func TestFailureJumpsToTheFieldThatFixesIt(t *testing.T) {
	fe := plannedEngine()
	fe.fail[wizard.StepDaemonConfig] = plan.FixIn("daemon.restart", errors.New("dockerd was started by hand"))
	h := atStep(t, fe, 4)
	h.submitAndRun()
	h.want("e change Restart with (daemon.restart)")
	h.key("e")
	if f := h.step().form.focused(); h.step().phase != phaseForm || f.spec.key != "daemon.restart" {
		t.Fatalf("e went to %v / %s", h.step().phase, f.spec.key)
	}
	h.typ("/usr/local/bin/restart-docker")
	h.key("enter")
	h.want("runs this step")
	if got := fe.Plan().Daemon.Restart; got != "/usr/local/bin/restart-docker" {
		t.Fatalf("daemon.restart = %q", got)
	}
	h.key("enter")
	h.want("Step daemon-config will change node3")

	// a field of an earlier step: its step opens with the cursor there
	fe2 := plannedEngine()
	fe2.fail[wizard.StepDistribute] = plan.FixIn("daemon.ssh", errors.New("cannot reach admin@node3 (daemon.ssh): connection refused"))
	h2 := atStep(t, fe2, 3)
	h2.submitAndRun()
	h2.key("e")
	h2.want("Step 2 of 7")
	if f := h2.step().form.focused(); f.spec.key != "daemon.ssh" {
		t.Fatalf("e focused %s", f.spec.key)
	}
}

// ? on a form explains the focused field (what auto picks for the restart,
// that a command is allowed).
func TestHelpExplainsTheFocusedField(t *testing.T) {
	h := atStep(t, plannedEngine(), 4)
	h.key("tab", "tab") // daemon.restart
	h.key("?")
	h.want("Restart with (daemon.restart):", "when dockerd was started by hand", "is a command run with sudo")
	atSizes(t, h, "help-restart")
	h.key("?")
	h.dontWant("is a command run with sudo")
}

// Tabbing through fields without typing shows no ✗; submitting checks
// every field and puts the cursor on the first one in error.
func TestUntouchedFieldsShowNoErrorUntilSubmit(t *testing.T) {
	fe := plannedEngine()
	fe.plan.Daemon.SSH = "root@node3:99999" // wrong in the plan file, not typed here
	h := atStep(t, fe, 1)
	h.key("tab", "tab", "tab") // past daemon.ssh without touching it
	h.dontWant("✗")
	h.key("enter") // submit from the last field
	h.want("✗", "99999")
	if f := h.step().form.focused(); f.spec.key != "daemon.ssh" {
		t.Fatalf("after submit the cursor is on %s, want daemon.ssh (the first field in error)", f.spec.key)
	}
}

func TestGoldenPrompts(t *testing.T) {
	ask := func(t *testing.T, q askMsg) *harness {
		h := newHarness(t, testConfig(plannedEngine()))
		q.reply = make(chan answer, 1)
		h.send(inboxMsg{q})
		return h
	}
	hostKey := remote.HostKeyRequest{Host: "node3.example.org:22", KeyType: "ssh-ed25519",
		Fingerprint: "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", KnownHosts: "/home/ann/.ssh/known_hosts"}
	prompts := []struct {
		name string
		q    askMsg
		want string
	}{
		{"ask-hostkey", askMsg{kind: askHostKey, hostKey: hostKey}, "First connection to node3.example.org:22"},
		{"ask-sudo", askMsg{kind: askSecret, secret: remote.SecretRequest{Kind: remote.SecretSudoPassword, Host: "node3:22", User: "admin", Detail: "sudo password for admin on node3:22"}}, "sudo asks for admin's own login password"},
		{"ask-ssh-password", askMsg{kind: askSecret, secret: remote.SecretRequest{Kind: remote.SecretSSHPassword, Host: "node3:22", User: "admin", Detail: "password of admin on node3"}}, "No SSH key was accepted"},
		{"ask-key-passphrase", askMsg{kind: askSecret, secret: remote.SecretRequest{Kind: remote.SecretKeyPassphrase, Host: "node3:22", User: "admin", Detail: "/home/ann/.ssh/id_ed25519"}}, "The key file /home/ann/.ssh/id_ed25519 is encrypted."},
		{"ask-ca-new", askMsg{kind: askCAPassphrase, create: true}, "Passphrase for the new CA key"},
		{"ask-ca", askMsg{kind: askCAPassphrase}, "one is not kept"},
		{"ask-confirm", askMsg{kind: askConfirm, confirm: wizard.ConfirmRequest{Step: wizard.StepDaemonConfig, Changes: []wizard.Change{fakeChange(),
			{Host: "node3", Summary: "restart dockerd through your command (daemon.restart): sudo sh -c '/usr/local/bin/restart-docker'"}}}}, "'/usr/local/bin/restart-docker'"},
	}
	for _, p := range prompts {
		t.Run(p.name, func(t *testing.T) {
			h := ask(t, p.q)
			h.want(p.want)
			atSizes(t, h, p.name)
		})
	}
	t.Run("ask-quit", func(t *testing.T) {
		h := atStep(t, plannedEngine(), 0)
		h.typ("x")
		h.key("ctrl+c")
		h.want("Quit now?")
		atSizes(t, h, "ask-quit")
	})
}

// At 60 columns the step bar still shows all seven steps (numbers), and
// the final screen's headline is whole.
func TestNarrowTerminal(t *testing.T) {
	fe := plannedEngine()
	h := atStep(t, fe, 6)
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	h.want("·1 ·2 ·3 ·4 ·5 ·6 ·7  verify")
	h.submitAndRun()
	h.want("✓ The daemon at tcp://node3:2376 answers over mutual", "TLS")
	atSizes(t, h, "final")
}
