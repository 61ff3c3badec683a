package wizard

import (
	"context"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/plan"
)

// asker records what reached the front end's prompter.
type asker struct{ asked []string }

func (a *asker) TrustHostKey(context.Context, remote.HostKeyRequest) (bool, error) {
	a.asked = append(a.asked, "hostkey")
	return true, nil
}
func (a *asker) Secret(_ context.Context, req remote.SecretRequest) (string, error) {
	a.asked = append(a.asked, "secret")
	return "typed", nil
}
func (a *asker) Confirm(context.Context, ConfirmRequest) (bool, error) {
	a.asked = append(a.asked, "confirm")
	return true, nil
}
func (a *asker) CAPassphrase(context.Context, bool) (string, error) {
	a.asked = append(a.asked, "ca")
	return "typed-ca", nil
}

// Every secret the environment holds answers before a prompter is asked,
// through the one wrapper a Session puts around any Prompter; the CA's
// variable is the one the plan names at the moment it is asked.
func TestEnvSecretsAnswerBeforeAnyoneAsks(t *testing.T) {
	ctx := context.Background()
	env := map[string]string{"DOCKERTLS_SUDO_PASSWORD": "sudo-env", "DOCKERTLS_SSH_KEY_PASSPHRASE": "key-env", "MY_CA": "ca-env"}
	a := &asker{}
	s := NewSession(&plan.Plan{CA: plan.CA{PassphraseEnv: "MY_CA"}}, a, Options{Getenv: func(k string) string { return env[k] }})
	for kind, want := range map[remote.SecretKind]string{remote.SecretSudoPassword: "sudo-env", remote.SecretKeyPassphrase: "key-env", remote.SecretSSHPassword: "typed"} {
		if got, err := s.Prompter.Secret(ctx, remote.SecretRequest{Kind: kind, Host: "node3:22"}); err != nil || got != want {
			t.Errorf("secret %v = %q, %v; want %q", kind, got, err, want)
		}
	}
	if got, err := s.Prompter.CAPassphrase(ctx, true); err != nil || got != "ca-env" {
		t.Errorf("CA passphrase = %q, %v", got, err)
	}
	if err := s.UpdatePlan(func(p *plan.Plan) error { p.CA.PassphraseEnv = "OTHER"; return nil }); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Prompter.CAPassphrase(ctx, true); got != "typed-ca" {
		t.Errorf("after the plan names an unset variable: %q, want the prompter asked", got)
	}
	if strings.Join(a.asked, ",") != "secret,ca" {
		t.Errorf("the prompter was asked %v, want only the SSH password and the second CA passphrase", a.asked)
	}

	// Nobody to ask: the environment still answers; the rest is refused
	// naming the variable.
	n := NewSession(&plan.Plan{}, nil, Options{Getenv: func(k string) string { return env[k] }})
	if got, err := n.Prompter.Secret(ctx, remote.SecretRequest{Kind: remote.SecretSudoPassword}); got != "sudo-env" || err != nil {
		t.Errorf("no prompter, sudo: %q, %v", got, err)
	}
	if _, err := n.Prompter.Secret(ctx, remote.SecretRequest{Kind: remote.SecretSSHPassword, Host: "node3:22"}); err == nil || !strings.Contains(err.Error(), remote.EnvSSHPassword) {
		t.Errorf("no prompter, SSH password: %v", err)
	}
	if _, err := n.Prompter.CAPassphrase(ctx, false); err != ErrCAPassphraseNotAsked {
		t.Errorf("no prompter, CA: %v", err)
	}
}
