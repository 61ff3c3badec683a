package wizard

import (
	"context"
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
	plan := "ca: {key: ecdsa-p256}\ndaemon: {ssh: local, address: tcp://node3:2376, sans: [node3]}\nclient: {target: local, cert_dir: " + filepath.Join(dir, "client") + "}\n"
	p := loadPlanText(t, dir, plan)
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
		if f.Status == StatusWarn && !f.Fix.IsZero() {
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
