package wizard

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/wizard/plan"
)

// The steps' own fixes name the plan file (and leave -f out for the
// default ./dockertls.yaml) when rendered, so a fix run as shown repairs
// this plan; the command is data (subcommand and steps) until then.
func TestFindingFixesNameThePlan(t *testing.T) {
	p, _ := caPlan(t, "")
	r := NewRunner(p, headlessYes{}, Options{Getenv: noEnv})
	defer r.Close()
	fs := r.Check(context.Background(), StepCA)
	rd := r.session.Renderer()
	if want := "dockertls apply -f " + shellquote.POSIX(p.Path) + " --step ca"; fs[0].Fix.Render(rd) != want {
		t.Errorf("fix %q, want %q", fs[0].Fix.Render(rd), want)
	}
	cmds := fs[0].Fix.Commands()
	if len(cmds) != 1 || cmds[0].Sub != "apply" || strings.Join(cmds[0].Steps, ",") != "ca" {
		t.Errorf("commands %+v", cmds)
	}
	// doctor --json: the rendered fix, and the command as data.
	out, err := json.Marshal(fs[0].JSON(rd))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"fix":"dockertls apply -f `) || !strings.Contains(string(out), `"fix_commands":[{"subcommand":"apply","steps":["ca"]}]`) {
		t.Errorf("json %s", out)
	}

	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile(DefaultPlanFile, []byte("ca: {key: ecdsa-p256}\ndaemon: {ssh: local}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err = plan.Load(DefaultPlanFile)
	if err != nil {
		t.Fatal(err)
	}
	r2 := NewRunner(p, headlessYes{}, Options{Getenv: noEnv})
	defer r2.Close()
	if fs := r2.Check(context.Background(), StepCA); fs[0].Fix.Render(r2.session.Renderer()) != "dockertls apply --step ca" {
		t.Errorf("default plan: fix %q", fs[0].Fix.Render(r2.session.Renderer()))
	}
}
