package remote

import (
	"context"
	"fmt"
	"os"

	"github.com/dockertls/dockertls/internal/i18n"
)

// Environment variables that answer secrets in headless runs.
const (
	EnvSSHPassword   = "DOCKERTLS_SSH_PASSWORD"
	EnvSudoPassword  = "DOCKERTLS_SUDO_PASSWORD"
	EnvKeyPassphrase = "DOCKERTLS_SSH_KEY_PASSPHRASE"
)

// SecretEnv is the environment variable that answers a kind of secret in
// a run that cannot ask ("" for none).
func SecretEnv(k SecretKind) string {
	switch k {
	case SecretSSHPassword:
		return EnvSSHPassword
	case SecretSudoPassword:
		return EnvSudoPassword
	case SecretKeyPassphrase:
		return EnvKeyPassphrase
	}
	return ""
}

// EnvPrompter is the Prompter for headless runs: it never reads standard
// input. Secrets come from DOCKERTLS_SSH_PASSWORD, DOCKERTLS_SUDO_PASSWORD
// and DOCKERTLS_SSH_KEY_PASSPHRASE; an unknown host key is refused unless
// AcceptNewHostKeys (--accept-new-host-keys) is set.
type EnvPrompter struct {
	AcceptNewHostKeys bool
	// Getenv looks up variables; nil means os.Getenv (tests pass their own).
	Getenv func(string) string
}

func (p EnvPrompter) getenv(name string) string {
	if p.Getenv != nil {
		return p.Getenv(name)
	}
	return os.Getenv(name)
}

// TrustHostKey implements Prompter. Refusing is not an error: the caller
// reports the unknown key with its fingerprint and how to check it.
func (p EnvPrompter) TrustHostKey(_ context.Context, _ HostKeyRequest) (bool, error) {
	return p.AcceptNewHostKeys, nil
}

// Secret implements Prompter. An unset variable is an error that names it.
func (p EnvPrompter) Secret(_ context.Context, req SecretRequest) (string, error) {
	var what i18n.Message
	name := SecretEnv(req.Kind)
	switch req.Kind {
	case SecretSSHPassword:
		what = i18n.M("remote.secret.ssh_password", "User", req.User, "Host", req.Host)
	case SecretSudoPassword:
		what = i18n.M("remote.secret.sudo_password", "User", req.User, "Host", req.Host)
	case SecretKeyPassphrase:
		what = i18n.M("remote.secret.key_passphrase", "File", req.Detail)
	default:
		return "", fmt.Errorf("cannot answer secret question %d headless", req.Kind)
	}
	if v := p.getenv(name); v != "" {
		return v, nil
	}
	return "", i18n.Errorf("remote.secret.missing", "What", what, "Env", name)
}
