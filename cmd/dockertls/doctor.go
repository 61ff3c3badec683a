package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"

	"github.com/charmbracelet/x/term"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/fix"
)

// doctorCommand is `dockertls doctor`: every step's check plus the live
// test, as a table or JSON; exit 1 when anything fails.
func doctorCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("doctor", "doctor -f PLAN [--json] [--fix] [--yes] [--accept-new-host-keys] [--daemon NAME] [--parallel N]\n       dockertls doctor --ssh user@host[:port] [--ca-dir DIR] [-f PLAN-TO-WRITE] [--fix] [--yes]", loc, stderr)
	plan := planFlag(fs)
	sshTarget := fs.String("ssh", "", loc.T("flag.doctor.ssh"))
	caDir := fs.String("ca-dir", "", loc.T("flag.doctor.ca-dir"))
	identity := fs.String("identity", "", loc.T("flag.doctor.identity"))
	asJSON := fs.Bool("json", false, loc.T("flag.doctor.json"))
	repair := fs.Bool("fix", false, loc.T("flag.doctor.fix"))
	yes := fs.Bool("yes", false, loc.T("flag.doctor.yes"))
	accept := fs.Bool("accept-new-host-keys", false, loc.T("flag.doctor.accept-new-host-keys"))
	daemon, limit := fleetFlags(fs)
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	opts := wizard.Options{Yes: *yes, AcceptNewHostKeys: *accept, Localizer: loc}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *caDir != "" && *sshTarget == "" {
		fmt.Fprintln(stderr, "dockertls doctor: "+loc.T("cli.doctor.ca_dir_without_ssh"))
		return exitUsage
	}
	if *sshTarget != "" {
		if code, ok := discoverPlan(ctx, opts, *sshTarget, *caDir, *identity, *plan, stdout, stderr); !ok {
			return code
		}
	}
	p, ok := loadPlan(*plan, loc, stderr)
	if !ok || !checkDaemonFlag(loc, p, *daemon, *limit, stderr) {
		return exitUsage
	}
	if p.IsFleet() {
		f, err := wizard.NewFleet(p, wizard.HeadlessPrompter(opts), opts, *daemon)
		if err != nil {
			fmt.Fprintf(stderr, "dockertls doctor: %s\n", loc.Error(err))
			return exitUsage
		}
		defer f.Close()
		return doctorFleet(ctx, loc, f, *limit, *asJSON, *repair, *plan, stdout, stderr)
	}
	r := wizard.NewRunner(p, wizard.HeadlessPrompter(opts), opts)
	defer r.Close()

	findings := r.Doctor(ctx)
	if *repair && len(wizard.ToRepair(findings)) > 0 {
		if !*asJSON {
			printFindings(stdout, loc, findings, r.Renderer())
			fmt.Fprintf(stdout, "\n%s\n", loc.T("doctor.fixing", "Steps", joinSteps(wizard.ToRepair(findings))))
		}
		printer := wizard.NewPrinter(stdout, loc)
		if *asJSON {
			printer = wizard.NewPrinter(stderr, loc)
		}
		if err := r.Fix(ctx, findings, printer); err != nil && !*asJSON {
			fmt.Fprintln(stdout)
		}
		findings = r.Doctor(ctx)
		if !*asJSON {
			fmt.Fprintln(stdout, "\n"+loc.T("doctor.after_fix"))
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		out := []wizard.FindingJSON{}
		for _, f := range findings {
			out = append(out, f.JSON(r.Renderer()))
		}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "dockertls doctor: %s\n", loc.Error(err))
			return exitFailed
		}
	} else {
		printFindings(stdout, loc, findings, r.Renderer())
	}
	if len(wizard.Failing(findings)) > 0 {
		return exitFailed
	}
	return exitOK
}

