package wizard

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/wizard/plan"
)

func TestForPlanNamesThePlanInCommands(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ fix, plan, want string }{
		{"dockertls apply --step ca", filepath.Join(wd, "dockertls.yaml"), "dockertls apply --step ca"},
		{"dockertls apply --step ca", filepath.Join(wd, "class.yaml"), "dockertls apply -f class.yaml --step ca"},
		{"copy it (dockertls apply -f PLAN --step distribute)", filepath.Join(wd, "my plan.yaml"), "copy it (dockertls apply -f 'my plan.yaml' --step distribute)"},
		{"copy it (dockertls apply -f PLAN --step distribute)", filepath.Join(wd, "dockertls.yaml"), "copy it (dockertls apply --step distribute)"},
		{"dockertls apply --step ca", "/elsewhere/p.yaml", "dockertls apply -f /elsewhere/p.yaml --step ca"},
		{`eval "$(dockertls env)" or dockertls doctor.`, "/elsewhere/p.yaml", `eval "$(dockertls env -f /elsewhere/p.yaml)" or dockertls doctor -f /elsewhere/p.yaml.`},
		{"dockertls apply -f other.yaml --step ca; dockertls version", "/elsewhere/p.yaml", "dockertls apply -f other.yaml --step ca; dockertls version"},
		{"dockertls applyx and dockertls wizard", "/elsewhere/p.yaml", "dockertls applyx and dockertls wizard -f /elsewhere/p.yaml"},
		{"run: dockertls apply --step ca", "", "run: dockertls apply -f PLAN --step ca"},
	}
	for _, c := range cases {
		p := plan.New()
		p.Path = c.plan
		s := NewSession(p, nil, Options{})
		if got := s.ForPlan(c.fix); got != c.want {
			t.Errorf("ForPlan(%q) for %q = %q, want %q", c.fix, c.plan, got, c.want)
		}
	}
}

// The steps' own fixes name the plan file (and leave -f out for the
// default ./dockertls.yaml), so a fix run as shown repairs this plan.
func TestFindingFixesNameThePlan(t *testing.T) {
	p, _ := caPlan(t, "")
	r := NewRunner(p, headlessYes{}, Options{Getenv: noEnv})
	defer r.Close()
	fs := r.Check(context.Background(), StepCA)
	if want := "dockertls apply -f " + shellquote.POSIX(p.Path) + " --step ca"; fs[0].Fix != want {
		t.Errorf("fix %q, want %q", fs[0].Fix, want)
	}

	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile(DefaultPlanFile, []byte("ca: {key: ecdsa-p256}\ndaemon: {ssh: local}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := plan.Load(DefaultPlanFile)
	if err != nil {
		t.Fatal(err)
	}
	r2 := NewRunner(p, headlessYes{}, Options{Getenv: noEnv})
	defer r2.Close()
	if fs := r2.Check(context.Background(), StepCA); fs[0].Fix != "dockertls apply --step ca" {
		t.Errorf("default plan: fix %q", fs[0].Fix)
	}
}
