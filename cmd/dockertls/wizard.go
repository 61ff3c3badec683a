package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/ui"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
	"github.com/dockertls/dockertls/wizard/practice"
)

// runWizardCommand is `dockertls` and `dockertls wizard [-f PLAN]`.
func runWizardCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("wizard", "wizard [-f PLAN]", loc, stderr)
	plan := fs.String("f", "", loc.T("flag.wizard.f"))
	daemon := fs.String("daemon", "", loc.T("cli.wizard.flag.daemon"))
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if err := runWizard(*plan, *daemon, loc, stdout); err != nil {
		fmt.Fprintf(stderr, "dockertls: %s\n", loc.Error(err))
		return exitFailed
	}
	return exitOK
}

// runWizard starts the TUI wizard on planPath ("" = ./dockertls.yaml; a
// missing file is created by a new setup as the user answers).
func runWizard(planPath, daemon string, loc *i18n.Localizer, stdout io.Writer) error {
	if planPath == "" {
		planPath = DefaultPlan
	}
	return ui.Run(ui.Config{
		PlanPath:  planPath,
		Command:   selfCommand(),
		Localizer: loc,
		Out:       stdout,                                    // where the user stopped, once the full screen is gone
		NewPlan:   func() *plan.Plan { return &plan.Plan{} }, // sparse: defaults stay derived
		LoadPlan:  func(path string) (*plan.Plan, error) { return loadForWizard(path, daemon) },
		NewEngine: func(pl *plan.Plan, p wizard.Prompter) (wizard.Engine, error) {
			return wizard.NewEngine(pl, p, wizard.Options{Localizer: loc}), nil
		},
		Discover: func(ctx context.Context, p wizard.Prompter, target, caDir string) (*wizard.Discovery, error) {
			return wizard.Discover(ctx, p, wizard.Options{Localizer: loc}, wizard.DiscoverOptions{Target: target, CADir: caDir})
		},
		Practice: &ui.PracticeHook{Dir: practice.DefaultDir, Up: practiceUp},
	})
}

// practiceUp is `dockertls practice up` for the wizard's start screen: the
// practice daemon of the default directory, and the plan it wrote.
func practiceUp(ctx context.Context) (string, error) {
	p, err := practice.New(practice.DefaultDir)
	if err != nil {
		return "", err
	}
	info, err := p.Up(ctx)
	if err != nil {
		return "", fmt.Errorf("practice up: %w", err)
	}
	return info.Plan, nil
}

// selfCommand is how the user runs this program, for the commands the
// wizard suggests: "dockertls" when that name on PATH is this very binary,
// else the path it was started by (./bin/dockertls).
func selfCommand() string {
	arg0 := os.Args[0]
	onPath, err := exec.LookPath("dockertls")
	if err == nil {
		a, errA := os.Stat(onPath)
		b, errB := os.Stat(arg0)
		if errB != nil {
			if p, err := exec.LookPath(arg0); err == nil {
				b, errB = os.Stat(p)
			}
		}
		if errA == nil && errB == nil && os.SameFile(a, b) {
			return "dockertls"
		}
	}
	if !strings.Contains(arg0, "/") {
		return arg0 // found on PATH under this name
	}
	if strings.ContainsAny(arg0, " '\"$`\\") {
		return "'" + strings.ReplaceAll(arg0, "'", `'\''`) + "'"
	}
	return arg0
}

// loadForWizard loads a plan for the TUI, which works on one daemon: a plan
// with daemons: opens on the daemon --daemon names, and without it the
// wizard says what it supports and how to go on.
func loadForWizard(path, daemon string) (*plan.Plan, error) {
	p, err := plan.Load(path)
	if err != nil || !p.IsFleet() {
		if err == nil && daemon != "" {
			return nil, i18n.Errorf("cli.wizard.single_daemon", "Daemon", echo.Bare(daemon), "Path", path)
		}
		return p, err
	}
	names := strings.Join(p.DaemonNames(), ", ")
	if daemon == "" {
		return nil, i18n.Errorf("cli.wizard.fleet", "Path", path, "Count", len(p.Daemons), "Names", names,
			"Quoted", shellquote.POSIX(path), "First", p.Daemons[0].Name)
	}
	return p.ForDaemon(daemon)
}
