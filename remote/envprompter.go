package remote

import (
	"context"
	"fmt"
	"os"
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
	var what string
	name := SecretEnv(req.Kind)
	switch req.Kind {
	case SecretSSHPassword:
		what = fmt.Sprintf("the SSH password of %s on %s", req.User, req.Host)
	case SecretSudoPassword:
		what = fmt.Sprintf("the sudo password of %s on %s", req.User, req.Host)
	case SecretKeyPassphrase:
		what = fmt.Sprintf("the passphrase of %s", req.Detail)
	default:
		return "", fmt.Errorf("cannot answer secret question %d headless", req.Kind)
	}
	if v := p.getenv(name); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("%s is needed and nothing can ask for it here: set %s (or run in a terminal)", what, name)
}
