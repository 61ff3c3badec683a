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

// flagSet is a command's flags and the language its usage and errors are
// worded in.
type flagSet struct {
	*flag.FlagSet
	loc *i18n.Localizer
}

// newFlags is a flag set that reports errors (not exits) and prints the
// command's own usage line.
func newFlags(name, synopsis string, loc *i18n.Localizer, stderr io.Writer) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), loc: loc}
	fs.SetOutput(io.Discard) // parseFlags words the errors itself
	fs.Usage = func() {
		fmt.Fprintln(stderr, loc.T("cli.usage_line", "Synopsis", synopsis))
		printFlags(stderr, fs)
	}
	return fs
}

// printFlags lists the flags as users type them (--name, -f), -f and
// --file on one line.
func printFlags(w io.Writer, fs *flagSet) {
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
			usage += fs.loc.T("cli.flag.default", "Value", f.DefValue)
		}
		fmt.Fprintf(w, "  %-26s %s\n", name, usage)
	})
}

// parseFlags parses args and refuses leftover arguments, saying what was
// wrong and where the flags are listed.
func parseFlags(fs *flagSet, args []string, stderr io.Writer) (ok bool, code int) {
	rest, ok, code := parseFlagsAndArgs(fs, args, stderr)
	if ok && len(rest) > 0 {
		fmt.Fprintf(stderr, "dockertls %s: %s\n", fs.Name(), fs.loc.T("cli.flag.unexpected_argument", "Arg", echo.Value(rest[0])))
		fs.Usage()
		return false, exitUsage
	}
	return ok, code
}

// parseFlagsAndArgs parses flags wherever they stand among the arguments
// (`issue client alice bob -f class.yaml`) and returns the arguments.
func parseFlagsAndArgs(fs *flagSet, args []string, stderr io.Writer) (rest []string, ok bool, code int) {
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
func parseOnce(fs *flagSet, args []string, stderr io.Writer) (ok bool, code int) {
	usage := fs.Usage
	fs.Usage = func() {} // the flag package would print it too, before our message
	err := fs.Parse(args)
	fs.Usage = usage
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return false, exitOK
		}
		fmt.Fprintf(stderr, "dockertls %s: %s\n", fs.Name(), flagError(fs, err))
		fs.Usage()
		return false, exitUsage
	}
	return true, exitOK
}

// flagError words the flag package's errors with the flags as users type
// them: -f for the one-letter flag, --name for the others (the package
// writes every flag with one dash), in the user's language. A name or
// value the user made up is echoed capped and escaped. A flag whose value
// was refused says why in the user's language when its Value kept the
// reason (reasonValue).
func flagError(fs *flagSet, err error) string {
	loc := fs.loc
	dashed := func(name string) string {
		if len(name) == 1 {
			return "-" + echo.Bare(name)
		}
		return "--" + echo.Bare(name)
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return loc.T("cli.flag.unknown", "Flag", dashed(name))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return loc.T("cli.flag.needs_argument", "Flag", dashed(name))
	}
	// invalid value "x" for flag -step: …; invalid boolean value "x" for -yes: …
	for _, form := range []struct{ prefix, sep, id string }{
		{"invalid value ", " for flag -", "cli.flag.invalid_value"},
		{"invalid boolean value ", " for -", "cli.flag.invalid_boolean"},
	} {
		before, after, ok := strings.Cut(msg, form.sep)
		value, isForm := strings.CutPrefix(before, form.prefix)
		if !ok || !isForm {
			continue
		}
		name, reason, _ := strings.Cut(after, ":")
		reason = strings.TrimSpace(reason)
		switch reason {
		case "parse error":
			reason = loc.T("cli.flag.parse_error")
		case "value out of range":
			reason = loc.T("cli.flag.out_of_range")
		}
		if f := fs.Lookup(name); f != nil {
			if rv, ok := f.Value.(*reasonValue); ok && rv.err != nil {
				reason = loc.Error(rv.err)
			}
		}
		if form.id == "cli.flag.invalid_boolean" {
			return echo.Text(loc.T("cli.flag.invalid_boolean", "Value", value, "Flag", dashed(name), "Reason", reason))
		}
		return echo.Text(loc.T("cli.flag.invalid_value", "Value", value, "Flag", dashed(name), "Reason", reason))
	}
	return echo.Text(msg)
}

// reasonValue is a flag.Value that keeps the error of its last Set, so
// that flagError can say it in the user's language (the flag package
// keeps only its English text).
type reasonValue struct {
	flag.Value
	err error
}

func (v *reasonValue) Set(s string) error {
	v.err = v.Value.Set(s)
	return v.err
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
func planFlag(fs *flagSet) *string {
	p := fs.String("f", DefaultPlan, fs.loc.T("cli.flag.plan"))
	fs.StringVar(p, "file", DefaultPlan, fs.loc.T("cli.flag.file"))
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
