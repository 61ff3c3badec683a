package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// DefaultPlan is the plan file used when -f is not given.
const DefaultPlan = "dockertls.yaml"

// newFlags is a flag set that reports errors (not exits) and prints the
// command's own usage line.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseFlags words the errors itself
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: dockertls %s\n", synopsis)
		printFlags(stderr, fs)
	}
	return fs
}

// printFlags lists the flags as users type them (--name, -f), -f and
// --file on one line.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "file" {
			return // shown with -f
		}
		name := "--" + f.Name
		if f.Name == "f" {
			name = "-f, --file PLAN"
		} else if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool {
			name += " " + strings.ToUpper(strings.TrimPrefix(f.Name, "-"))
		}
		usage := f.Usage
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "  %-26s %s\n", name, usage)
	})
}

// parseFlags parses args and refuses leftover arguments, saying what was
// wrong and where the flags are listed.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (ok bool, code int) {
	rest, ok, code := parseFlagsAndArgs(fs, args, stderr)
	if ok && len(rest) > 0 {
		fmt.Fprintf(stderr, "dockertls %s: unexpected argument %q (flags start with --)\n", fs.Name(), rest[0])
		fs.Usage()
		return false, exitUsage
	}
	return ok, code
}

// parseFlagsAndArgs parses flags wherever they stand among the arguments
// (`issue client alice bob -f class.yaml`) and returns the arguments.
func parseFlagsAndArgs(fs *flag.FlagSet, args []string, stderr io.Writer) (rest []string, ok bool, code int) {
	for {
		if ok, code := parseOnce(fs, args, stderr); !ok {
			return nil, false, code
		}
		if fs.NArg() == 0 {
			return rest, true, exitOK
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseOnce parses flags up to the first argument, wording the errors.
func parseOnce(fs *flag.FlagSet, args []string, stderr io.Writer) (ok bool, code int) {
	usage := fs.Usage
	fs.Usage = func() {} // the flag package would print it too, before our message
	err := fs.Parse(args)
	fs.Usage = usage
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return false, exitOK
		}
		fmt.Fprintf(stderr, "dockertls %s: %s\n", fs.Name(), flagError(err))
		fs.Usage()
		return false, exitUsage
	}
	return true, exitOK
}

// flagError words the flag package's errors with the flags as users type
// them: -f for the one-letter flag, --name for the others (the package
// writes every flag with one dash). A name the user made up is echoed
// capped and escaped.
func flagError(err error) string {
	dashed := func(name string) string {
		if len(name) == 1 {
			return "-" + echo.Bare(name)
		}
		return "--" + echo.Bare(name)
	}
	msg := err.Error()
	for _, prefix := range []string{"flag provided but not defined: -", "flag needs an argument: -"} {
		if name, ok := strings.CutPrefix(msg, prefix); ok {
			if strings.HasPrefix(prefix, "flag provided") {
				return "unknown flag " + dashed(name)
			}
			return "flag needs an argument: " + dashed(name)
		}
	}
	// invalid value "x" for flag -step: …
	if before, after, ok := strings.Cut(msg, " for flag -"); ok {
		name, rest, _ := strings.Cut(after, ":")
		return echo.Text(before + " for " + dashed(name) + ":" + rest)
	}
	return echo.Text(msg)
}

// stepList is a repeatable --step flag.
type stepList []wizard.StepName

func (l *stepList) String() string {
	parts := make([]string, len(*l))
	for i, s := range *l {
		parts[i] = string(s)
	}
	return strings.Join(parts, ",")
}

func (l *stepList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		n, err := wizard.ParseStepName(strings.TrimSpace(part))
		if err != nil {
			return err
		}
		*l = append(*l, n)
	}
	return nil
}

// planFlag adds -f/--file.
func planFlag(fs *flag.FlagSet) *string {
	p := fs.String("f", DefaultPlan, "the plan file (YAML)")
	fs.StringVar(p, "file", DefaultPlan, "the plan file (same as -f)")
	return p
}

// loadPlan loads the plan or prints why not (exit status 2).
func loadPlan(path string, loc *i18n.Localizer, stderr io.Writer) (*plan.Plan, bool) {
	p, err := plan.Load(path)
	if err != nil {
		var pe plan.Errors
		if errors.As(err, &pe) {
			fmt.Fprintf(stderr, "dockertls: %s:\n", pe.LocalizeSummary(loc))
			for _, e := range pe {
				fmt.Fprintf(stderr, "  %s\n", loc.Error(e))
			}
		} else {
			fmt.Fprintf(stderr, "dockertls: %s\n", loc.Error(err))
		}
		return nil, false
	}
	return p, true
}

// headlessSession loads the plan and starts a session that never asks
// (false: the plan's errors are printed, exit status 2).
func headlessSession(path string, opts wizard.Options, stderr io.Writer) (*wizard.Session, bool) {
	p, ok := loadPlan(path, opts.Localizer, stderr)
	if !ok {
		return nil, false
	}
	return wizard.NewSession(p, wizard.HeadlessPrompter(opts), opts), true
}
