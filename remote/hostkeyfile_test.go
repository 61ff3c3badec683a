package remote_test

import (
	"testing"

	"github.com/dockertls/dockertls/remote"
)

// The command that compares fingerprints names the file of the key type the
// host offered.
func TestHostKeyFileMatchesTheOfferedKey(t *testing.T) {
	for kt, want := range map[string]string{
		"ssh-ed25519":         "/etc/ssh/ssh_host_ed25519_key.pub",
		"ecdsa-sha2-nistp256": "/etc/ssh/ssh_host_ecdsa_key.pub",
		"rsa-sha2-512":        "/etc/ssh/ssh_host_rsa_key.pub",
		"ssh-rsa":             "/etc/ssh/ssh_host_rsa_key.pub",
		"sk-ssh-ed25519":      "/etc/ssh/ssh_host_*_key.pub",
	} {
		if got := remote.HostKeyFile(kt); got != want {
			t.Errorf("HostKeyFile(%q) = %q, want %q", kt, got, want)
		}
	}
}
