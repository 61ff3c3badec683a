package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/ui"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// runWizardCommand is `dockertls` and `dockertls wizard [-f PLAN]`.
func runWizardCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("wizard", "wizard [-f PLAN]", stderr)
	plan := fs.String("f", "", loc.T("flag.wizard.f"))
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if err := runWizard(*plan, loc, stdout); err != nil {
		fmt.Fprintf(stderr, "dockertls: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// runWizard starts the TUI wizard on planPath ("" = ./dockertls.yaml; a
// missing file is created by a new setup as the user answers).
func runWizard(planPath string, loc *i18n.Localizer, stdout io.Writer) error {
	if planPath == "" {
		planPath = DefaultPlan
	}
	return ui.Run(ui.Config{
		PlanPath:  planPath,
		Command:   selfCommand(),
		Localizer: loc,
		Out:       stdout,                                    // where the user stopped, once the full screen is gone
		NewPlan:   func() *plan.Plan { return &plan.Plan{} }, // sparse: defaults stay derived
		LoadPlan:  plan.Load,
		NewEngine: func(pl *plan.Plan, p wizard.Prompter) (wizard.Engine, error) {
			return wizard.NewEngine(pl, p, wizard.Options{Localizer: loc}), nil
		},
	})
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
