package wizard

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/remote"
)

// The headless refusal of a new host key names the public key file of the
// offered type, and leaves host and fingerprint to the remote layer's
// words in front of it (so each is said once).
func TestHeadlessHostKeyRefusal(t *testing.T) {
	h := &headlessPrompter{out: io.Discard}
	for keyType, file := range map[string]string{
		"ssh-ed25519":         "/etc/ssh/ssh_host_ed25519_key.pub",
		"ecdsa-sha2-nistp256": "/etc/ssh/ssh_host_ecdsa_key.pub",
		"ssh-rsa":             "/etc/ssh/ssh_host_rsa_key.pub",
		"rsa-sha2-512":        "/etc/ssh/ssh_host_rsa_key.pub",
	} {
		req := remote.HostKeyRequest{Host: "node3:22", KeyType: keyType, Fingerprint: "SHA256:abc", KnownHosts: "/root/.ssh/known_hosts"}
		ok, err := h.TrustHostKey(context.Background(), req)
		if ok || err == nil {
			t.Fatalf("%s: trusted without --accept-new-host-keys", keyType)
		}
		msg := (&remote.HostKeyError{Problem: remote.HostKeyUnknown, Host: req.Host, KeyType: keyType, Fingerprint: req.Fingerprint, KnownHosts: req.KnownHosts, Err: err}).Error()
		if !strings.Contains(msg, "ssh-keygen -lf "+file) {
			t.Errorf("%s: does not name %s: %s", keyType, file, msg)
		}
		// the way to record it by hand fills the plan's own known_hosts
		if !strings.Contains(msg, "ssh -o UserKnownHostsFile=/root/.ssh/known_hosts -p 22 node3 true") {
			t.Errorf("%s: no ssh command that records the key in the plan's known_hosts: %s", keyType, msg)
		}
		for _, once := range []string{"node3:22", "SHA256:abc", "/root/.ssh/known_hosts", "--accept-new-host-keys"} {
			if n := strings.Count(msg, once); n != 1 {
				t.Errorf("%s: %q said %d times: %s", keyType, once, n, msg)
			}
		}
	}
}

// The refusal without --yes ends with what to do, not ": not confirmed",
// and still matches ErrNotConfirmed.
func TestHeadlessConfirmRefusalWording(t *testing.T) {
	h := &headlessPrompter{out: io.Discard}
	ok, err := h.Confirm(context.Background(), ConfirmRequest{Step: StepDaemonConfig, Changes: []Change{{Host: "node3", Summary: "merge daemon.json"}}})
	if ok || !errors.Is(err, ErrNotConfirmed) {
		t.Fatalf("ok %v err %v", ok, err)
	}
	if !strings.HasSuffix(err.Error(), "re-run with --yes") {
		t.Errorf("refusal: %q", err)
	}
	wrapped := notConfirmed{"not confirmed: nothing was copied"}
	if !errors.Is(wrapped, ErrNotConfirmed) || strings.Count(wrapped.Error(), "not confirmed") != 1 {
		t.Errorf("step refusal: %q", wrapped)
	}
}
