package remote

import (
	"context"
	"errors"
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
}

// Open connects to the host cfg names: Local for "local", SSH otherwise.
// TEMPORARY: the remote package's implementation replaces this body.
func Open(ctx context.Context, cfg Config) (Host, error) {
	return nil, errors.New("remote: not implemented yet")
}
