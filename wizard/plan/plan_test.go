package plan

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func parseAndValidate(t *testing.T, yaml string) error {
	t.Helper()
	p, err := Parse([]byte(yaml), "plan.yaml")
	if err != nil {
		return err
	}
	p.Path = "plan.yaml"
	return p.Validate()
}

func TestPlanErrorsNameFileLineFieldAndAllowed(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown top-level field", "daemon:\n  ssh: local\nextra: 1\n",
			[]string{"plan.yaml:3:", "extra", "unknown field", "allowed here: ca, client, daemon, daemons, dir, renew_before_days"}},
		{"unknown nested field with hint", "ca:\n  common-name: x\n",
			[]string{"plan.yaml:2:", "ca.common-name", "did you mean common_name?"}},
		{"days not a number", "ca:\n  days: two years\n",
			[]string{"plan.yaml:2:", "ca.days", "must be a whole number", "e.g. days: 730"}},
		{"sans not a list", "daemon:\n  sans: node3\n",
			[]string{"plan.yaml:2:", "daemon.sans", "must be a list"}},
		{"section not a mapping", "daemon: node3\n",
			[]string{"plan.yaml:1:", "daemon", "must be a mapping"}},
		{"duplicate key", "ca:\n  key: rsa-2048\n  key: ed25519\n",
			[]string{"plan.yaml:3:", "ca.key", "set twice (first on line 2)"}},
		{"bad key type", "ca:\n  key: rsa-1024\n",
			[]string{"plan.yaml:2:", "ca.key", `"rsa-1024"`, "ed25519"}},
		{"renewal window out of range", "renew_before_days: 400\n",
			[]string{"plan.yaml:1:", "renew_before_days", "1 to 365"}},
		{"negative renewal window", "renew_before_days: -3\n",
			[]string{"plan.yaml:1:", "renew_before_days", "not a usable renewal window"}},
		{"days out of range", "daemon:\n  days: 5000\n",
			[]string{"plan.yaml:2:", "daemon.days", "1 to 3650"}},
		{"address not covered", "daemon:\n  sans: [node3]\n  address: tcp://10.0.0.12:2376\n",
			[]string{"plan.yaml:3:", "daemon.address", `add "10.0.0.12" to daemon.sans`}},
		{"address without port", "daemon:\n  address: tcp://node3\n",
			[]string{"daemon.address", "2375", "tcp://node3:2376"}},
		{"https address", "daemon:\n  address: https://node3:2376\n",
			[]string{"daemon.address", "only takes tcp://"}},
		{"bad SAN", "daemon:\n  sans: [node3, 'bad name!']\n",
			[]string{"plan.yaml:2:", "daemon.sans", "bad name!"}},
		{"bad ssh target", "daemon:\n  ssh: http://node3\n",
			[]string{"daemon.ssh", "only ssh://"}},
		{"relative remote cert dir", "daemon:\n  ssh: u@node3\n  cert_dir: tls\n",
			[]string{"plan.yaml:3:", "daemon.cert_dir", "is relative"}},
		{"bad mode", "daemon:\n  mode: magic\n", []string{"daemon.mode", "socket"}},
		{"bad context", "client:\n  context: -x\n", []string{"client.context", "docker context name"}},
		{"empty", "", []string{"plan is empty"}},
		{"not yaml", "ca: [\n", []string{"plan.yaml", "not valid YAML"}},
		{"bad env name", "ca:\n  passphrase_env: 'A B'\n", []string{"ca.passphrase_env", "not an environment variable name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := parseAndValidate(t, c.yaml)
			if err == nil {
				t.Fatal("accepted")
			}
			var pe Errors
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, want Errors: %v", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestPlanDesignExampleLoads(t *testing.T) {
	const example = `dir: ./pki
ca:
  common_name: Docker TLS CA
  key: rsa-4096
  days: 730
  passphrase_env: DOCKERTLS_CA_PASSPHRASE
daemon:
  ssh: ubuntu@node3:22
  identity: ~/.ssh/id_ed25519
  known_hosts: ~/.ssh/known_hosts
  common_name: node3
  sans: [node3, 10.0.0.12]
  listen: tcp://0.0.0.0:2376
  address: tcp://node3:2376
  cert_dir: /etc/docker/tls
  config: /etc/docker/daemon.json
  restart: auto
  key: rsa-4096
  days: 730
client:
  target: local
  cert_dir: ~/.docker
  common_name: client
  context: node3
  key: rsa-4096
  days: 730
`
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := parseAndValidate(t, example); err == nil || !strings.Contains(err.Error(), "daemon.identity") {
		t.Fatalf("a missing identity file was accepted: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "id_ed25519"), []byte("key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := parseAndValidate(t, example); err != nil {
		t.Fatal(err)
	}
}

func TestPlanDefaults(t *testing.T) {
	p := New()
	if err := p.Validate(); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if p.Daemon.Address != "tcp://localhost:2376" || p.CA.Key != "rsa-4096" || p.Client.CertDir != "~/.docker" || p.RenewBeforeDays != 30 {
		t.Errorf("unexpected defaults: %+v", p)
	}
	q, err := Parse([]byte("ca:\n  key: ecdsa-p256\n  days: 100\ndaemon:\n  ssh: ubuntu@node3\n"), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := q.WithDefaults()
	if f.Daemon.Key != "ecdsa-p256" || f.Client.Days != 100 {
		t.Errorf("leaf key/days do not follow the CA: %+v", f)
	}
	if f.Daemon.Address != "tcp://node3:2376" || f.Daemon.CommonName != "node3" || len(f.Daemon.SANs) != 1 || f.Daemon.SANs[0] != "node3" {
		t.Errorf("daemon defaults not derived from the SSH host: %+v", f.Daemon)
	}
	if q.Daemon.Key != "" {
		t.Error("WithDefaults changed its receiver")
	}
	r, err := Parse([]byte("daemon:\n  ssh: u@1.2.3.4\n  sans: [node3, 1.2.3.4]\n"), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := r.WithDefaults().Daemon.Address; got != "tcp://node3:2376" {
		t.Errorf("address = %s, want the first SAN", got)
	}
}

func TestPlanRelativePathsAndSaveKeepsComments(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.yaml")
	src := "# my workshop plan\ndir: ./certs # next to the plan\nca:\n  key: ecdsa-p256 # fast\ndaemon:\n  sans: [localhost, 127.0.0.1] # both\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.LocalPath(p.Dir); got != filepath.Join(dir, "certs") {
		t.Errorf("dir resolved to %s", got)
	}
	p.CA.Days = 90
	p.Daemon.SANs = append(p.Daemon.SANs, "node3")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	out, _ := os.ReadFile(path)
	for _, w := range []string{"# my workshop plan", "# next to the plan", "# fast", "days: 90", "[localhost, 127.0.0.1, node3] # both"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("saved plan lost %q:\n%s", w, out)
		}
	}
	again, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if again.CA.Days != 90 || len(again.Daemon.SANs) != 3 {
		t.Errorf("round trip lost values: %+v", again)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing plan: %v", err)
	}
}

func TestHostPath(t *testing.T) {
	if got := HostPath("~/.docker", "/home/u/"); got != "/home/u/.docker" {
		t.Error(got)
	}
	if got := HostPath("/etc/docker", "/root"); got != "/etc/docker" {
		t.Error(got)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte("daemon:\n  ssh: ubuntu@node3\n  sans: [node3]\n"))
	f.Add([]byte("ca: {key: ed25519, days: 1}\nclient: {context: x}\n"))
	f.Add([]byte("daemon:\n  address: tcp://[::1]:2376\n  sans: ['::1']\n"))
	f.Add([]byte("a: &x [1]\nb: *x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// what Load does with a plan that has field errors: its
		// values are checked too, without panicking
		if q, errs := parse(data, "fuzz.yaml"); q != nil {
			_ = q.validate("fuzz.yaml", errs.reported())
		}
		p, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if err := p.Validate(); err == nil {
			// A valid plan must survive its own defaults and a save/load.
			f := p.WithDefaults()
			if err := f.Validate(); err != nil {
				t.Fatalf("valid plan's defaults are invalid: %v", err)
			}
			if !sansCover(f.Daemon.SANs, f.DaemonAddress().Host) {
				t.Fatalf("validated address %s not covered by %v", f.Daemon.Address, f.Daemon.SANs)
			}
		}
	})
}

// A plan with a wrong type and bad values reports every problem once, in
// file order, under the name the user gave: a CA value inherited by the
// leaves is not repeated for them.
func TestLoadPlanReportsEveryProblemOnceInFileOrder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.yaml")
	const plan = "ca:\n  key: rsa-1024\n  days: many\ndaemon:\n  address: tcp://10.0.0.13:2376\n  sans: [node3, 'tcp://node3:2376']\nclient:\n  days: 0\n"
	if err := os.WriteFile(path, []byte(plan), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	var pe Errors
	if !errors.As(err, &pe) {
		t.Fatalf("error is %T, want Errors: %v", err, err)
	}
	var got []string
	for _, e := range pe {
		got = append(got, e.Field)
		if e.File != path {
			t.Errorf("%v: file %q, want %q as given", e, e.File, path)
		}
	}
	want := []string{"ca.key", "ca.days", "daemon.address", "daemon.sans", "client.days"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("fields %v, want %v:\n%v", got, want, err)
	}
	if msg := pe[2].Error(); strings.Contains(msg, "tcp://node3") || !strings.Contains(msg, "dial one of: node3") {
		t.Errorf("the address hint suggests an unusable SAN: %s", msg)
	}
	if pe.Summary() != "the plan has 5 problems" || pe[:1].Summary() != "the plan has 1 problem" {
		t.Errorf("summaries %q / %q", pe.Summary(), pe[:1].Summary())
	}
}

func TestPlanYAMLSyntaxErrorNamesItsLine(t *testing.T) {
	_, err := Parse([]byte("daemon:\n\tssh: local\n"), "plan.yaml")
	if err == nil || !strings.Contains(err.Error(), "plan.yaml:2: not valid YAML") || !strings.Contains(err.Error(), "tabs") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadPlanOfADirectorySaysWhichFile(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "is a directory, not a plan file") || !strings.Contains(err.Error(), filepath.Join(dir, "dockertls.yaml")) {
		t.Fatalf("got %v", err)
	}
}

// A derived daemon.address dials daemon.listen's port and brackets an IPv6
// SAN; a missing port is refused with listen's port as the fix.
func TestDerivedAddressUsesListenPortAndBracketsIPv6(t *testing.T) {
	p := &Plan{Daemon: Daemon{SSH: "u@node3", SANs: []string{"2001:db8::1"}, Listen: "tcp://0.0.0.0:2377"}}
	if got := p.WithDefaults().Daemon.Address; got != "tcp://[2001:db8::1]:2377" {
		t.Errorf("derived address %q", got)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("derived plan invalid: %v", err)
	}
	p.Daemon.Address = "tcp://node3"
	p.Daemon.SANs = []string{"node3"}
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "write the port: tcp://node3:2377") {
		t.Errorf("address without port: %v", err)
	}
}

// CheckField judges one answer in the context of the rest of the plan.
func TestCheckFieldUsesTheRestOfThePlan(t *testing.T) {
	p := &Plan{Daemon: Daemon{SANs: []string{"node3"}, Listen: "tcp://0.0.0.0:2377"}}
	for _, c := range []struct{ key, value, want string }{
		{"daemon.address", "tcp://node3:2377", ""},
		{"daemon.address", "tcp://other:2377", `add "other" to daemon.sans`},
		{"daemon.address", "tcp://node3", "tcp://node3:2377"},
		{"daemon.ssh", "node3", ""},
		{"daemon.days", "x", "whole number"},
		{"daemon.nope", "x", "not a field"},
	} {
		err := p.CheckField(c.key, c.value)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckField(%s, %q) = %v, want %q", c.key, c.value, err, c.want)
		}
	}
	if p.Daemon.Address != "" || len(p.Daemon.SANs) != 1 {
		t.Errorf("CheckField changed the plan: %+v", p.Daemon)
	}
}
