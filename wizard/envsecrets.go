package wizard

import (
	"context"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
)

// EnvSecrets wraps a Prompter so that secrets come from the environment
// before anyone is asked: DOCKERTLS_SSH_PASSWORD, DOCKERTLS_SUDO_PASSWORD,
// DOCKERTLS_SSH_KEY_PASSPHRASE (remote.SecretEnv) and, for the CA key, the
// variable the plan names in ca.passphrase_env (caEnv, read when asked, so
// a plan edited meanwhile counts). This is the one place a secret is read
// from the environment; the headless and TUI prompters only ask. A nil
// Prompter asks nobody: what the environment does not answer is refused.
func EnvSecrets(p Prompter, getenv func(string) string, caEnv func() string) Prompter {
	return envSecrets{inner: p, getenv: getenv, caEnv: caEnv}
}

type envSecrets struct {
	inner  Prompter
	getenv func(string) string
	caEnv  func() string
}

func (e envSecrets) Secret(ctx context.Context, req remote.SecretRequest) (string, error) {
	name := remote.SecretEnv(req.Kind)
	if name != "" {
		if v := e.getenv(name); v != "" {
			return v, nil
		}
	}
	if e.inner == nil {
		return "", i18n.Errorf("wizard.prompt.secret_nobody", "Host", req.Host, "Env", name)
	}
	return e.inner.Secret(ctx, req)
}

func (e envSecrets) CAPassphrase(ctx context.Context, create bool) (string, error) {
	if name := e.caEnv(); name != "" {
		if v := e.getenv(name); v != "" {
			return v, nil
		}
	}
	if e.inner == nil {
		return "", ErrCAPassphraseNotAsked
	}
	return e.inner.CAPassphrase(ctx, create)
}

func (e envSecrets) TrustHostKey(ctx context.Context, req remote.HostKeyRequest) (bool, error) {
	if e.inner == nil {
		return false, nil // not trusted; the caller says how to check the key
	}
	return e.inner.TrustHostKey(ctx, req)
}

func (e envSecrets) Confirm(ctx context.Context, req ConfirmRequest) (bool, error) {
	if e.inner == nil {
		// ErrNotConfirmed among the values: errors.Is sees the refusal.
		return false, i18n.Errorf("wizard.prompt.confirm_nobody", "Step", req.Step, "Refusal", ErrNotConfirmed)
	}
	return e.inner.Confirm(ctx, req)
}
