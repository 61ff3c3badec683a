package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
)

const issueSynopsis = "issue client NAME... -f PLAN [--days N] [--key TYPE] [--out DIR] [--renew] [--daemon NAME]"

// issueCommand is `dockertls issue client NAME...`: a client certificate
// from the plan's CA and a ready bundle per name (workshops).
func issueCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("issue", issueSynopsis, loc, stderr)
	plan := planFlag(fs)
	days := fs.Int("days", 0, loc.T("cli.issue.flag.days"))
	key := fs.String("key", "", loc.T("cli.issue.flag.key"))
	out := fs.String("out", "", loc.T("cli.issue.flag.out"))
	renew := fs.Bool("renew", false, loc.T("cli.issue.flag.renew"))
	daemon := fs.String("daemon", "", loc.T("cli.issue.flag.daemon"))
	args, ok, code := parseFlagsAndArgs(fs, args, stderr)
	if !ok {
		return code
	}
	if len(args) == 0 || args[0] != "client" {
		fmt.Fprintln(stderr, "dockertls issue: "+loc.T("cli.issue.say_what", "Synopsis", issueSynopsis))
		return exitUsage
	}
	if err := wizard.CheckClientNames(args[1:]); err != nil {
		fmt.Fprintf(stderr, "dockertls issue: %s\n", loc.Error(err))
		return exitUsage
	}
	p, ok := loadPlan(*plan, loc, stderr)
	if !ok || !checkDaemonFlag(loc, p, *daemon, 1, stderr) {
		return exitUsage
	}
	if p.IsFleet() {
		name := cmp.Or(*daemon, p.Daemons[0].Name)
		var err error
		if p, err = p.ForDaemon(name); err != nil {
			fmt.Fprintln(stderr, "dockertls issue: "+loc.T("cli.daemon_flag_error", "Daemon", echo.Bare(*daemon), "Err", err))
			return exitUsage
		}
		fmt.Fprintln(stdout, loc.T("cli.issue.points_at", "Name", name, "Address", p.WithDefaults().Daemon.Address))
	}
	opts := wizard.Options{Localizer: loc}
	s := wizard.NewSession(p, wizard.HeadlessPrompter(opts), opts)
	defer s.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	o := wizard.IssueOptions{Names: args[1:], Days: *days, Key: *key, Out: *out, Renew: *renew}
	if o.Out != "" {
		o.Out, _ = filepath.Abs(o.Out)
	}
	results, err := s.IssueClients(ctx, o)
	failed := false
	for _, r := range results {
		switch {
		case r.Err != nil:
			failed = true
			fmt.Fprintf(stdout, "✗ %s: %s\n", r.Name, loc.Error(r.Err))
		case r.Rebuilt:
			fmt.Fprintf(stdout, "✓ %s: %s\n", r.Name, loc.T("cli.issue.rebuilt", "Date", validUntil(r), "Tarball", r.Paths.Tarball))
		case r.Kept:
			fmt.Fprintf(stdout, "= %s: %s\n", r.Name, loc.T("cli.issue.kept", "Date", validUntil(r)))
		default:
			fmt.Fprintf(stdout, "✓ %s: %s\n", r.Name, loc.T("cli.issue.issued", "Date", validUntil(r), "Dir", r.Paths.Dir,
				"Context", filepath.Base(r.Paths.Context), "Tarball", filepath.Base(r.Paths.Tarball)))
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "dockertls issue: %s\n", loc.Error(err))
		return exitFailed
	}
	if failed {
		return exitFailed
	}
	if len(results) > 0 {
		dir := filepath.Dir(results[0].Paths.Dir)
		fmt.Fprintf(stdout, "\n%s\n", loc.T("cli.issue.hand_out", "Dir", dir))
	}
	return exitOK
}

func validUntil(r wizard.Issued) string {
	if r.Cert == nil {
		return "?"
	}
	return r.Cert.NotAfter.UTC().Format(time.DateOnly)
}
