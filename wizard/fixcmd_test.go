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
		{"copy it (dockertls apply -f PLAN --step distribute)", filepath.Join(wd, "my plan.yaml"), "copy it (dockertls apply -f 'my plan.yaml' --step distribute --yes)"},
		{"copy it (dockertls apply -f PLAN --step distribute)", filepath.Join(wd, "dockertls.yaml"), "copy it (dockertls apply --step distribute --yes)"},
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

// Every fix doctor shows that changes the daemon's host (the distribute and
// daemon-config steps, a whole apply) carries --yes, so it works as shown
// in a headless run, which changes other hosts only when told to; fixes
// that change only this machine, and ones with --yes already, are left as
// they are. The cases are the fix texts of wizard/daemon, wizard/probe and
// the steps' checks.
func TestForPlanFixesThatChangeTheHostSayYes(t *testing.T) {
	p := plan.New()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	p.Path = filepath.Join(wd, "class.yaml")
	s := NewSession(p, nil, Options{})
	cases := []struct{ fix, want string }{
		{"run: dockertls apply --step daemon-config --yes (it backs the file up)", "run: dockertls apply -f class.yaml --step daemon-config --yes (it backs the file up)"},
		{"fix the JSON at the position shown, then run: dockertls apply --step daemon-config", "fix the JSON at the position shown, then run: dockertls apply -f class.yaml --step daemon-config --yes"},
		{"run: dockertls apply --step daemon-config (it writes a systemd drop-in without -H)", "run: dockertls apply -f class.yaml --step daemon-config --yes (it writes a systemd drop-in without -H)"},
		{"run: dockertls apply --step distribute", "run: dockertls apply -f class.yaml --step distribute --yes"},
		{"start it with `systemctl start docker`, then run: dockertls apply --step daemon-config --yes", "start it with `systemctl start docker`, then run: dockertls apply -f class.yaml --step daemon-config --yes"},
		{"Copy the CA certificate there: dockertls apply -f PLAN --step distribute.", "Copy the CA certificate there: dockertls apply -f class.yaml --step distribute --yes."},
		{"Put the client certificate and key there: dockertls apply -f PLAN --step client-cert --step distribute.", "Put the client certificate and key there: dockertls apply -f class.yaml --step client-cert --step distribute --yes."},
		{s.Command("apply"), "dockertls apply -f class.yaml --yes"},
		{s.Command("apply", "--replace-ca") + " makes a new CA", "dockertls apply -f class.yaml --replace-ca --yes makes a new CA"},
		{"renew it: " + s.applyStep(StepCA) + ", then " + s.applyStep(StepDistribute), "renew it: dockertls apply -f class.yaml --step ca, then dockertls apply -f class.yaml --step distribute --yes"},
		{s.applyStep(StepDaemonCert), "dockertls apply -f class.yaml --step daemon-cert"},
		{s.applyStep(StepClientEnv), "dockertls apply -f class.yaml --step client-env"},
		{"review it with dockertls apply --dry-run", "review it with dockertls apply -f class.yaml --dry-run"},
	}
	for _, c := range cases {
		if got := s.ForPlan(c.fix); got != c.want {
			t.Errorf("ForPlan(%q)\n got %q\nwant %q", c.fix, got, c.want)
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
