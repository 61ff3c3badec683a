package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// The real wizard.Discover against a real sshd: the unknown host key is
// asked in the wizard's overlay, and once trusted the node is read over
// SSH; whatever it finds (this machine's Docker) ends on the screen in
// plain words and the plan is written; enter runs doctor on it.
func TestDiscoverRealSSHAsksHostKeyInOverlay(t *testing.T) {
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	dir := t.TempDir()
	known := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(known, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "dockertls.yaml")
	cfg := testConfig(newFakeEngine())
	cfg.PlanPath = path
	cfg.LoadPlan = plan.Load
	cfg.FileExists = func(p string) bool { _, err := os.Stat(p); return err == nil }
	cfg.Discover = func(ctx context.Context, p wizard.Prompter, target, caDir string) (*wizard.Discovery, error) {
		return wizard.Discover(ctx, p, wizard.Options{}, wizard.DiscoverOptions{Target: target, CADir: caDir, Identity: s.ClientKey, KnownHosts: known})
	}
	h := newHarness(t, cfg)
	h.key("down", "enter")
	h.typ(strings.TrimPrefix(s.Target("root"), "ssh://"))
	h.key("enter", "enter", "enter")
	h.want("First connection to")
	h.key("y")
	screen := h.screen()
	h.want("Found on root@127.0.0.1:", "Wrote the plan")
	if strings.Contains(screen, "First connection to") {
		t.Fatalf("the host key is asked again:\n%s", screen)
	}
	if b, _ := os.ReadFile(known); !strings.Contains(string(b), strings.Fields(s.HostPubKey)[1]) {
		t.Errorf("the trusted host key is not in known_hosts: %q", b)
	}
	pl, err := plan.Load(path)
	if err != nil {
		t.Fatalf("the plan written: %v", err)
	}
	if want := strings.TrimPrefix(s.Target("root"), "ssh://"); pl.Daemon.SSH != want {
		t.Errorf("plan daemon.ssh = %q, want %q", pl.Daemon.SSH, want)
	}
	h.key("enter")
	h.want("Doctor found nothing to repair.")
}
