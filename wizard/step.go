// Package wizard holds the seven steps, the runner, doctor and
// verify. It has no terminal code: the TUI (package ui) and the headless
// commands (cmd/dockertls) run the very same steps and render the same Events. The plan file itself
// is package wizard/plan.
package wizard

import (
	"context"

	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/fix"
	"github.com/dockertls/dockertls/wizard/plan"
	"github.com/dockertls/dockertls/wizard/probe"
)

// StepName is one of the seven steps, as typed after `--step`.
type StepName string

const (
	StepCA           StepName = "ca"
	StepDaemonCert   StepName = "daemon-cert"
	StepClientCert   StepName = "client-cert"
	StepDistribute   StepName = "distribute"
	StepDaemonConfig StepName = "daemon-config"
	StepClientEnv    StepName = "client-env"
	StepVerify       StepName = "verify"
)

// StepNames lists the steps in the order they run.
func StepNames() []StepName {
	return []StepName{StepCA, StepDaemonCert, StepClientCert, StepDistribute, StepDaemonConfig, StepClientEnv, StepVerify}
}

// Status is how healthy a checked thing is.
type Status string

const (
	StatusOK   Status = "ok"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
)

// Finding is one result of a Check: what is wrong (or fine), in plain words,
// and the fix. Code is stable and machine-readable (doctor --json).
type Finding struct {
	Step    StepName `json:"step"`
	Status  Status   `json:"status"`
	Code    string   `json:"code"`
	Message string   `json:"message"`
	// Fix is what to do, its dockertls commands kept as data; it is shown
	// with Session.Renderer (doctor --json writes it through FindingJSON).
	Fix fix.Text `json:"-"`
}

// FindingJSON is a finding as `doctor --json` writes it: the fix rendered
// for the plan, and the dockertls commands in it as data.
type FindingJSON struct {
	Step     StepName      `json:"step"`
	Status   Status        `json:"status"`
	Code     string        `json:"code"`
	Message  string        `json:"message"`
	Fix      string        `json:"fix,omitempty"`
	Commands []fix.Command `json:"fix_commands,omitempty"`
}

// JSON is f as doctor --json writes it, its fix rendered by rd.
func (f Finding) JSON(rd fix.Renderer) FindingJSON {
	return FindingJSON{Step: f.Step, Status: f.Status, Code: f.Code, Message: f.Message,
		Fix: f.Fix.Render(rd), Commands: f.Fix.Commands()}
}

// Description says what a step will do before it does it.
type Description struct {
	Step     StepName
	Title    string   // "Create the certificate authority"
	What     string   // what this run will do, concretely (paths, names)
	Why      string   // why the step exists, for newcomers
	Commands []string // the equivalent manual commands from the tutorials, exactly runnable
	Changes  []Change // changes to remote hosts; non-empty means a confirmation is needed
}

// Change is one modification of a host that the user confirms first.
type Change struct {
	Host    string // "node3" or "this machine"
	Path    string // file that changes; "" for an action such as a restart
	Summary string // "merge daemon.json", "restart docker (stops 2 running containers)"
	Diff    string // unified diff of the file, when there is one
}

// EventKind tells what an Event reports.
type EventKind int

const (
	EventStart    EventKind = iota // a step begins
	EventProgress                  // a step advances (Done of Total)
	EventInfo                      // something worth a line: a file written, a fingerprint
	EventWarn                      // something the user should know but that does not stop the run
	EventDone                      // the step finished (Message: one-line summary)
	EventSkipped                   // the step was already done; nothing changed
	EventFailed                    // the step failed (Err explains what and how to fix)
)

// Event is what a running step reports. The TUI turns Events into tea.Msgs;
// the headless printer into lines.
type Event struct {
	Step    StepName
	Kind    EventKind
	Message string
	Done    int // progress: units done …
	Total   int // … of this many (0: unknown)
	Err     error
	// Report is the live connection test's result (verify's Info and
	// Done events), for front ends that show it whole; nil otherwise.
	Report *probe.Report
}

// Step is one of the seven steps of the tutorial.
type Step interface {
	Name() StepName
	// Check tells whether the step is done and healthy. No findings, or
	// only StatusOK findings, means done.
	Check(ctx context.Context, s *Session) []Finding
	// Describe says what Apply would do, why, and the manual equivalent.
	Describe(ctx context.Context, s *Session) (Description, error)
	// Apply does the step, reporting progress through emit. Applying a step
	// that is already done changes nothing and restarts nothing.
	Apply(ctx context.Context, s *Session, emit func(Event)) error
}

// ConfirmRequest asks the user to approve changes to a remote host.
type ConfirmRequest struct {
	Step    StepName
	Changes []Change
}

// Prompter answers every question a run may need to ask: the connection's
// (host keys, SSH secrets, sudo) plus the wizard's own.
type Prompter interface {
	remote.Prompter
	// Confirm approves changes to a host before they are made.
	Confirm(ctx context.Context, req ConfirmRequest) (bool, error)
	// CAPassphrase asks for the CA key's passphrase; create asks twice and
	// may return "" for an unencrypted key.
	CAPassphrase(ctx context.Context, create bool) (string, error)
}

// Engine is what a front end (the TUI, the headless commands) needs from the
// wizard. The real implementation runs the steps against a Session; tests of
// the TUI may use a fake.
type Engine interface {
	// Plan is a copy of the plan being worked on. The engine owns the
	// plan: front ends change it only through UpdatePlan, so that no step
	// reads it while it is written, and persist it with SavePlan.
	Plan() *plan.Plan
	// UpdatePlan runs change on a copy of the plan, which then replaces
	// it; when change returns an error nothing changes.
	UpdatePlan(change func(*plan.Plan) error) error
	SavePlan() error
	// Check, Describe and Apply run one step's methods.
	Check(ctx context.Context, step StepName) []Finding
	Describe(ctx context.Context, step StepName) (Description, error)
	Apply(ctx context.Context, step StepName, emit func(Event)) error
	// Doctor checks every step and the live connection.
	Doctor(ctx context.Context) []Finding
	// SuggestSANs gathers the daemon node's host names and addresses
	// (over SSH when remote) as suggestions for daemon.sans.
	SuggestSANs(ctx context.Context) ([]string, error)
	// Close closes every connection the run opened.
	Close() error
}
