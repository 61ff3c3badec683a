package wizard

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/plan"
)

// Options are the run-wide switches of the headless commands and the TUI.
type Options struct {
	Yes               bool // changes to remote hosts need no confirmation
	DryRun            bool // describe, change nothing
	AcceptNewHostKeys bool // trust unknown SSH host keys (headless)
	// ReplaceCA makes the ca step replace an existing CA with a new one
	// (apply --replace-ca; the old one is kept as *.replaced-TIMESTAMP).
	ReplaceCA     bool
	HealthTimeout time.Duration // how long to wait for the daemon after a restart (default 30s)
	// LockWait is how long a step waits for another run to let go of the
	// PKI directory or the daemon's node before it names that run and
	// gives up (default 10s).
	LockWait time.Duration

	// ConnectTimeout bounds TCP connect + SSH handshake per host (default 10s).
	ConnectTimeout time.Duration
	// Shell is the client's shell for client-env ("" = detect from $SHELL).
	Shell string
	// Persist makes client-env write the variables into the shell's start-up file.
	Persist bool
	// Getenv reads the environment (nil: os.Getenv); tests set it.
	Getenv func(string) string
	// Localizer speaks the user's language in titles, explanations and
	// messages (nil: English).
	Localizer *i18n.Localizer
}

// Session is one run: the plan, the PKI directory, the hosts (connected
// lazily, one connection per host, shared by every step) and the Prompter.
// The wizard engine fills in the rest.
type Session struct {
	Prompter Prompter
	Options  Options

	// planMu guards plan: a front end changes it (UpdatePlan) while steps
	// read it in their goroutines, which only ever see copies.
	planMu sync.Mutex
	plan   *plan.Plan

	mu sync.Mutex // guards the fields below except hosts
	// hosts are the run's connections, one per host; the sessions of a
	// fleet (one per daemon) share them.
	hosts *hostPool
	// clientMu, shared by the sessions of a fleet, lets one daemon's
	// distribute at a time write the client's files.
	clientMu *sync.Mutex
	// caPassphrase is remembered for the run once asked, so the CA key is
	// unlocked once however many certificates are issued.
	caPassphrase *string
	// planned are the steps of the current run, so that the first PKI step
	// can generate every key the run needs at once; keys holds them.
	planned []StepName
	keys    map[StepName]crypto.Signer
	// daemonFilesChanged is set by distribute when the daemon's certificate
	// files changed, so that daemon-config restarts the daemon to load them.
	daemonFilesChanged bool
	// prefetch is the daemon node being inspected in the background.
	prefetch *nodeFuture
	// warming is closed when the keys Prewarm generates are in keys.
	warming chan struct{}
}

// NewSession starts a run of plan. Hosts are connected on first use.
func NewSession(pl *plan.Plan, p Prompter, opts Options) *Session {
	s := &Session{plan: pl, Options: opts, hosts: &hostPool{}}
	s.Prompter = EnvSecrets(p, s.getenv, func() string { return s.Filled().CA.PassphraseEnv })
	return s
}

// Plan is a copy of the plan as it is now: read it (or change the copy)
// freely; the session's own plan changes only through UpdatePlan.
func (s *Session) Plan() *plan.Plan {
	s.planMu.Lock()
	defer s.planMu.Unlock()
	return s.plan.Clone()
}

// UpdatePlan changes the plan: change runs on a copy, which replaces the
// plan unless change returns an error (then nothing changes). Steps that
// run meanwhile keep the copy they took.
func (s *Session) UpdatePlan(change func(*plan.Plan) error) error {
	s.planMu.Lock()
	defer s.planMu.Unlock()
	next := s.plan.Clone()
	if err := change(next); err != nil {
		return err
	}
	s.plan = next
	return nil
}

// SavePlan writes the plan back to its file (Path).
func (s *Session) SavePlan() error {
	s.planMu.Lock()
	defer s.planMu.Unlock()
	if s.plan.Path == "" {
		return i18n.Errorf("wizard.session.no_file")
	}
	return s.plan.Save(s.plan.Path)
}

// Filled is the plan with defaults applied, as the steps use it.
func (s *Session) Filled() *plan.Plan {
	s.planMu.Lock()
	defer s.planMu.Unlock()
	return s.plan.WithDefaults()
}

// DaemonHost is the daemon node, connected on first use.
func (s *Session) DaemonHost(ctx context.Context) (remote.Host, error) {
	d := s.Filled().Daemon
	return s.host(ctx, d.SSH, d.Identity, d.KnownHosts, "daemon.ssh")
}

// ClientHost is the client, connected on first use (the same connection as
// the daemon node's when both name the same target).
func (s *Session) ClientHost(ctx context.Context) (remote.Host, error) {
	c := s.Filled().Client
	return s.host(ctx, c.Target, c.Identity, c.KnownHosts, "client.target")
}

// DaemonIsLocal reports whether the daemon node is this machine.
func (s *Session) DaemonIsLocal() bool { return s.Filled().Daemon.SSH == plan.TargetLocal }

// ClientIsLocal reports whether the client is this machine.
func (s *Session) ClientIsLocal() bool { return s.Filled().Client.Target == plan.TargetLocal }

// host opens (once per run) the connection to target. A failed attempt is
// not remembered, so the TUI can retry after the user fixed something.
func (s *Session) host(ctx context.Context, target, identity, knownHosts, field string) (remote.Host, error) {
	key := target
	if t, err := remote.ParseTarget(target); err == nil {
		if t.Local {
			key = plan.TargetLocal
		} else {
			key = fmt.Sprintf("%s@%s:%d", t.User, t.Host, t.Port)
		}
	}
	if s.hosts == nil {
		s.hosts = &hostPool{}
	}
	return s.hosts.get(key, func() (remote.Host, error) {
		timeout := s.Options.ConnectTimeout
		if timeout == 0 {
			timeout = 10 * time.Second
		}
		h, err := remote.Open(ctx, remote.Config{
			Target:     target,
			Identity:   s.Plan().LocalPath(identity),
			KnownHosts: s.Plan().LocalPath(knownHosts),
			Timeout:    timeout,
			Prompter:   s.Prompter,
			// The CA passphrase's variable may have any name: no program
			// dockertls runs here (docker context, ssh -G) inherits it.
			SecretEnv: slices.DeleteFunc([]string{s.Filled().CA.PassphraseEnv}, func(n string) bool { return n == "" }),
		})
		if err != nil {
			err = i18n.Errorf("wizard.session.unreachable", "Target", target, "Field", field, "Err", err)
			var hk *remote.HostKeyError
			if errors.As(err, &hk) {
				return nil, err // a retry asks again; the field is right
			}
			return nil, plan.FixIn(field, err)
		}
		return h, nil
	})
}

// Close closes every connection the run opened.
func (s *Session) Close() error {
	if s.hosts == nil {
		return nil
	}
	return s.hosts.close()
}

// getenv reads an environment variable through Options.Getenv when set.
func (s *Session) getenv(name string) string {
	if s.Options.Getenv != nil {
		return s.Options.Getenv(name)
	}
	return lookupEnv(name)
}
