package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/wizard/practice"
)

// practiceCommand is `dockertls practice up|down [--dir D]`: a throwaway
// dockerd on this machine to follow the seven steps on.
func practiceCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("practice", "practice up|down [--dir D]", stderr)
	dir := fs.String("dir", practice.DefaultDir, "the practice directory (up creates it, down removes it)")
	args, ok, code := parseFlagsAndArgs(fs, args, stderr)
	if !ok {
		return code
	}
	if len(args) != 1 || (args[0] != "up" && args[0] != "down") {
		fmt.Fprintln(stderr, "dockertls practice: say up or down: dockertls practice up|down [--dir D]")
		return exitUsage
	}
	p, err := practice.New(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "dockertls practice: %s\n", loc.Error(err))
		return exitUsage
	}
	if args[0] == "down" {
		if err := p.Down(); err != nil {
			fmt.Fprintf(stderr, "dockertls practice down: %s\n", loc.Error(err))
			return exitFailed
		}
		fmt.Fprintf(stdout, "stopped the practice daemon and removed %s\n", p.Dir)
		return exitOK
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	info, err := p.Up(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "dockertls practice up: %s\n", loc.Error(err))
		return exitFailed
	}
	plan := shellquote.POSIX(info.Plan)
	fmt.Fprintf(stdout, `a practice dockerd runs (pid %d) with everything in %s;
its plan %s has it listen on %s once secured.
Follow the seven steps:
  dockertls -f %s                  the wizard, step by step
  dockertls apply -f %s --yes      or all at once
  dockertls verify -f %s           the Server block over mutual TLS
When done: dockertls practice down --dir %s
`, info.Pid, p.Dir, plan, info.Address, plan, plan, plan, shellquote.POSIX(p.Dir))
	return exitOK
}
