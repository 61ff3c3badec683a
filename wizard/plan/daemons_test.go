package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fleetText = `ca: {key: ecdsa-p256}
client:
  context: lab
daemons:
  - name: node3
    ssh: ubuntu@node3
  - name: node4
    ssh: ubuntu@node4:2222
    sans: [node4, 10.0.0.14]
`

func writePlan(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "plan.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDaemonsListLoadsAndSplits: each entry becomes its own single-daemon
// plan with its own defaults and docker context; the plan it came from
// cannot be overwritten through it.
func TestDaemonsListLoadsAndSplits(t *testing.T) {
	path := writePlan(t, fleetText)
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !p.IsFleet() || strings.Join(p.DaemonNames(), ",") != "node3,node4" {
		t.Fatalf("daemons: %v", p.DaemonNames())
	}
	n4, err := p.ForDaemon("node4")
	if err != nil {
		t.Fatal(err)
	}
	f := n4.WithDefaults()
	if f.Daemon.SSH != "ubuntu@node4:2222" || f.Daemon.Address != "tcp://node4:2376" || f.Client.Context != "lab-node4" || f.FleetName() != "node4" || f.CA.Key != "ecdsa-p256" {
		t.Errorf("node4's plan: ssh %s, address %s, context %s, name %s, ca key %s", f.Daemon.SSH, f.Daemon.Address, f.Client.Context, f.FleetName(), f.CA.Key)
	}
	if n3, _ := p.ForDaemon("node3"); n3.WithDefaults().Daemon.Address != "tcp://node3:2376" {
		t.Errorf("node3's address: %s", n3.WithDefaults().Daemon.Address)
	}
	if _, err := p.ForDaemon("node9"); err == nil || !strings.Contains(err.Error(), "node3, node4") {
		t.Errorf("an unknown daemon: %v", err)
	}
	if err := n4.Save(path); err == nil || !strings.Contains(err.Error(), "does not save") {
		t.Errorf("saving one daemon of the list: %v, want a refusal", err)
	}
	after, _ := os.ReadFile(path)
	if string(after) != fleetText {
		t.Error("the refused save changed the file")
	}
}

// TestDaemonsListErrors: names missing or repeated, both daemon: and
// daemons:, an entry's own mistakes named with its index and line, two
// daemons on one config file.
func TestDaemonsListErrors(t *testing.T) {
	path := writePlan(t, `daemon:
  ssh: local
daemons:
  - name: a
    ssh: ubuntu@a
    address: tcp://elsewhere:2376
    sans: [a]
  - ssh: ubuntu@b
  - name: a
    ssh: ubuntu@c
    sanz: [c]
  - name: d
    ssh: ubuntu@a
`)
	_, err := Load(path)
	if err == nil {
		t.Fatal("a broken daemons: list loaded")
	}
	msg := err.Error()
	for _, want := range []string{
		":2: daemon: a plan has either daemon: or daemons:, not both",
		`:6: daemons[0].address: clients dial "elsewhere"`,
		`add "elsewhere" to daemons[0].sans`,
		":8: daemons[1].name: every daemon of daemons: needs a name",
		`:9: daemons[2].name: "a" is also the name of daemons[0]`,
		`:11: daemons[2].sanz: unknown field "sanz" in daemons[2]`,
		`:12: daemons[3].config: /etc/docker/daemon.json on ubuntu@a is also the config of daemon "a"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the errors do not say %q:\n%s", want, msg)
		}
	}
}
