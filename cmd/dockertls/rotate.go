package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/charmbracelet/x/term"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
)

const rotateSynopsis = "rotate-ca -f PLAN [--finish] [--force] [--yes] [--accept-new-host-keys]"

// rotateCommand is `dockertls rotate-ca`: phase 1 of a CA rotation (a new
// CA that the daemon and the clients trust beside the old one), or with
// --finish phase 2 (the old CA retired).
func rotateCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("rotate-ca", rotateSynopsis, loc, stderr)
	plan := planFlag(fs)
	finish := fs.Bool("finish", false, loc.T("cli.rotate.flag.finish"))
	force := fs.Bool("force", false, loc.T("cli.rotate.flag.force"))
	yes := fs.Bool("yes", false, loc.T("cli.rotate.flag.yes"))
	accept := fs.Bool("accept-new-host-keys", false, loc.T("flag.apply.accept-new-host-keys"))
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if *force && !*finish {
		fmt.Fprintln(stderr, "dockertls rotate-ca: "+loc.T("cli.rotate.force_needs_finish", "Synopsis", rotateSynopsis))
		return exitUsage
	}
	p, ok := loadPlan(*plan, loc, stderr)
	if !ok {
		return exitUsage
	}
	if !*yes && !term.IsTerminal(os.Stdin.Fd()) {
		fmt.Fprintln(stderr, "dockertls rotate-ca: "+loc.T("cli.rotate.needs_yes"))
		return exitUsage
	}
	opts := wizard.Options{Yes: *yes, AcceptNewHostKeys: *accept, Localizer: loc}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	printer := wizard.NewPrinter(stdout, loc)
	o := wizard.RotateOptions{Finish: *finish, Force: *force}
	var err error
	if p.IsFleet() {
		// Every daemon of the plan trusts both CAs during a rotation: they
		// rotate together.
		f, ferr := wizard.NewFleet(p, wizard.HeadlessPrompter(opts), opts, "")
		if ferr != nil {
			fmt.Fprintf(stderr, "dockertls rotate-ca: %s\n", loc.Error(ferr))
			return exitUsage
		}
		defer f.Close()
		err = f.RotateCA(ctx, o, printer)
	} else {
		r := wizard.NewRunner(p, wizard.HeadlessPrompter(opts), opts)
		defer r.Close()
		err = r.RotateCA(ctx, o, printer)
	}
	if err != nil {
		printer(wizard.Event{Step: wizard.StepRotateCA, Kind: wizard.EventFailed, Err: err})
		return exitFailed
	}
	return exitOK
}
