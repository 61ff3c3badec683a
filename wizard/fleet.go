package wizard

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/parallel"
	"github.com/dockertls/dockertls/wizard/plan"
)

// DefaultParallel is how many daemons of a fleet are worked on at once.
const DefaultParallel = 8

// Fleet runs a plan with daemons: one Runner per daemon, all sharing the
// connections (one per host) and the PKI directory. The CA and the client
// certificate are the same for every daemon, so their steps run once,
// before the daemons; everything else runs for several daemons at once. A
// failure on one daemon never stops or undoes the others.
type Fleet struct {
	Members []FleetMember
	hosts   *hostPool
}

// FleetMember is one daemon of a fleet and the Runner for it.
type FleetMember struct {
	Name   string
	Runner *Runner
}

// sharedSteps are the steps whose result every daemon shares.
func sharedSteps() []StepName { return []StepName{StepCA, StepClientCert} }

// NewFleet makes the fleet of a plan with daemons:; only, when not "",
// keeps the one daemon of that name (--daemon NAME).
func NewFleet(pl *plan.Plan, p Prompter, opts Options, only string) (*Fleet, error) {
	if !pl.IsFleet() {
		return nil, i18n.Errorf("wizard.fleet.not_fleet")
	}
	names := pl.DaemonNames()
	if only != "" {
		if !slices.Contains(names, only) {
			return nil, i18n.Errorf("wizard.fleet.no_daemon", "Name", echo.Bare(only), "Names", strings.Join(names, ", "))
		}
		names = []string{only}
	}
	// A start-up file holds one DOCKER_HOST: persisting it for every
	// daemon would leave whichever came last.
	opts.Persist = opts.Persist && len(names) == 1
	f := &Fleet{hosts: &hostPool{}}
	clientMu := &sync.Mutex{}
	for _, name := range names {
		sub, err := pl.ForDaemon(name)
		if err != nil {
			return nil, err
		}
		s := NewSession(sub, p, opts)
		s.hosts, s.clientMu = f.hosts, clientMu
		f.Members = append(f.Members, FleetMember{Name: name, Runner: newRunnerWith(s, allSteps())})
	}
	return f, nil
}

// Close closes the fleet's connections.
func (f *Fleet) Close() error { return f.hosts.close() }

// Run applies the named steps (none: all) to every daemon: the shared
// steps once, on the first daemon's session, then the others for up to
// limit daemons at once (limit < 1: DefaultParallel). sink(daemon) gives
// where the events of a daemon go ("" for the shared steps); done(daemon,
// err) is called when that daemon's steps have ended. Run returns the
// errors by daemon ("" for the shared steps); when the shared steps fail,
// no daemon is worked on.
func (f *Fleet) Run(ctx context.Context, names []StepName, limit int, sink func(daemon string) func(Event), done func(daemon string, err error)) map[string]error {
	order := OrderSteps(names)
	errs := map[string]error{}
	var shared, own []StepName
	for _, n := range order {
		if slices.Contains(sharedSteps(), n) {
			shared = append(shared, n)
		} else {
			own = append(own, n)
		}
	}
	first := f.Members[0].Runner
	if len(shared) > 0 {
		err := first.Run(ctx, shared, sink(""))
		done("", err)
		if err != nil {
			errs[""] = err
			return errs
		}
	}
	if len(own) == 0 {
		return errs
	}
	// The CA key was unlocked once; every daemon's certificate uses it.
	first.session.mu.Lock()
	pass := first.session.caPassphrase
	first.session.mu.Unlock()
	results := make([]error, len(f.Members))
	parallel.Each(cmpLimit(limit), len(f.Members), func(i int) {
		m := f.Members[i]
		if pass != nil {
			m.Runner.session.mu.Lock()
			if m.Runner.session.caPassphrase == nil {
				m.Runner.session.caPassphrase = pass
			}
			m.Runner.session.mu.Unlock()
		}
		results[i] = m.Runner.Run(ctx, own, sink(m.Name))
		done(m.Name, results[i])
	})
	for i, err := range results {
		if err != nil {
			errs[f.Members[i].Name] = err
		}
	}
	return errs
}

// Doctor checks every daemon (up to limit at once) and calls report with
// each daemon's findings as soon as they are in.
func (f *Fleet) Doctor(ctx context.Context, limit int, report func(daemon string, findings []Finding)) {
	parallel.Each(cmpLimit(limit), len(f.Members), func(i int) {
		m := f.Members[i]
		report(m.Name, m.Runner.Doctor(ctx))
	})
}

func cmpLimit(limit int) int {
	if limit < 1 {
		return DefaultParallel
	}
	return limit
}