// discoverPlan is `doctor --ssh`: it reads the daemon node over SSH and
// writes the plan file that describes it (never over an existing one), then
// doctor carries on with that plan.
func discoverPlan(ctx context.Context, opts wizard.Options, target, caDir, identity, planPath string, stdout, stderr io.Writer) (int, bool) {
	loc := opts.Localizer
	if _, err := os.Stat(planPath); err == nil {
		fmt.Fprintln(stderr, "dockertls doctor: "+loc.T("cli.doctor.plan_exists", "Path", planPath, "Command", fixesFor(planPath).Command(fix.Run("doctor"))))
		return exitUsage, false
	}
	d, err := wizard.Discover(ctx, wizard.HeadlessPrompter(opts), opts, wizard.DiscoverOptions{Target: target, CADir: caDir, Identity: identity})
	if err != nil {
		fmt.Fprintf(stderr, "dockertls doctor: %s\n", loc.Error(err))
		return exitFailed, false
	}
	fmt.Fprintln(stdout, loc.T("cli.doctor.found_on", "Target", target))
	for _, n := range d.Notes {
		fmt.Fprintf(stdout, "  %s\n", oneLine(n))
	}
	if err := d.Plan.Save(planPath); err != nil {
		fmt.Fprintf(stderr, "dockertls doctor: %s\n", loc.Error(err))
		return exitFailed, false
	}
	fmt.Fprintf(stdout, "%s\n\n", loc.T("cli.doctor.wrote_plan", "Path", planPath, "Command", fixesFor(planPath).Command(fix.Run("doctor"))))
	return exitOK, true
}

// fixesFor shows dockertls commands for the plan at path (as typed) in the
// user's shell.
func fixesFor(path string) fix.Renderer {
	return fix.For(path, wizard.DetectShell(os.Getenv("SHELL")))
}

// printFindings prints the doctor table: step, status and what is wrong,
// with the fix on a line of its own under its finding (a fix beside a long
// message would start past the right edge). On a terminal, messages wrap
// to its width, under their column. The headers and words are in the
// user's language, measured in terminal columns; the step names and the
// status values (ok, warn, fail) are the same in every language, as doctor
// --json writes them.
func printFindings(w io.Writer, loc *i18n.Localizer, findings []wizard.Finding, rd fix.Renderer) {
	width := 0 // unlimited: a file or pipe gets one line per message
	if f, ok := w.(*os.File); ok && term.IsTerminal(f.Fd()) {
		if cols, _, err := term.GetSize(f.Fd()); err == nil {
			width = cols
		}
	}
	stepH, statusH, whatH := loc.T("cli.doctor.head_step"), loc.T("cli.doctor.head_status"), loc.T("cli.doctor.head_what")
	stepW, statusW := i18n.Width(stepH), max(i18n.Width(statusH), len("STATUS"))
	for _, f := range findings {
		stepW = max(stepW, len(f.Step))
	}
	pad := strings.Repeat(" ", stepW+2+statusW+2)
	// "fix: run: dockertls …" says run twice: a fix that starts with the
	// command (the daemon's fixes, in the language they were written in)
	// loses its "run: ".
	runPrefix := loc.T("cli.doctor.run_prefix")
	fmt.Fprintf(w, "%s  %s  %s\n", i18n.PadRight(stepH, stepW), i18n.PadRight(statusH, statusW), whatH)
	for _, f := range findings {
		fmt.Fprintf(w, "%-*s  %-*s  %s\n", stepW, f.Step, statusW, f.Status, hangText(oneLine(f.Message), pad, width))
		if fx := strings.TrimPrefix(f.Fix.OneLine().Render(rd), runPrefix); fx != "" && f.Status != wizard.StatusOK {
			fmt.Fprintf(w, "%s%s\n", pad, hangText(loc.T("doctor.fix", "Fix", fx), pad, width))
		}
	}
	fails, warns := 0, 0
	for _, f := range findings {
		switch f.Status {
		case wizard.StatusFail:
			fails++
		case wizard.StatusWarn:
			warns++
		}
	}
	switch {
	case fails > 0:
		fmt.Fprintln(w, hangText(loc.T("doctor.summary_failing", "Failing", loc.N("doctor.failing", fails),
			"Warnings", loc.N("doctor.warnings", warns), "Plan", rd.PlanArg()), "", width))
	case warns > 0:
		fmt.Fprintln(w, loc.T("doctor.summary_warnings", "Warnings", loc.N("doctor.warnings", warns)))
	default:
		fmt.Fprintln(w, loc.T("doctor.summary_ok"))
	}
}

