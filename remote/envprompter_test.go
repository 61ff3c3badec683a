package remote

import (
	"context"
	"strings"
	"testing"
)

func TestEnvPrompter(t *testing.T) {
	env := map[string]string{EnvSudoPassword: "s3cret"}
	p := EnvPrompter{Getenv: func(k string) string { return env[k] }}
	ctx := context.Background()
	if v, err := p.Secret(ctx, SecretRequest{Kind: SecretSudoPassword, Host: "node3:22", User: "ubuntu"}); err != nil || v != "s3cret" {
		t.Fatalf("sudo password: %q, %v", v, err)
	}
	_, err := p.Secret(ctx, SecretRequest{Kind: SecretSSHPassword, Host: "node3:22", User: "ubuntu"})
	if err == nil || !strings.Contains(err.Error(), EnvSSHPassword) || !strings.Contains(err.Error(), "ubuntu on node3:22") {
		t.Fatalf("missing SSH password: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), "s3cret") {
		t.Fatal("a secret leaked into an error")
	}
	_, err = p.Secret(ctx, SecretRequest{Kind: SecretKeyPassphrase, Detail: "/home/u/.ssh/id_ed25519"})
	if err == nil || !strings.Contains(err.Error(), EnvKeyPassphrase) || !strings.Contains(err.Error(), "id_ed25519") {
		t.Fatalf("missing passphrase: %v", err)
	}
	if ok, err := p.TrustHostKey(ctx, HostKeyRequest{}); ok || err != nil {
		t.Fatalf("headless trusted an unknown key: %v, %v", ok, err)
	}
	if ok, _ := (EnvPrompter{AcceptNewHostKeys: true}).TrustHostKey(ctx, HostKeyRequest{}); !ok {
		t.Fatal("--accept-new-host-keys did not accept")
	}
}

func TestHostKeyErrorMessages(t *testing.T) {
	unknown := (&HostKeyError{Problem: HostKeyUnknown, Host: "node3:22", KeyType: "ssh-ed25519", Fingerprint: "SHA256:abc", KnownHosts: "/root/.ssh/known_hosts"}).Error()
	for _, want := range []string{"node3:22", "SHA256:abc", "ssh-keygen -lf", "ssh-keyscan -p 22 node3 | ssh-keygen -lf -", "--accept-new-host-keys"} {
		if !strings.Contains(unknown, want) {
			t.Errorf("unknown-key message lacks %q: %s", want, unknown)
		}
	}
	mismatch := (&HostKeyError{Problem: HostKeyMismatch, Host: "node3:2222", KeyType: "ssh-ed25519", Fingerprint: "SHA256:abc", KnownHosts: "/k", Line: 7}).Error()
	for _, want := range []string{"/k line 7", "man-in-the-middle", "ssh-keygen -R '[node3]:2222' -f /k"} {
		if !strings.Contains(mismatch, want) {
			t.Errorf("mismatch message lacks %q: %s", want, mismatch)
		}
	}
}
