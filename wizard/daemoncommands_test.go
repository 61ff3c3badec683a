package wizard

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/wizard/daemon"
	"github.com/dockertls/dockertls/wizard/plan"
)

// The manual commands of daemon-config are this change's: the file as it
// will be written (the shell writes it byte for byte), the restart that
// daemon.restart names (no generic systemctl), the plan's own port.
func TestDaemonChangeCommandsAreExact(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "daemon.json")
	after := "{\n  \"hosts\": [\"unix:///run/d.sock\", \"tcp://127.0.0.3:2376\"],\n  \"tlsverify\": true\n}\n"
	c := &daemon.Change{
		Files:   []daemon.FileChange{{Path: cfg, Before: daemon.FileState{Path: cfg}, After: []byte(after)}},
		Restart: daemon.Restart{Kind: "command", Manual: []string{"sudo sh -c '/usr/local/bin/restart-docker'"}},
	}
	cmds := daemonChangeCommands(plan.Daemon{SSH: plan.TargetLocal, Listen: "tcp://127.0.0.3:2376"}, c)
	all := strings.Join(cmds, "\n")
	for _, w := range []string{"sudo sh -c '/usr/local/bin/restart-docker'", "sport = :2376", "tcp://127.0.0.3:2376"} {
		if !strings.Contains(all, w) {
			t.Errorf("commands lack %q:\n%s", w, all)
		}
	}
	if strings.Contains(all, "systemctl") || strings.Contains(all, "[::]") {
		t.Errorf("generic commands for a custom restart and listener:\n%s", all)
	}
	// Run the writing commands (without sudo): the file is the one Apply writes.
	for _, cmd := range cmds {
		if !strings.Contains(cmd, "tee") && !strings.Contains(cmd, "mkdir") {
			continue
		}
		out, err := exec.Command("sh", "-c", strings.ReplaceAll(cmd, "sudo ", "")).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out)
		}
	}
	got, err := os.ReadFile(cfg)
	if err != nil || string(got) != after {
		t.Fatalf("the commands wrote %q (%v), want %q", got, err, after)
	}
}
