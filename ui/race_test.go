package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// realEngineConfig wires the real engine (wizard.NewEngine) with a plan in
// a temporary directory: the plan is read and saved by the engine's own
// goroutines, as in the binary.
func realEngineConfig(t *testing.T) Config {
	dir := t.TempDir()
	return Config{
		PlanPath: filepath.Join(dir, "dockertls.yaml"),
		NewPlan:  func() *plan.Plan { return &plan.Plan{} },
		LoadPlan: plan.Load,
		NewEngine: func(pl *plan.Plan, p wizard.Prompter) (wizard.Engine, error) {
			return wizard.NewEngine(pl, p, wizard.Options{}), nil
		},
		Getenv: func(k string) string { return map[string]string{"SHELL": "/bin/bash"}[k] },
		StepText: func(s wizard.StepName) string {
			return "Why " + string(s) + " comes here."
		},
	}
}

// pumpOnce hands one finished command's message to the model without
// waiting for the rest: a batch starts its commands (the describe goroutine
// among them) and returns while they run.
func (h *harness) pumpOnce() {
	h.t.Helper()
	msg := <-h.results
	h.outstanding--
	h.feed(msg)
}

// TestEscEditEnterWhileDescribing drives the sequence of issue 9: enter on
// the last field starts the describe goroutine (which saves the plan and
// reads it); esc goes back to the form while it still says "looking at what
// this step has to do…"; a field is edited and enter pressed again. The
// form's answers must reach the engine without writing the plan the
// goroutine reads (go test -race fails otherwise), and the screen and the
// saved file must show the edited answer, never the first describe's.
func TestEscEditEnterWhileDescribing(t *testing.T) {
	cfg := realEngineConfig(t)
	h := newHarness(t, cfg)
	h.key("enter") // new setup → step 1
	h.want("Step 1 of 7", "CA name")
	// ed25519 (three to the right of rsa-4096): the prewarmed keys are cheap
	h.key("tab", "tab", "right", "right", "right", "tab")
	h.feed(keyMsg("enter")) // submit: the plan is written, describe starts
	h.pumpOnce()            // the batch: describe (SavePlan, Describe) runs now
	h.want("looking at what this step has to do")
	h.feed(keyMsg("esc"))
	h.want("CA name")
	h.feed(keyMsg("shift+tab"))
	h.feed(keyMsg("shift+tab")) // from ca.days back to ca.common_name
	for _, r := range "Edited CA" {
		h.feed(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	h.feed(keyMsg("enter"))
	h.feed(keyMsg("enter"))
	h.feed(keyMsg("enter")) // ca.key, ca.days, then submit again
	h.settle()
	h.want("runs this step", "Edited CA")
	if got := h.m.plan().CA.CommonName; got != "Edited CA" {
		t.Fatalf("the engine's plan has ca.common_name %q, want Edited CA", got)
	}
	data, err := os.ReadFile(cfg.PlanPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "Edited CA") || !strings.Contains(string(data), "ed25519") {
		t.Fatalf("the saved plan lacks the edited answers:\n%s", data)
	}
}
