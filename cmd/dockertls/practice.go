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
	fs := newFlags("practice", "practice up|down [--dir D]", loc, stderr)
	dir := fs.String("dir", practice.DefaultDir, loc.T("cli.practice.flag.dir"))
	args, ok, code := parseFlagsAndArgs(fs, args, stderr)
	if !ok {
		return code
	}
	if len(args) != 1 || (args[0] != "up" && args[0] != "down") {
		fmt.Fprintln(stderr, "dockertls practice: "+loc.T("cli.practice.say"))
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
		fmt.Fprintln(stdout, loc.T("cli.practice.down", "Dir", p.Dir))
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
	fmt.Fprintln(stdout, loc.T("cli.practice.up", "Pid", info.Pid, "Dir", p.Dir, "Plan", plan, "Address", info.Address, "QuotedDir", shellquote.POSIX(p.Dir)))
	return exitOK
}
