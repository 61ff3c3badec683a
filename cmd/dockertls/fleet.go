package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// A plan may list daemons: instead of one daemon:. apply, doctor and verify
// then work on every daemon (or the one --daemon names), several at once
// (--parallel), and print each daemon's lines together once it is done.

// fleetFlags adds --daemon and --parallel.
func fleetFlags(fs *flagSet) (daemon *string, limit *int) {
	daemon = fs.String("daemon", "", fs.loc.T("cli.flag.daemon"))
	limit = fs.Int("parallel", wizard.DefaultParallel, fs.loc.T("cli.flag.parallel"))
	return daemon, limit
}

// checkDaemonFlag refuses --daemon for a plan with one daemon: section
// (false: the message is printed, exit status 2).
func checkDaemonFlag(loc *i18n.Localizer, p *plan.Plan, daemon string, limit int, stderr io.Writer) bool {
	if daemon != "" && !p.IsFleet() {
		fmt.Fprintf(stderr, "dockertls: %s\n", loc.T("cli.daemon_flag_single", "Daemon", echo.Bare(daemon)))
		return false
	}
	if limit < 1 {
		fmt.Fprintf(stderr, "dockertls: %s\n", loc.T("cli.parallel_flag", "N", limit))
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
	loc     *i18n.Localizer
	bufs    map[string]*bytes.Buffer
	newEmit func(w io.Writer) func(wizard.Event)
	failed  []string
	ok      []string
}

func newGroupedOutput(w io.Writer, loc *i18n.Localizer, newEmit func(io.Writer) func(wizard.Event)) *groupedOutput {
	return &groupedOutput{w: w, loc: loc, bufs: map[string]*bytes.Buffer{}, newEmit: newEmit}
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
	title := g.loc.T("cli.fleet.daemon", "Name", daemon)
	if daemon == "" {
		title = g.loc.T("cli.fleet.shared")
	} else if err != nil {
		g.failed = append(g.failed, daemon)
	} else {
		g.ok = append(g.ok, daemon)
	}
	status := g.loc.T("cli.fleet.done")
	if err != nil {
		status = g.loc.T("cli.fleet.failed")
	}
	fmt.Fprintf(g.w, "== %s: %s\n%s\n", title, status, strings.TrimRight(g.bufs[daemon].String(), "\n"))
}

// summary is the last line: how many daemons are done, which failed.
func (g *groupedOutput) summary(total int) string {
	sort.Strings(g.failed)
	if len(g.failed) == 0 {
		return g.loc.T("cli.fleet.all_done", "Total", total)
	}
	return g.loc.T("cli.fleet.some_failed", "Done", len(g.ok), "Total", total, "Failed", strings.Join(g.failed, ", "))
}

// runFleet runs steps on every daemon of the fleet with grouped output; it
// returns the exit status.
func runFleet(ctx context.Context, loc *i18n.Localizer, f *wizard.Fleet, steps []wizard.StepName, limit int, stdout io.Writer, newEmit func(io.Writer) func(wizard.Event)) int {
	out := newGroupedOutput(stdout, loc, newEmit)
	errs := f.Run(ctx, steps, limit, out.sink, out.done)
	if err, ok := errs[""]; ok {
		fmt.Fprintln(stdout, loc.T("cli.fleet.shared_failed", "Err", err))
		return exitFailed
	}
	fmt.Fprintln(stdout, out.summary(len(f.Members)))
	if len(errs) > 0 {
		return exitFailed
	}
	return exitOK
}
