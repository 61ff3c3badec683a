package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dockertls/dockertls/wizard"
)

// envCommand is `dockertls env`: the docker CLI's variables for the plan's
// daemon, in the shell's syntax, with a last comment on how to apply them.
func envCommand(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("env", "env -f PLAN [--shell bash|zsh|fish|powershell|cmd] [--unset] [--persist]", stderr)
	plan := planFlag(fs)
	shell := fs.String("shell", "", "the shell to print for (default: from $SHELL)")
	unset := fs.Bool("unset", false, "print the commands that remove the variables (with --persist: remove the block)")
	persist := fs.Bool("persist", false, "also write the variables into the shell's start-up file (one marked block, replaced on re-run)")
	accept := fs.Bool("accept-new-host-keys", false, "trust a new SSH host key of a remote client")
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	sh := *shell
	if sh == "" {
		sh = wizard.DetectShell(os.Getenv("SHELL"))
	}
	if err := wizard.CheckShell(sh); err != nil {
		fmt.Fprintf(stderr, "dockertls env: %v\n", err)
		return exitUsage
	}
	p, ok := loadPlan(*plan, stderr)
	if !ok {
		return exitUsage
	}
	opts := wizard.Options{AcceptNewHostKeys: *accept}
	s := wizard.NewSession(p, wizard.HeadlessPrompter(opts), opts)
	defer s.Close()
	ctx := context.Background()
	v, err := s.ClientEnv(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "dockertls env: %v\n", err)
		return exitFailed
	}
	hint := "dockertls env -f " + quoteArg(*plan)
	if *unset {
		hint += " --unset"
	}
	fmt.Fprint(stdout, wizard.RenderEnv(sh, v, *unset, hint))
	if *persist {
		file, changed, err := s.PersistEnv(ctx, sh, *unset)
		if err != nil {
			fmt.Fprintf(stderr, "dockertls env: %v\n", err)
			return exitFailed
		}
		state := "already up to date"
		switch {
		case changed && *unset:
			state = "removed the dockertls block"
		case changed:
			state = "wrote the dockertls block"
		case *unset:
			state = "has no dockertls block"
		}
		fmt.Fprintf(stderr, "%s: %s\n", file, state)
	}
	return exitOK
}

// quoteArg quotes a path for the hint line when it needs it.
func quoteArg(s string) string {
	if strings.ContainsAny(s, " '\"$`\\") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}
