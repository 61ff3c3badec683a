package wizard

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A fresh client (no docker context planned, nothing persisted, no
// DOCKER_HOST in this shell) is not reported as done; once the variables
// are persisted in the shell's start-up file, it is.
func TestClientEnvCheckOnAFreshSetup(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir := t.TempDir()
	planPath := filepath.Join(dir, "plan.yaml")
	plan := "ca: {key: ecdsa-p256}\ndaemon: {ssh: local, address: tcp://node3:2376, sans: [node3]}\nclient: {target: local, cert_dir: " + filepath.Join(dir, "client") + "}\n"
	if err := os.WriteFile(planPath, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPlan(planPath)
	if err != nil {
		t.Fatal(err)
	}
	env := func(name string) string {
		if name == "SHELL" {
			return "/bin/bash"
		}
		return ""
	}
	r := NewRunner(p, headlessYes{}, Options{Getenv: env})
	defer r.Close()
	ctx := context.Background()
	fs := r.Check(ctx, StepClientEnv)
	warned := false
	for _, f := range fs {
		if f.Status == StatusOK {
			t.Errorf("fresh client reported ok: %+v", f)
		}
		if f.Status == StatusWarn && f.Fix != "" {
			warned = true
		}
		if f.Status == StatusFail {
			t.Errorf("a missing environment is a warning, not a failure: %+v", f)
		}
	}
	if !warned {
		t.Fatalf("no warning with a fix for a fresh client: %+v", fs)
	}

	if _, _, err := r.Session().PersistEnv(ctx, "bash", false); err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Check(ctx, StepClientEnv) {
		if f.Status != StatusOK {
			t.Errorf("after persisting the variables: %+v", f)
		}
	}
}
