package wizard

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dockertls/dockertls/wizard/plan"
)

// loadPlanText writes text as dir/plan.yaml and loads it the way the CLI
// does, so relative paths in it resolve against dir.
func loadPlanText(t testing.TB, dir, text string) *plan.Plan {
	t.Helper()
	planPath := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(planPath, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := plan.Load(planPath)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
