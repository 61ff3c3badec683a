package ui

import (
	"context"
	"errors"
	"testing"

	"github.com/dockertls/dockertls/wizard"
)

// practiceConfig is testConfig with a practice hook that records its calls
// and writes (makes "exist") the plan practice up writes.
func practiceConfig(fe *fakeEngine, calls *int, upErr error, files ...string) Config {
	const practicePlan = "dockertls-practice/dockertls.yaml"
	cfg := testConfig(fe, append(files, practicePlan)...)
	cfg.Practice = &PracticeHook{Dir: "dockertls-practice", Up: func(ctx context.Context) (string, error) {
		*calls++
		if upErr != nil {
			return "", upErr
		}
		return practicePlan, nil
	}}
	return cfg
}

// TestStartPracticeOnlyWithoutPlan: the practice entry is offered when no
// plan exists (with what it does and how to remove it), never when one
// does, and never without the hook.
func TestStartPracticeOnlyWithoutPlan(t *testing.T) {
	var calls int
	h := newHarness(t, practiceConfig(newFakeEngine(), &calls, nil))
	h.want("Practice on this machine", "127.0.0.2", "Needs root and dockerd", "dockertls practice down --dir dockertls-practice")
	golden(t, h, "start-practice")

	h = newHarness(t, practiceConfig(newFakeEngine(), &calls, nil, "dockertls.yaml"))
	h.want("Continue the setup")
	h.dontWant("Practice on this machine")

	h = newHarness(t, testConfig(newFakeEngine()))
	h.dontWant("Practice on this machine")
	if calls != 0 {
		t.Fatalf("practice up ran %d times without being chosen", calls)
	}
}

// TestStartPracticeRunsHookAndOpensPlan: choosing the entry runs practice
// up once, then opens the plan it wrote at the first step not done.
func TestStartPracticeRunsHookAndOpensPlan(t *testing.T) {
	fe := newFakeEngine()
	fe.checks[wizard.StepCA] = []wizard.Finding{{Step: wizard.StepCA, Status: wizard.StatusFail, Message: "no CA yet"}}
	var calls int
	h := newHarness(t, practiceConfig(fe, &calls, nil))
	h.key("up", "enter") // the last entry
	if calls != 1 {
		t.Fatalf("practice up ran %d times, want 1", calls)
	}
	if s := h.step(); s.idx != 0 {
		t.Fatalf("opened step %d, want the first", s.idx)
	}
	if got := h.m.cfg.PlanPath; got != "dockertls-practice/dockertls.yaml" {
		t.Fatalf("plan path %q, want the practice plan", got)
	}
	if fe.plan.Path != "dockertls-practice/dockertls.yaml" {
		t.Fatalf("engine plan %q, want the practice plan", fe.plan.Path)
	}
}

// TestStartPracticeFailureSaysWhy: practice up's error (root or dockerd
// missing) is shown on the start screen, with the cursor on the entry.
func TestStartPracticeFailureSaysWhy(t *testing.T) {
	var calls int
	h := newHarness(t, practiceConfig(newFakeEngine(), &calls, errors.New("a practice daemon needs root: run it with sudo")))
	h.key("4")
	h.want("a practice daemon needs root: run it with sudo", "› Practice on this machine")
	if _, ok := h.m.page.(*startPage); !ok || calls != 1 {
		t.Fatalf("page %T after %d calls, want the start page after 1", h.m.page, calls)
	}
}
