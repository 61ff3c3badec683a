package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/wizard/plan"
)

// Quitting mid-setup leaves a note on the normal screen: the step reached,
// where the answers are, and the commands that go on from there.
func TestFarewellSaysWhereToGoOn(t *testing.T) {
	fe := newFakeEngine()
	cfg := testConfig(fe)
	cfg.PlanPath = "class.yaml"
	h := newHarness(t, cfg)
	if got := h.m.Farewell(); got != "" {
		t.Errorf("farewell before anything started: %q", got)
	}
	toDaemonCert(t, h)
	h.m.cfg.FileExists = func(string) bool { return true } // step 1 saved it
	got := h.m.Farewell()
	for _, w := range []string{"stopped at step 2 of 7 (daemon-cert)", "answers saved in class.yaml", "dockertls wizard -f class.yaml", "dockertls apply -f class.yaml --yes"} {
		if !strings.Contains(got, w) {
			t.Errorf("farewell %q lacks %q", got, w)
		}
	}
	for _, l := range strings.Split(strings.TrimRight(got, "\n"), "\n") {
		if len(l) > 80 {
			t.Errorf("farewell line wider than 80 columns: %q", l)
		}
	}
}

func TestFarewellWhenNothingWasSaved(t *testing.T) {
	fe := newFakeEngine()
	h := newHarness(t, testConfig(fe)) // dockertls.yaml does not exist
	toDaemonCert(t, h)
	if got := h.m.Farewell(); !strings.Contains(got, "nothing was saved yet") {
		t.Errorf("farewell %q claims saved answers", got)
	}
}

// A plan that cannot be opened lists each problem on its own bullet under
// a headline that says what to do.
func TestStartShowsPlanProblemsAsAList(t *testing.T) {
	fe := newFakeEngine()
	cfg := testConfig(fe, "bad.yaml")
	cfg.PlanPath = "bad.yaml"
	cfg.LoadPlan = func(path string) (*plan.Plan, error) {
		_, err := plan.Parse([]byte("ca:\n  days: many\ndaemon:\n  common-name: x\n"), path)
		return nil, err
	}
	h := newHarness(t, cfg)
	h.key("enter")
	h.want("✗ the plan has 2 problems: fix the file, then choose again",
		"  • bad.yaml:2: ca.days: must be a whole number", "  • bad.yaml:4: daemon.common-name: unknown field")
}

// Opening a directory opens the dockertls.yaml in it, or says there is none.
func TestOpenDirectoryUsesItsPlan(t *testing.T) {
	dir := t.TempDir()
	fe := newFakeEngine()
	h := newHarness(t, testConfig(fe))
	h.key("3", "ctrl+u")
	h.typ(dir)
	h.key("enter")
	h.want("is a directory without a")
	h.m.cfg.FileExists = func(p string) bool { return p == filepath.Join(dir, "dockertls.yaml") }
	h.m.cfg.LoadPlan = func(p string) (*plan.Plan, error) {
		if p != filepath.Join(dir, "dockertls.yaml") {
			t.Errorf("loaded %s", p)
		}
		return &plan.Plan{Path: p}, nil
	}
	h.key("enter")
	h.dontWant("is a directory")
	if h.m.cfg.PlanPath != filepath.Join(dir, "dockertls.yaml") {
		t.Errorf("plan path %q", h.m.cfg.PlanPath)
	}
}
