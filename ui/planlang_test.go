package ui

import (
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/plan"
)

// A field the plan refuses is explained in the user's language, as is a
// plan file that cannot be opened (headline and one bullet per problem,
// with its file:line and field unchanged).
func TestPlanErrorsSpeakTheLanguage(t *testing.T) {
	cfg := testConfig(newFakeEngine())
	cfg.Localizer = i18n.New(i18n.Chinese)
	h := newHarness(t, cfg)
	h.key("enter", "tab", "tab", "tab", "ctrl+u") // ca.days
	h.typ("a year")
	h.key("enter")
	h.want(`✗ 必须是整数，而不是"a year"（例如 days: 730）`)
	h.dontWant("whole number", "e.g.")

	cfg = testConfig(newFakeEngine(), "bad.yaml")
	cfg.Localizer = i18n.New(i18n.Chinese)
	cfg.PlanPath = "bad.yaml"
	cfg.LoadPlan = func(path string) (*plan.Plan, error) {
		_, err := plan.Parse([]byte("ca:\n  days: many\ndaemon:\n  common-name: x\n"), path)
		return nil, err
	}
	h = newHarness(t, cfg)
	h.key("enter")
	h.want("✗ 计划有 2 处问题：请修改文件，然后重新选择",
		`  • bad.yaml:2: ca.days: 必须是整数，而不是"many"`, `  • bad.yaml:4: daemon.common-name: daemon 中有未知字段 "common-name"`)
	h.dontWant("fix the file", "problems", "unknown field")
}