// hangText wraps s to width columns (0: no wrapping); lines after the first
// start with pad, so they stay in their column.
func hangText(s, pad string, width int) string {
	avail := width - len(pad) - 1 // the last column would wrap early on some terminals
	if width <= 0 || avail < 20 {
		return s
	}
	return strings.ReplaceAll(i18n.Wrap(s, avail), "\n", "\n"+pad)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func joinSteps(names []wizard.StepName) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = string(n)
	}
	return strings.Join(parts, ", ")
}

// daemonFindings are one daemon's findings in doctor --json for a plan
// with daemons:.
type daemonFindings struct {
	Daemon   string               `json:"daemon"`
	Findings []wizard.FindingJSON `json:"findings"`
}

// doctorFleet is doctor for a plan with daemons:: each daemon's table as
// soon as it is checked; --fix re-runs the steps failing anywhere on every
// daemon (a step that is done changes nothing), then checks again.
func doctorFleet(ctx context.Context, loc *i18n.Localizer, f *wizard.Fleet, limit int, asJSON, repair bool, planPath string, stdout, stderr io.Writer) int {
	check := func(print bool) (map[string][]wizard.Finding, []wizard.StepName) {
		var mu sync.Mutex
		all := map[string][]wizard.Finding{}
		var failing []wizard.StepName
		f.Doctor(ctx, limit, func(daemon string, findings []wizard.Finding) {
			mu.Lock()
			defer mu.Unlock()
			all[daemon] = findings
			failing = append(failing, wizard.Failing(findings)...)
			if print {
				fmt.Fprintf(stdout, "== %s\n", loc.T("cli.fleet.daemon", "Name", daemon))
				printFindings(stdout, loc, findings, memberFixes(planPath, daemon))
			}
		})
		if len(failing) == 0 {
			return all, nil // OrderSteps(nil) would mean every step
		}
		return all, wizard.OrderSteps(failing)
	}
	all, failing := check(!asJSON)
	if repair && len(failing) > 0 && len(all) > 0 {
		w := stdout
		if asJSON {
			w = stderr
		}
		fmt.Fprintf(w, "\n%s\n", loc.T("doctor.fixing", "Steps", joinSteps(failing)))
		runFleet(ctx, loc, f, failing, limit, w, func(w io.Writer) func(wizard.Event) { return wizard.NewPrinter(w, loc) })
		if !asJSON {
			fmt.Fprintln(stdout, "\n"+loc.T("doctor.after_fix"))
		}
		all, failing = check(!asJSON)
	}
	if asJSON {
		out := make([]daemonFindings, 0, len(f.Members))
		for _, m := range f.Members {
			rd := memberFixes(planPath, m.Name)
			js := []wizard.FindingJSON{}
			for _, f := range all[m.Name] {
				js = append(js, f.JSON(rd))
			}
			out = append(out, daemonFindings{Daemon: m.Name, Findings: js})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "dockertls doctor: %s\n", loc.Error(err))
			return exitFailed
		}
	}
	if len(failing) > 0 {
		return exitFailed
	}
	return exitOK
}

// memberFixes shows the fixes of one daemon of a plan with daemons:.
func memberFixes(planPath, daemon string) fix.Renderer {
	rd := fixesFor(planPath)
	rd.Daemon = daemon
	return rd
}
