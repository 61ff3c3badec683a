package ui

import (
	"strings"
	"testing"

	"github.com/dockertls/dockertls/wizard"
)

// TestNewSetupWalk goes through the seven steps as a newcomer would, with a
// fake engine: every question appears in the TUI and its answer reaches the
// engine; the final screen shows the server, the probes and the env.
func TestNewSetupWalk(t *testing.T) {
	fe := newFakeEngine()
	h := newHarness(t, testConfig(fe))
	h.want("New setup", "Repair an existing setup", "Open a plan file")
	h.key("enter")

	// 1 ca: defaults from plan.New, key type changed with →.
	h.want("Step 1 of 7", "PKI directory", "./pki", "rsa-4096")
	h.key("tab", "tab", "right") // to ca.key, rsa-4096 → ecdsa-p256
	h.key("enter", "enter")      // to ca.days, then submit
	if got := fe.plan.CA.Key; got != "ecdsa-p256" {
		t.Fatalf("ca.key = %q, want ecdsa-p256", got)
	}
	if fe.prewarms != 1 {
		t.Errorf("Prewarm called %d times after the key type was known, want 1", fe.prewarms)
	}
	if fe.saves == 0 {
		t.Error("the answers were not saved to the plan")
	}
	h.want("What ca will do.", "m shows the 1 manual commands")
	h.key("m")
	h.want("The same by hand:", "openssl version # ca")
	h.key("enter")
	h.want("Passphrase for the new CA key", "(again)")
	h.typ("s3cret")
	h.key("tab")
	h.typ("other")
	h.key("enter")
	h.want("the two passphrases differ")
	h.typ("s3cret")
	h.key("enter")
	h.want("✓ ca done", "wrote ./pki/ca.pem")
	h.dontWant("s3cret")
	if got := fe.answer("ca-passphrase"); got != "s3cret" {
		t.Fatalf("CA passphrase reached the engine as %q", got)
	}
	h.key("enter")

	// 2 daemon-cert: the SSH target triggers SuggestSANs, which fills the
	// SANs and the address the user has not edited.
	h.want("Step 2 of 7", "Daemon node (SSH)")
	h.key("ctrl+u")
	h.typ("root@node3")
	h.key("tab", "tab")
	h.want("node3, 10.213.0.2", "tcp://node3:2376", "suggested by node3")
	h.key("enter", "enter") // sans → address → describe
	if got := strings.Join(fe.plan.Daemon.SANs, ","); got != "node3,10.213.0.2" {
		t.Fatalf("daemon.sans = %q", got)
	}
	h.key("enter") // run
	h.want("First connection to node3:22", "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "n/enter")
	h.key("enter") // default: No
	h.want("failed", "was not accepted", "r run the step again: it shows the host key again")
	if got := fe.answer("hostkey"); got != false {
		t.Fatalf("enter on the host key question answered %v, want false (default No)", got)
	}
	h.key("r")
	h.key("y")
	h.want("sudo password of admin on node3:22")
	h.typ("pw?t")
	h.dontWant("pw?t")
	h.key("enter")
	h.want("✓ daemon-cert done")
	if got := fe.answer("sudo"); got != "pw?t" {
		t.Fatalf("sudo password reached the engine as %q", got)
	}
	h.key("enter")

	// 3 client-cert, 4 distribute (progress), 5 daemon-config (confirm).
	h.want("Step 3 of 7")
	h.key("enter", "enter", "enter")
	h.want("✓ client-cert done")
	h.key("enter")
	h.want("Step 4 of 7")
	h.key("enter", "enter", "enter")
	h.want("✓ distribute done")
	h.key("enter")
	h.want("Step 5 of 7", "Daemon listens on")
	h.key("enter", "enter", "enter")
	h.want("Changes to confirm before they are made:", "merge daemon.json")
	h.key("enter")
	h.want("Step daemon-config will change node3", `+  "tlsverify": true,`, "y make these changes")
	h.key("enter") // enter does not confirm
	h.want("y make these changes")
	h.key("y")
	h.want("✓ daemon-config done")
	if got := fe.answer("confirm"); got != true {
		t.Fatalf("confirmation reached the engine as %v", got)
	}
	h.key("enter")

	// 6 client-env, 7 verify → final screen.
	h.want("Step 6 of 7", "docker context")
	h.typ("node3")
	h.key("enter", "enter")
	h.want("✓ client-env done")
	h.key("enter")
	h.want("Step 7 of 7")
	h.key("enter")
	h.want("✓ The daemon at tcp://node3:2376 answers over mutual TLS", "Server: Docker Engine 20.10.24+dfsg1",
		"✓ TLS without a client certificate: refused", `export DOCKER_HOST=tcp://node3:2376`, `export DOCKER_TLS_VERIFY=1`)
	h.key("pgdown")
	h.want("docker --context node3", "dockertls doctor ", `eval "$(dockertls env)"`)
	h.dontWant("-f dockertls.yaml") // the default plan needs no -f
	h.want("✓ca ✓daemon-cert ✓client-cert ✓distribute ✓daemon-config ✓client-env ✓verify")
	want := []wizard.StepName{"ca", "daemon-cert", "daemon-cert", "client-cert", "distribute", "daemon-config", "client-env", "verify"}
	if got := fe.applied; strings.Join(names(got), ",") != strings.Join(names(want), ",") {
		t.Fatalf("applied %v, want %v", got, want)
	}
	h.key("enter")
	if !h.quit || h.m.Aborted() {
		t.Fatalf("enter on the final screen: quit=%v aborted=%v", h.quit, h.m.Aborted())
	}
}

func names(s []wizard.StepName) []string {
	out := make([]string, len(s))
	for i, n := range s {
		out[i] = string(n)
	}
	return out
}
