package daemon

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/remote"
)

// TestRestartStepsInOneCommand runs several restart steps as one script
// through the real shell: arguments arrive as written (quotes, spaces), a
// step that may fail does not stop the rest, the first one that must not
// fail stops them with its status and output.
func TestRestartStepsInOneCommand(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "it's started")
	r := Restart{Kind: "command", Steps: []Step{
		{Args: []string{"sh", "-c", "echo ignored; exit 3"}, MayFail: true},
		{Args: []string{"sh", "-c", `printf '%s' "$1" >"$2"`, "sh", "a 'quoted' $word", filepath.Join(dir, "args")}},
		{Args: []string{"touch", marker}},
	}}
	h := remote.NewLocal(nil)
	ctx := context.Background()
	if out, err := runRestart(ctx, h, r); err != nil {
		t.Fatalf("restart: %v (%s)", err, out)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "args")); string(got) != "a 'quoted' $word" {
		t.Errorf("argument arrived as %q", got)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("last step did not run: %v", err)
	}
	os.Remove(marker)
	r.Steps = append([]Step{{Args: []string{"sh", "-c", "echo boom >&2; exit 4"}}}, r.Steps...)
	out, err := runRestart(ctx, h, r)
	if err == nil || !strings.Contains(err.Error(), "exited with status 4: boom") || out != "boom" {
		t.Fatalf("a failing step: %v (%q)", err, out)
	}
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Error("the steps after a failure ran")
	}
}
