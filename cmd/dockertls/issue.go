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

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
)

const issueSynopsis = "issue client NAME... -f PLAN [--days N] [--key TYPE] [--out DIR] [--renew] [--daemon NAME]"

// issueCommand is `dockertls issue client NAME...`: a client certificate
// from the plan's CA and a ready bundle per name (workshops).
func issueCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("issue", issueSynopsis, stderr)
	plan := planFlag(fs)
	days := fs.Int("days", 0, "validity in days (default: client.days of the plan)")
	key := fs.String("key", "", "key type: rsa-2048 | rsa-3072 | rsa-4096 | ecdsa-p256 | ecdsa-p384 | ed25519 (default: client.key of the plan)")
	out := fs.String("out", "", "where the bundles go (default: clients/ in the plan's PKI directory)")
	renew := fs.Bool("renew", false, "issue names that already have a certificate again (new key, new bundle)")
	daemon := fs.String("daemon", "", "with a plan that lists daemons: the daemon the bundles point at (default: the first)")
	args, ok, code := parseFlagsAndArgs(fs, args, stderr)
	if !ok {
		return code
	}
	if len(args) == 0 || args[0] != "client" {
		fmt.Fprintf(stderr, "dockertls issue: say what to issue: dockertls %s\n", issueSynopsis)
		return exitUsage
	}
	if err := wizard.CheckClientNames(args[1:]); err != nil {
		fmt.Fprintf(stderr, "dockertls issue: %s\n", loc.Error(err))
		return exitUsage
	}
	p, ok := loadPlan(*plan, loc, stderr)
	if !ok || !checkDaemonFlag(p, *daemon, 1, stderr) {
		return exitUsage
	}
	if p.IsFleet() {
		name := cmp.Or(*daemon, p.Daemons[0].Name)
		var err error
		if p, err = p.ForDaemon(name); err != nil {
			fmt.Fprintf(stderr, "dockertls issue: --daemon %s: %v\n", *daemon, err)
			return exitUsage
		}
		fmt.Fprintf(stdout, "the bundles point at daemon %s (%s); --daemon NAME for another\n", name, p.WithDefaults().Daemon.Address)
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
			fmt.Fprintf(stdout, "✗ %s: %v\n", r.Name, r.Err)
		case r.Rebuilt:
			fmt.Fprintf(stdout, "✓ %s: kept its certificate (valid until %s); wrote its incomplete bundle again: %s\n", r.Name, validUntil(r), r.Paths.Tarball)
		case r.Kept:
			fmt.Fprintf(stdout, "= %s: already issued (valid until %s), nothing changed; --renew issues it again\n", r.Name, validUntil(r))
		default:
			fmt.Fprintf(stdout, "✓ %s: issued, valid until %s: %s/ %s %s\n", r.Name, validUntil(r), r.Paths.Dir, filepath.Base(r.Paths.Context), filepath.Base(r.Paths.Tarball))
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
		fmt.Fprintf(stdout, "\nHand each person their NAME.tar.gz from %s (it holds their private key: give it to them only).\n", dir)
		fmt.Fprintf(stdout, "They run: tar xzf NAME.tar.gz && . NAME/env.sh && docker version\n")
		fmt.Fprintf(stdout, "or:       docker context import NAME NAME.dockercontext && docker --context NAME version\n")
	}
	return exitOK
}

func validUntil(r wizard.Issued) string {
	if r.Cert == nil {
		return "?"
	}
	return r.Cert.NotAfter.UTC().Format(time.DateOnly)
}
