package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// A plan may list daemons: instead of one daemon:. apply, doctor and verify
// then work on every daemon (or the one --daemon names), several at once
// (--parallel), and print each daemon's lines together once it is done.

// fleetFlags adds --daemon and --parallel.
func fleetFlags(fs *flag.FlagSet) (daemon *string, limit *int) {
	daemon = fs.String("daemon", "", "with a plan that lists daemons: work on this one only")
	limit = fs.Int("parallel", wizard.DefaultParallel, "with a plan that lists daemons: how many to work on at once")
	return daemon, limit
}

// checkDaemonFlag refuses --daemon for a plan with one daemon: section
// (false: the message is printed, exit status 2).
func checkDaemonFlag(p *plan.Plan, daemon string, limit int, stderr io.Writer) bool {
	if daemon != "" && !p.IsFleet() {
		fmt.Fprintf(stderr, "dockertls: --daemon %s: the plan has one daemon: section, not a daemons: list; leave --daemon out\n", daemon)
		return false
	}
	if limit < 1 {
		fmt.Fprintf(stderr, "dockertls: --parallel %d: give 1 or more\n", limit)
		return false
	}
	return true
}

// groupedOutput collects each daemon's lines and writes them as one block
// when the daemon is done, so blocks of daemons worked on at once never
// interleave.
type groupedOutput struct {
	mu      sync.Mutex
	w       io.Writer
	bufs    map[string]*bytes.Buffer
	newEmit func(w io.Writer) func(wizard.Event)
	failed  []string
	ok      []string
}

func newGroupedOutput(w io.Writer, newEmit func(io.Writer) func(wizard.Event)) *groupedOutput {
	return &groupedOutput{w: w, bufs: map[string]*bytes.Buffer{}, newEmit: newEmit}
}

// sink is where a daemon's events go ("" is the steps all daemons share).
func (g *groupedOutput) sink(daemon string) func(wizard.Event) {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := &bytes.Buffer{}
	g.bufs[daemon] = b
	return g.newEmit(b)
}

// done writes a daemon's block.
func (g *groupedOutput) done(daemon string, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	title := "daemon " + daemon
	if daemon == "" {
		title = "shared by every daemon (CA, client certificate)"
	} else if err != nil {
		g.failed = append(g.failed, daemon)
	} else {
		g.ok = append(g.ok, daemon)
	}
	status := "done"
	if err != nil {
		status = "FAILED"
	}
	fmt.Fprintf(g.w, "== %s: %s\n%s\n", title, status, strings.TrimRight(g.bufs[daemon].String(), "\n"))
}

// summary is the last line: how many daemons are done, which failed.
func (g *groupedOutput) summary(total int) string {
	sort.Strings(g.failed)
	if len(g.failed) == 0 {
		return fmt.Sprintf("all %d daemons done", total)
	}
	return fmt.Sprintf("%d of %d daemons done; failed: %s (the others were not stopped or undone; re-run with --daemon NAME for one)",
		len(g.ok), total, strings.Join(g.failed, ", "))
}

// runFleet runs steps on every daemon of the fleet with grouped output; it
// returns the exit status.
func runFleet(ctx context.Context, f *wizard.Fleet, steps []wizard.StepName, limit int, stdout io.Writer, newEmit func(io.Writer) func(wizard.Event)) int {
	out := newGroupedOutput(stdout, newEmit)
	errs := f.Run(ctx, steps, limit, out.sink, out.done)
	if err, ok := errs[""]; ok {
		fmt.Fprintf(stdout, "the steps every daemon shares failed (%v): no daemon was worked on\n", err)
		return exitFailed
	}
	fmt.Fprintln(stdout, out.summary(len(f.Members)))
	if len(errs) > 0 {
		return exitFailed
	}
	return exitOK
}
