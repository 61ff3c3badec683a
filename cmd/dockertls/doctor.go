package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"

	"github.com/dockertls/dockertls/wizard"
)

// doctorCommand is `dockertls doctor`: every step's check plus the live
// test, as a table or JSON; exit 1 when anything fails.
func doctorCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("doctor", "doctor -f PLAN [--json] [--fix] [--yes] [--accept-new-host-keys]", stderr)
	plan := planFlag(fs)
	asJSON := fs.Bool("json", false, `print a JSON list of {"step","status","code","message","fix"}`)
	fix := fs.Bool("fix", false, "re-run the failing steps in order, then check again")
	yes := fs.Bool("yes", false, "with --fix: make changes to remote hosts without asking")
	accept := fs.Bool("accept-new-host-keys", false, "trust SSH host keys seen for the first time")
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	p, ok := loadPlan(*plan, stderr)
	if !ok {
		return exitUsage
	}
	opts := wizard.Options{Yes: *yes, AcceptNewHostKeys: *accept}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r := wizard.NewRunner(p, wizard.HeadlessPrompter(opts), opts)
	defer r.Close()

	findings := r.Doctor(ctx)
	if *fix && len(wizard.Failing(findings)) > 0 {
		if !*asJSON {
			printFindings(stdout, findings)
			fmt.Fprintf(stdout, "\nfixing: %s\n", joinSteps(wizard.Failing(findings)))
		}
		printer := wizard.NewPrinter(stdout)
		if *asJSON {
			printer = wizard.NewPrinter(stderr)
		}
		if err := r.Fix(ctx, findings, printer); err != nil && !*asJSON {
			fmt.Fprintln(stdout)
		}
		findings = r.Doctor(ctx)
		if !*asJSON {
			fmt.Fprintln(stdout, "\nafter the fix:")
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if findings == nil {
			findings = []wizard.Finding{}
		}
		if err := enc.Encode(findings); err != nil {
			fmt.Fprintf(stderr, "dockertls doctor: %v\n", err)
			return exitFailed
		}
	} else {
		printFindings(stdout, findings)
	}
	if len(wizard.Failing(findings)) > 0 {
		return exitFailed
	}
	return exitOK
}

// printFindings prints the doctor table: step, status, what, fix.
func printFindings(w io.Writer, findings []wizard.Finding) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tSTATUS\tWHAT\tFIX")
	for _, f := range findings {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Step, f.Status, oneLine(f.Message), oneLine(f.Fix))
	}
	tw.Flush()
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
		fmt.Fprintf(w, "%d failing, %d warning: run `dockertls doctor --fix --yes` to repair the failing steps\n", fails, warns)
	case warns > 0:
		fmt.Fprintf(w, "all steps work; %d warning(s)\n", warns)
	default:
		fmt.Fprintln(w, "all steps ok")
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func joinSteps(names []wizard.StepName) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = string(n)
	}
	return strings.Join(parts, ", ")
}
