package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// fakeDiscover records what the page asked for and answers with a plan
// for the target, as wizard.Discover would for a node it read.
type fakeDiscover struct {
	target, caDir string
	calls         int
	err           error
}

func (f *fakeDiscover) discover(ctx context.Context, p wizard.Prompter, target, caDir string) (*wizard.Discovery, error) {
	f.calls++
	f.target, f.caDir = target, caDir
	if f.err != nil {
		return nil, f.err
	}
	return &wizard.Discovery{
		Plan:  &plan.Plan{Daemon: plan.Daemon{SSH: target, SANs: []string{"node3"}}},
		Notes: []string{"dockerd listens on tcp://0.0.0.0:2376 with TLS", "no CA directory given: the plan names none"},
	}, nil
}

// discoverHarness is the wizard with no plan yet and Discover wired, on
// the start page; the plan file is planPath and exists says which files
// are there (nil: the real file system).
func discoverHarness(t *testing.T, fe *fakeEngine, fd *fakeDiscover, planPath string, exists func(string) bool) *harness {
	t.Helper()
	cfg := testConfig(fe)
	cfg.PlanPath = planPath
	cfg.Discover = fd.discover
	if exists == nil {
		exists = func(p string) bool { _, err := os.Stat(p); return err == nil }
		cfg.LoadPlan = plan.Load
	}
	cfg.FileExists = exists
	return newHarness(t, cfg)
}

// Repair without a plan asks for the node, writes the plan Discover
// returned and runs doctor on it.
func TestDiscoverWritesPlanAndOpensRepair(t *testing.T) {
	fe := newFakeEngine()
	fe.doctor = []wizard.Finding{{Step: wizard.StepVerify, Status: wizard.StatusFail, Message: "the daemon refuses the client certificate"}}
	fd := &fakeDiscover{}
	path := filepath.Join(t.TempDir(), "dockertls.yaml")
	h := discoverHarness(t, fe, fd, path, nil)
	h.key("down", "enter")
	h.want("Repair a setup that has no plan", "Daemon node (SSH)")
	h.dontWant("there is no plan at")
	h.typ("admin@node3:2222")
	h.key("enter") // to the CA directory
	h.typ("/srv/ca")
	h.key("enter", "enter") // the plan file as offered
	if fd.calls != 1 || fd.target != "admin@node3:2222" || fd.caDir != "/srv/ca" {
		t.Fatalf("Discover got %d calls, target %q, CA dir %q", fd.calls, fd.target, fd.caDir)
	}
	h.want("Found on admin@node3:2222:", "dockerd listens on tcp://0.0.0.0:2376", "Wrote the plan")
	pl, err := plan.Load(path)
	if err != nil {
		t.Fatalf("the plan written: %v", err)
	}
	if pl.Daemon.SSH != "admin@node3:2222" {
		t.Fatalf("plan daemon.ssh = %q", pl.Daemon.SSH)
	}
	h.key("enter")
	h.want("the daemon refuses the client certificate")
}

// A pasted ssh command line is judged by the plan's daemon.ssh rule: the
// page says what to write and runs nothing.
func TestDiscoverTargetCheckedByPlanRule(t *testing.T) {
	fd := &fakeDiscover{}
	h := discoverHarness(t, newFakeEngine(), fd, "dockertls.yaml", func(string) bool { return false })
	h.key("down", "enter")
	h.key("enter")
	h.want("type the daemon node's SSH target")
	h.typ("ssh -p 2222 ubuntu@127.0.0.1")
	h.key("enter")
	want := plan.CheckField("daemon.ssh", "ssh -p 2222 ubuntu@127.0.0.1")
	if want == nil {
		t.Fatal("the plan accepts a pasted ssh command line; this test assumes it does not")
	}
	h.want("write ubuntu@127.0.0.1:2222")
	atSizes(t, h, "discover-bad-target")
	if fd.calls != 0 {
		t.Fatalf("Discover ran %d times on a bad target", fd.calls)
	}
}

// An existing plan is never overwritten: the page says so, offers a free
// name, and a failure of Discover is shown with the answers kept.
func TestDiscoverNeverOverwritesPlan(t *testing.T) {
	fd := &fakeDiscover{err: errors.New("cannot connect to admin@node3:22: connection refused")}
	exists := map[string]bool{}
	h := discoverHarness(t, newFakeEngine(), fd, "dockertls.yaml", func(p string) bool { return exists[p] })
	h.key("down", "enter")
	exists["dockertls.yaml"] = true // written by someone else meanwhile
	h.typ("admin@node3")
	h.key("enter", "enter", "enter")
	h.want("a plan already exists at dockertls.yaml", "dockertls-2.yaml")
	atSizes(t, h, "discover-plan-exists")
	if fd.calls != 0 {
		t.Fatalf("Discover ran although the plan exists")
	}
	h.key("enter")
	if fd.calls != 1 {
		t.Fatalf("Discover ran %d times on the offered name", fd.calls)
	}
	h.want("connection refused", "› admin@node3")
	if p := h.m.page.(*discoverPage); p.focus != 2 {
		t.Errorf("an error of no field moved the cursor to field %d", p.focus)
	}
	fd.err = plan.FixIn("daemon.ssh", errors.New("cannot reach admin@node3 (daemon.ssh): connection refused"))
	h.key("enter")
	if p := h.m.page.(*discoverPage); p.focus != 0 {
		t.Errorf("an unreachable node left the cursor in field %d, not on the SSH target", p.focus)
	}
	h.key("esc")
	h.want("› Repair an existing setup")
}
