package ui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/fix"
)

// Whole flows through a real tea.Program (teatest), with the fake engine:
// the inbox listener, the spinner and the prompts all run as in the binary.

func startProgram(t *testing.T, cfg Config) (*teatest.TestModel, *Model) {
	t.Helper()
	m := New(cfg)
	t.Cleanup(func() { _ = m.Close() })
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	return tm, m
}

// expect waits for a short piece of text to be drawn, then presses keys.
// The bounds here are hang guards sized for a loaded machine running the
// race detector, not timing assertions.
func expect(t *testing.T, tm *teatest.TestModel, token string, keys ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(token)) },
		teatest.WithDuration(2*time.Minute), teatest.WithCheckInterval(10*time.Millisecond))
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

func TestTeatestNewSetup(t *testing.T) {
	fe := newFakeEngine()
	tm, _ := startProgram(t, testConfig(fe))
	expect(t, tm, "New setup", "enter")
	expect(t, tm, "PKI directory", "enter", "enter", "enter", "enter")
	expect(t, tm, "runs this step", "enter")
	expect(t, tm, "Passphrase for", "enter", "enter")
	expect(t, tm, "ca done", "enter")
	expect(t, tm, "Daemon node", "ctrl+u")
	tm.Type("root@node3")
	tm.Send(keyMsg("tab"))
	tm.Send(keyMsg("tab"))
	expect(t, tm, "suggested by", "enter", "enter")
	expect(t, tm, "runs this step", "enter")
	expect(t, tm, "First connection", "y")
	expect(t, tm, "sudo password")
	tm.Type("pw")
	tm.Send(keyMsg("enter"))
	expect(t, tm, "daemon-cert done", "enter")
	expect(t, tm, "Client name", "enter", "enter")
	expect(t, tm, "runs this step", "enter")
	expect(t, tm, "client-cert done", "enter")
	expect(t, tm, "Daemon certificate directory", "enter", "enter")
	expect(t, tm, "runs this step", "enter")
	expect(t, tm, "distribute done", "enter")
	expect(t, tm, "Daemon listens", "enter", "enter", "enter")
	expect(t, tm, "runs this step", "enter")
	expect(t, tm, "make these changes", "y")
	expect(t, tm, "daemon-config done", "enter")
	expect(t, tm, "docker context", "enter")
	expect(t, tm, "runs this step", "enter")
	expect(t, tm, "client-env done", "enter")
	expect(t, tm, "runs this step", "enter")
	expect(t, tm, "20.10.24", "enter")

	fm := tm.FinalModel(t, teatest.WithFinalTimeout(2*time.Minute)).(*Model)
	if fm.Aborted() {
		t.Fatal("the wizard ended as aborted after the final screen")
	}
	if len(fe.applied) != 7 {
		t.Fatalf("applied %v, want the seven steps", fe.applied)
	}
	if fm.busy {
		t.Fatal("still busy at the end: the spinner would keep ticking")
	}
}

func TestTeatestRepair(t *testing.T) {
	fe := newFakeEngine()
	fe.doctor = []wizard.Finding{
		{Step: wizard.StepCA, Status: wizard.StatusOK, Message: "CA valid"},
		{Step: wizard.StepDaemonConfig, Status: wizard.StatusFail, Code: "tlsverify-off", Message: "tlsverify is off", Fix: fix.Words("re-run daemon-config")},
	}
	tm, _ := startProgram(t, testConfig(fe, "dockertls.yaml"))
	expect(t, tm, "Repair an existing", "2")
	expect(t, tm, "1 problem", "enter")
	expect(t, tm, "Daemon listens", "enter", "enter", "enter")
	expect(t, tm, "runs this step", "enter")
	expect(t, tm, "make these changes", "y")
	expect(t, tm, "daemon-config done")
	fe.mu.Lock()
	fe.doctor = fe.doctor[:1]
	fe.mu.Unlock()
	tm.Send(keyMsg("enter"))
	expect(t, tm, "nothing to repair", "ctrl+c")

	fm := tm.FinalModel(t, teatest.WithFinalTimeout(2*time.Minute)).(*Model)
	if got := fe.applied; len(got) != 1 || got[0] != wizard.StepDaemonConfig {
		t.Fatalf("applied %v, want only daemon-config", got)
	}
	if _, ok := fm.page.(*doctorPage); !ok {
		t.Fatalf("ended on page %T, want the doctor list", fm.page)
	}
}
