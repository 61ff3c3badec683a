package wizard

import (
	"time"
)

// Options are the run-wide switches of the headless commands and the TUI.
type Options struct {
	Yes               bool          // changes to remote hosts need no confirmation
	DryRun            bool          // describe, change nothing
	AcceptNewHostKeys bool          // trust unknown SSH host keys (headless)
	HealthTimeout     time.Duration // how long to wait for the daemon after a restart (default 30s)
}

// Session is one run: the plan, the PKI directory, the hosts (connected
// lazily, one connection per host, shared by every step) and the Prompter.
// The wizard engine fills in the rest.
type Session struct {
	Plan     *Plan
	Prompter Prompter
	Options  Options
}
