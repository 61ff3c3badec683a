package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
)

// applyCommand is `dockertls apply`: run the steps headless, one line each.
func applyCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("apply", "apply -f PLAN [--yes] [--step NAME ...] [--dry-run] [--accept-new-host-keys] [--daemon NAME] [--parallel N] [--replace-ca]", loc, stderr)
	plan := planFlag(fs)
	var steps stepList
	fs.Var(&reasonValue{Value: &steps}, "step", loc.T("flag.apply.step"))
	yes := fs.Bool("yes", false, loc.T("flag.apply.yes"))
	dry := fs.Bool("dry-run", false, loc.T("flag.apply.dry-run"))
	accept := fs.Bool("accept-new-host-keys", false, loc.T("flag.apply.accept-new-host-keys"))
	replaceCA := fs.Bool("replace-ca", false, loc.T("flag.apply.replace-ca"))
	daemon, limit := fleetFlags(fs)
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	p, ok := loadPlan(*plan, loc, stderr)
	if !ok || !checkDaemonFlag(loc, p, *daemon, *limit, stderr) {
		return exitUsage
	}
	opts := wizard.Options{Yes: *yes, DryRun: *dry, AcceptNewHostKeys: *accept, ReplaceCA: *replaceCA, Localizer: loc}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if p.IsFleet() {
		f, err := wizard.NewFleet(p, wizard.HeadlessPrompter(opts), opts, *daemon)
		if err != nil {
			fmt.Fprintf(stderr, "dockertls apply: %s\n", loc.Error(err))
			return exitUsage
		}
		defer f.Close()
		if *dry {
			status := exitOK
			for _, m := range f.Members {
				fmt.Fprintf(stdout, "==== %s\n", loc.T("cli.fleet.daemon", "Name", m.Name))
				status = max(status, dryRun(ctx, m.Runner, steps, loc, stdout, stderr))
			}
			return status
		}
		return runFleet(ctx, loc, f, steps, *limit, stdout, func(w io.Writer) func(wizard.Event) { return wizard.NewPrinter(w, loc) })
	}
	r := wizard.NewRunner(p, wizard.HeadlessPrompter(opts), opts)
	defer r.Close()
	if *dry {
		return dryRun(ctx, r, steps, loc, stdout, stderr)
	}
	var finished []wizard.StepName
	printer := wizard.NewPrinter(stdout, loc)
	emit := func(e wizard.Event) {
		if e.Kind == wizard.EventDone || e.Kind == wizard.EventSkipped || e.Kind == wizard.EventFailed {
			finished = append(finished, e.Step)
		}
		printer(e)
	}
	if err := r.Run(ctx, steps, emit); err != nil {
		var left []string
		for _, n := range wizard.OrderSteps(steps) {
			if !slices.Contains(finished, n) {
				left = append(left, string(n))
			}
		}
		if len(left) > 0 {
			fmt.Fprintf(stdout, "  %s\n", loc.T("apply.stopped", "Steps", strings.Join(left, ", ")))
		}
		return exitFailed
	}
	return exitOK
}

// dryRun prints the plan with every default filled, then each selected
// step's description with the manual commands.
func dryRun(ctx context.Context, r *wizard.Runner, steps stepList, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	filled := r.Plan().WithDefaults()
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	err := enc.Encode(filled)
	if err == nil {
		err = enc.Close()
	}
	out := buf.Bytes()
	if err != nil {
		fmt.Fprintf(stderr, "dockertls: %s\n", loc.T("apply.cannot_print_plan", "Err", err))
		return exitFailed
	}
	fmt.Fprintf(stdout, "%s\n%s\n", loc.T("apply.plan_filled", "Path", r.Plan().Path), out)
	status := exitOK
	for _, n := range wizard.OrderSteps(steps) {
		d, err := r.Describe(ctx, n)
		if err != nil {
			fmt.Fprintf(stdout, "== %s: %s\n   %s\n\n", n, wizard.StepTitleIn(loc, n), loc.T("apply.cannot_describe", "Err", err))
			status = exitFailed
			continue
		}
		fmt.Fprint(stdout, formatDescription(loc, d))
	}
	return status
}

// formatDescription renders a step's Description for a terminal or a log.
func formatDescription(loc *i18n.Localizer, d wizard.Description) string {
	var b strings.Builder
	fmt.Fprintf(&b, "== %s: %s\n", d.Step, d.Title)
	if d.What != "" {
		fmt.Fprintf(&b, "%s\n", wrap(d.What, "   "))
	}
	if d.Why != "" {
		fmt.Fprintf(&b, "   %s\n%s\n", loc.T("apply.why"), wrap(d.Why, "     "))
	}
	if len(d.Changes) > 0 {
		b.WriteString("   " + loc.T("apply.changes") + "\n")
		for _, c := range d.Changes {
			fmt.Fprintf(&b, "     %s: %s %s\n", c.Host, c.Summary, c.Path)
			if c.Diff != "" {
				for _, l := range strings.Split(strings.TrimRight(c.Diff, "\n"), "\n") {
					fmt.Fprintf(&b, "       %s\n", l)
				}
			}
		}
	}
	if len(d.Commands) > 0 {
		b.WriteString("   " + loc.T("apply.by_hand") + "\n")
		for _, c := range d.Commands {
			fmt.Fprintf(&b, "     %s\n", strings.ReplaceAll(c, "\n", "\n     "))
		}
	}
	b.WriteString("\n")
	return b.String()
}

// textWidth is how wide explanations are wrapped in a terminal or a log.
const textWidth = 80

// wrap wraps text to textWidth columns (measured as a terminal shows them:
// a Chinese character takes two) and indents every line with prefix.
func wrap(s, prefix string) string {
	wrapped := i18n.Wrap(strings.TrimSpace(s), textWidth-len(prefix))
	return prefix + strings.ReplaceAll(wrapped, "\n", "\n"+prefix)
}
