package wizard

import (
	"os"
	"path/filepath"
	"testing"
)

// loadPlanText writes text as dir/plan.yaml and loads it the way the CLI
// does, so relative paths in it resolve against dir.
func loadPlanText(t *testing.T, dir, text string) *Plan {
	t.Helper()
	planPath := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(planPath, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPlan(planPath)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
