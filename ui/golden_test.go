package ui

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/fix"
)

// updating tells whether -update was given (the flag is defined by the
// golden package teatest imports): rewrite testdata/*.golden.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares the ANSI-stripped 80x24 screen with testdata/NAME.golden.
func golden(t *testing.T, h *harness, name string) {
	t.Helper()
	got := h.screen()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -run TestGolden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("screen %s differs from %s (go test ./ui -run TestGolden -update to accept):\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

// TestGolden walks a new setup and a repair and records each main screen.
func TestGolden(t *testing.T) {
	fe := newFakeEngine()
	h := newHarness(t, testConfig(fe))
	golden(t, h, "01-start")
	atSize(t, h, "01-start", 120, 40) // a large terminal: the main pages use it and cut nothing
	h.key("enter")
	golden(t, h, "02-ca-form")
	atSize(t, h, "02-ca-form", 120, 40) // a large terminal: the main pages use it and cut nothing
	h.key("enter", "enter", "enter", "enter", "m")
	golden(t, h, "03-ca-describe")
	h.key("enter")
	golden(t, h, "04-ca-passphrase")
	h.key("enter", "enter")
	golden(t, h, "05-ca-result")
	h.key("enter", "ctrl+u")
	h.typ("root@node3")
	h.key("tab", "tab")
	golden(t, h, "06-daemon-cert-form")
	h.key("ctrl+t")
	golden(t, h, "07-topology")
	h.key("esc", "enter", "enter", "enter")
	golden(t, h, "08-host-key")
	h.key("n")
	golden(t, h, "09-failed")
	atSize(t, h, "09-failed", 120, 40) // a large terminal: the main pages use it and cut nothing
	h.key("r", "y")
	golden(t, h, "10-sudo-password")
	h.typ("pw")
	h.key("enter", "enter")          // daemon-cert done → client-cert
	h.key("enter", "enter", "enter") // client-cert
	h.key("enter")                   // → distribute
	h.key("enter", "enter")          // form → describe
	h.step().phase = phaseRunning    // show the run half-way
	h.m.busy = true
	h.feed(inboxMsg{eventMsg{wizard.Event{Step: wizard.StepDistribute, Kind: wizard.EventInfo, Message: "node3: /etc/docker/tls/ca.pem (0444)"}}})
	h.feed(inboxMsg{eventMsg{wizard.Event{Step: wizard.StepDistribute, Kind: wizard.EventProgress, Done: 3, Total: 6, Message: "node3: server-key.pem (0400, root)"}}})
	golden(t, h, "11-distribute-progress")
	h.m.busy, h.step().phase = false, phaseDescribe
	h.key("enter")                   // run it for real
	h.key("enter")                   // → daemon-config
	h.key("enter", "enter", "enter") // form → describe
	h.key("enter")                   // run: confirmation
	golden(t, h, "12-confirm")
	h.key("y", "enter")
	h.key("enter", "enter", "enter") // client-env
	h.key("enter")                   // → verify
	h.key("enter")
	golden(t, h, "13-final")
	atSize(t, h, "13-final", 120, 40) // a large terminal: the main pages use it and cut nothing
	h.key("?")
	golden(t, h, "14-final-help")

	fe2 := newFakeEngine()
	fe2.doctor = []wizard.Finding{
		{Step: wizard.StepCA, Status: wizard.StatusOK, Message: "CA valid until 2028-11-22"},
		{Step: wizard.StepDaemonCert, Status: wizard.StatusFail, Code: "san-missing", Message: "the daemon certificate is not valid for node3.lab, the name clients dial", Fix: fix.Words("re-issue it with node3.lab among the SANs (step daemon-cert)")},
		{Step: wizard.StepDaemonConfig, Status: wizard.StatusFail, Code: "tlsverify-off", Message: "daemon.json sets tlsverify false: the daemon accepts clients without a certificate", Fix: fix.Words("re-run daemon-config")},
		{Step: wizard.StepClientCert, Status: wizard.StatusWarn, Code: "expiring", Message: "the client certificate expires in 12 days", Fix: fix.Words("re-issue it (step client-cert)")},
		{Step: wizard.StepVerify, Status: wizard.StatusFail, Code: "insecure", Message: "INSECURE: TLS without a client certificate was accepted"},
	}
	h2 := newHarness(t, testConfig(fe2, "dockertls.yaml"))
	h2.key("2")
	golden(t, h2, "15-doctor")
	h2.key("enter")
	golden(t, h2, "16-repair-step")
	h2.typ("x")
	h2.key("ctrl+c")
	golden(t, h2, "17-quit")
}
