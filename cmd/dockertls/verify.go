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
	fs := newFlags("verify", "verify -f PLAN [--accept-new-host-keys]", stderr)
	plan := planFlag(fs)
	accept := fs.Bool("accept-new-host-keys", false, loc.T("flag.verify.accept-new-host-keys"))
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	p, ok := loadPlan(*plan, stderr)
	if !ok {
		return exitUsage
	}
	opts := wizard.Options{AcceptNewHostKeys: *accept, Localizer: loc}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	r := wizard.NewRunner(p, wizard.HeadlessPrompter(opts), opts)
	defer r.Close()
	printer := wizard.NewPrinter(stdout)
	reported := false
	emit := func(e wizard.Event) {
		if e.Report != nil && e.Kind == wizard.EventInfo {
			fmt.Fprint(stdout, e.Report.String()) // the engine named this plan in its fixes
			reported = true
			return
		}
		if e.Kind == wizard.EventDone || e.Kind == wizard.EventFailed && reported {
			return // the report above ends with the verdict, and its problem and fix lead it
		}
		printer(e)
	}
	if err := r.Apply(ctx, wizard.StepVerify, emit); err != nil {
		return exitFailed
	}
	return exitOK
}
