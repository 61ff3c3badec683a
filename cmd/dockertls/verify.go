package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
)

// verifyCommand is `dockertls verify`: the live mutual-TLS test against the
// plan's daemon, its Server block and handshake, and the proof that clients
// without a valid certificate are refused.
func verifyCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("verify", "verify -f PLAN [--accept-new-host-keys] [--daemon NAME] [--parallel N]", loc, stderr)
	plan := planFlag(fs)
	accept := fs.Bool("accept-new-host-keys", false, loc.T("flag.verify.accept-new-host-keys"))
	daemon, limit := fleetFlags(fs)
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	p, ok := loadPlan(*plan, loc, stderr)
	if !ok || !checkDaemonFlag(loc, p, *daemon, *limit, stderr) {
		return exitUsage
	}
	opts := wizard.Options{AcceptNewHostKeys: *accept, Localizer: loc}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if p.IsFleet() {
		f, err := wizard.NewFleet(p, wizard.HeadlessPrompter(opts), opts, *daemon)
		if err != nil {
			fmt.Fprintf(stderr, "dockertls verify: %s\n", loc.Error(err))
			return exitUsage
		}
		defer f.Close()
		return runFleet(ctx, loc, f, []wizard.StepName{wizard.StepVerify}, *limit, stdout, func(w io.Writer) func(wizard.Event) { return verifyEmit(w, loc) })
	}
	r := wizard.NewRunner(p, wizard.HeadlessPrompter(opts), opts)
	defer r.Close()
	if err := r.Apply(ctx, wizard.StepVerify, verifyEmit(stdout, loc)); err != nil {
		return exitFailed
	}
	return exitOK
}

// verifyEmit prints the verify step's report as the report it is.
func verifyEmit(w io.Writer, loc *i18n.Localizer) func(wizard.Event) {
	printer := wizard.NewPrinter(w, loc)
	reported := false
	return func(e wizard.Event) {
		if e.Report != nil && e.Kind == wizard.EventInfo {
			fmt.Fprint(w, e.Report.String()) // the engine named this plan in its fixes
			reported = true
			return
		}
		if e.Kind == wizard.EventDone || e.Kind == wizard.EventFailed && reported {
			return // the report above ends with the verdict, and its problem and fix lead it
		}
		printer(e)
	}
}
