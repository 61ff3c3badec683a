package fix

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRenderNamesThePlanOnce(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	copyIt := New("copy it (", Apply("distribute"), ")")
	cases := []struct {
		fix  Text
		plan string
		want string
	}{
		{New(Apply("ca")), filepath.Join(wd, "dockertls.yaml"), "dockertls apply --step ca"},
		{New(Apply("ca")), filepath.Join(wd, "class.yaml"), "dockertls apply -f class.yaml --step ca"},
		{copyIt, filepath.Join(wd, "my plan.yaml"), "copy it (dockertls apply -f 'my plan.yaml' --step distribute --yes)"},
		{copyIt, filepath.Join(wd, "dockertls.yaml"), "copy it (dockertls apply --step distribute --yes)"},
		{New(Apply("ca")), "/elsewhere/p.yaml", "dockertls apply -f /elsewhere/p.yaml --step ca"},
		{New(`eval "$(`, Run("env"), `)" or `, Run("doctor"), "."), "/elsewhere/p.yaml", `eval "$(dockertls env -f /elsewhere/p.yaml)" or dockertls doctor -f /elsewhere/p.yaml.`},
		{New("run: ", Apply("ca")), "", "run: dockertls apply -f PLAN --step ca"},
		{New(Run("doctor", "--fix", "--yes")), "/p.yaml", "dockertls doctor -f /p.yaml --fix --yes"},
		{New(Apply("client-env").With("--yes")), "/p.yaml", "dockertls apply -f /p.yaml --step client-env --yes"},
		{Words("fix the file by hand"), "/p.yaml", "fix the file by hand"},
		{New(Apply("verify")), "/p.yaml", "dockertls apply -f /p.yaml --step verify"},
	}
	for _, c := range cases {
		if got := c.fix.Render(For(c.plan, "bash")); got != c.want {
			t.Errorf("%v for %q = %q, want %q", c.fix, c.plan, got, c.want)
		}
	}
	// One daemon of a plan with daemons: is named with --daemon.
	rd := For("/p.yaml", "bash")
	rd.Daemon = "node 4"
	if got := New(Apply("distribute")).Render(rd); got != "dockertls apply -f /p.yaml --daemon 'node 4' --step distribute --yes" {
		t.Errorf("daemon of a fleet: %q", got)
	}
}

func TestCommandsAreData(t *testing.T) {
	f := New("re-issue it (", Apply("daemon-cert", "distribute"), "), then ", Run("verify"))
	cmds := f.Commands()
	if len(cmds) != 2 || cmds[0].Sub != "apply" || strings.Join(cmds[0].Steps, ",") != "daemon-cert,distribute" || cmds[1].Sub != "verify" {
		t.Errorf("commands = %+v", cmds)
	}
	if got := New("  a\n  b: ", Apply("ca"), " \n then\tc  ").OneLine().String(); got != "a b: dockertls apply -f PLAN --step ca then c" {
		t.Errorf("OneLine = %q", got)
	}
	if !(Text{}).IsZero() || New("").IsZero() != true || Words("x").IsZero() {
		t.Error("IsZero")
	}
}

// A plan path quoted for a shell reaches the program as the very path: run
// through the real shells that are installed.
func TestQuoteIsOneWordInTheShell(t *testing.T) {
	paths := []string{"plain.yaml", "my plan.yaml", "it's.yaml", `a"b$c` + "`d`.yaml", `back\slash.yaml`}
	for _, shell := range []string{"bash", "fish"} {
		bin, err := exec.LookPath(shell)
		if err != nil {
			if shell == "bash" {
				t.Fatalf("bash: %v", err)
			}
			continue
		}
		for _, p := range paths {
			out, err := exec.Command(bin, "-c", "printf '%s|' "+Quote(shell, p)).Output()
			if err != nil || string(out) != p+"|" {
				t.Errorf("%s: %q quoted as %s reads back %q (%v)", shell, p, Quote(shell, p), out, err)
			}
		}
	}
	if Quote("powershell", "it's") != "'it''s'" || Quote("cmd", "my plan") != `"my plan"` || Quote("bash", "class.yaml") != "class.yaml" || Quote("fish", "a=b") != "a=b" {
		t.Error("powershell/cmd/plain quoting")
	}
}

// The catalogs write commands as text; Parse makes them data once.
func TestParseReadsCommandsOutOfText(t *testing.T) {
	f := Parse("Re-issue both (dockertls apply -f PLAN --step client-cert --step distribute --yes); `dockertls doctor` warns; dockertls does it by default; run: dockertls apply --step daemon-config")
	cmds := f.Commands()
	if len(cmds) != 3 || strings.Join(cmds[0].Steps, ",") != "client-cert,distribute" || strings.Join(cmds[0].Flags, ",") != "--yes" ||
		cmds[1].Sub != "doctor" || cmds[2].Sub != "apply" || strings.Join(cmds[2].Steps, ",") != "daemon-config" {
		t.Fatalf("commands %+v", cmds)
	}
	want := "Re-issue both (dockertls apply -f p.yaml --step client-cert --step distribute --yes); `dockertls doctor -f p.yaml` warns; dockertls does it by default; run: dockertls apply -f p.yaml --step daemon-config --yes"
	if got := f.Render(Renderer{Plan: "p.yaml"}); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := Parse("no command here").Render(Renderer{Plan: "p.yaml"}); got != "no command here" {
		t.Errorf("words: %q", got)
	}
}

// Every fix that changes the daemon's host (the distribute and
// daemon-config steps, a whole apply) carries --yes, so it works as shown in
// a headless run; fixes that change only this machine, and ones with --yes
// or --dry-run already, are left as they are.
func TestFixesThatChangeTheHostSayYes(t *testing.T) {
	rd := Renderer{Plan: "class.yaml"}
	for _, c := range []struct {
		fix  Text
		want string
	}{
		{Parse("run: dockertls apply --step daemon-config --yes (it backs the file up)"), "run: dockertls apply -f class.yaml --step daemon-config --yes (it backs the file up)"},
		{Parse("fix the JSON at the position shown, then run: dockertls apply --step daemon-config"), "fix the JSON at the position shown, then run: dockertls apply -f class.yaml --step daemon-config --yes"},
		{Parse("Copy the CA certificate there: dockertls apply -f PLAN --step distribute."), "Copy the CA certificate there: dockertls apply -f class.yaml --step distribute --yes."},
		{Parse("Put them there: dockertls apply -f PLAN --step client-cert --step distribute."), "Put them there: dockertls apply -f class.yaml --step client-cert --step distribute --yes."},
		{New(Apply()), "dockertls apply -f class.yaml --yes"},
		{New(Apply().With("--replace-ca"), " makes a new CA"), "dockertls apply -f class.yaml --replace-ca --yes makes a new CA"},
		{New(Apply("ca"), ", then ", Apply("distribute")), "dockertls apply -f class.yaml --step ca, then dockertls apply -f class.yaml --step distribute --yes"},
		{New(Apply("daemon-cert")), "dockertls apply -f class.yaml --step daemon-cert"},
		{New(Apply("client-env")), "dockertls apply -f class.yaml --step client-env"},
		{New(Apply().With("--dry-run")), "dockertls apply -f class.yaml --dry-run"},
	} {
		if got := c.fix.Render(rd); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
}
