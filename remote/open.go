package remote

import (
	"context"
	"time"
)

// Config says how to reach a host.
type Config struct {
	// Target is "local", "user@host", "user@host:port", "ssh://user@host:port"
	// (IPv6 in brackets). Defaults: the current user, port 22.
	Target     string
	Identity   string        // optional identity file; "~" expands locally
	KnownHosts string        // default ~/.ssh/known_hosts (created with ~/.ssh 0700 when missing)
	Timeout    time.Duration // covers TCP connect and the SSH handshake; default 10s
	Prompter   Prompter      // asks for host-key trust and secrets; nil refuses to ask
	// SecretEnv names more variables that hold secrets (the plan's
	// ca.passphrase_env, whatever its name): like DOCKERTLS_*_PASSWORD and
	// every *PASSWORD*/*PASSPHRASE* variable, no program dockertls runs on
	// this machine inherits them.
	SecretEnv []string
}

// DefaultTimeout bounds connecting (TCP and SSH handshake) when
// Config.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// Open connects to the host cfg names: Local for "local", SSH otherwise.
// The returned Host holds one connection; the caller closes it.
func Open(ctx context.Context, cfg Config) (Host, error) {
	t, err := ParseTarget(cfg.Target)
	if err != nil {
		return nil, err
	}
	if t.Local {
		return NewLocal(cfg.Prompter, cfg.SecretEnv...), nil
	}
	return dialSSH(ctx, t, cfg)
}
