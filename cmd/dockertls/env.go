package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
)

// envCommand is `dockertls env`: the docker CLI's variables for the plan's
// daemon, in the shell's syntax, with a last comment on how to apply them.
func envCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("env", "env -f PLAN [--shell bash|zsh|fish|powershell|cmd] [--unset] [--persist] [--daemon NAME]", loc, stderr)
	plan := planFlag(fs)
	shell := fs.String("shell", "", loc.T("flag.env.shell"))
	unset := fs.Bool("unset", false, loc.T("flag.env.unset"))
	persist := fs.Bool("persist", false, loc.T("flag.env.persist"))
	accept := fs.Bool("accept-new-host-keys", false, loc.T("flag.env.accept-new-host-keys"))
	daemon := fs.String("daemon", "", loc.T("cli.env.flag.daemon"))
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	sh := *shell
	if sh == "" {
		sh = wizard.DetectShell(os.Getenv("SHELL"))
	}
	if err := wizard.CheckShell(sh); err != nil {
		fmt.Fprintf(stderr, "dockertls env: %s\n", loc.Error(err))
		return exitUsage
	}
	p, ok := loadPlan(*plan, loc, stderr)
	if !ok || !checkDaemonFlag(loc, p, *daemon, 1, stderr) {
		return exitUsage
	}
	if p.IsFleet() {
		if *daemon == "" {
			fmt.Fprintln(stderr, "dockertls env: "+loc.T("cli.env.needs_daemon", "Count", len(p.Daemons), "Names", strings.Join(p.DaemonNames(), ", ")))
			return exitUsage
		}
		var err error
		if p, err = p.ForDaemon(*daemon); err != nil {
			fmt.Fprintln(stderr, "dockertls env: "+loc.T("cli.daemon_flag_error", "Daemon", echo.Bare(*daemon), "Err", err))
			return exitUsage
		}
	}
	opts := wizard.Options{AcceptNewHostKeys: *accept, Localizer: loc}
	s := wizard.NewSession(p, wizard.HeadlessPrompter(opts), opts)
	defer s.Close()
	ctx := context.Background()
	v, err := s.ClientEnv(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "dockertls env: %s\n", loc.Error(err))
		return exitFailed
	}
	hint := []string{"dockertls", "env"}
	if *plan != DefaultPlan {
		hint = append(hint, "-f", *plan)
	}
	if *daemon != "" {
		hint = append(hint, "--daemon", *daemon)
	}
	if *unset {
		hint = append(hint, "--unset")
	}
	out, err := wizard.RenderEnvIn(loc, sh, v, *unset, hint)
	if err != nil {
		fmt.Fprintf(stderr, "dockertls env: %s\n", loc.Error(err))
		return exitUsage
	}
	fmt.Fprint(stdout, out)
	if *persist {
		file, changed, err := s.PersistEnv(ctx, sh, *unset)
		if err != nil {
			fmt.Fprintf(stderr, "dockertls env: %s\n", loc.Error(err))
			return exitFailed
		}
		switch {
		case changed && *unset:
			fmt.Fprintln(stderr, "dockertls env: "+loc.T("cli.env.removed", "File", file))
		case changed:
			fmt.Fprintln(stderr, "dockertls env: "+loc.T("cli.env.wrote", "File", file))
		case *unset:
			fmt.Fprintln(stderr, "dockertls env: "+loc.T("cli.env.no_block", "File", file))
		default:
			fmt.Fprintln(stderr, "dockertls env: "+loc.T("cli.env.already", "File", file))
		}
	}
	return exitOK
}
