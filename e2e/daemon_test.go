//go:build e2e

package e2e

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/internal/testlab/node"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/daemon"
)

// daemonSetup is a booted node with the daemon's TLS files in place (as the
// distribute step leaves them) and the client's files on this machine.
type daemonSetup struct {
	node      *node.Node
	host      remote.Host
	clientDir string // ca.pem, cert.pem, key.pem
	settings  daemon.Settings
}

// otherDaemonSettings are a user's daemon.json settings that must survive.
const otherDaemonSettings = `{
    "log-driver": "json-file",
    "log-opts": {"max-size": "10m",   "max-file": "3"},
    "default-address-pools": [
        {"base": "10.213.128.0/17", "size": 24}
    ],
    "labels": ["owner=ops"]
}
`

func newDaemonSetup(t *testing.T, mode string) *daemonSetup {
	t.Helper()
	n := bootNode(t)
	caKey, err := pki.GenerateKey(pki.ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := pki.NewCA(pki.CAOptions{CommonName: "dockertls e2e CA", Key: caKey, Days: 2})
	if err != nil {
		t.Fatal(err)
	}
	issue := func(daemonCert bool) ([]byte, []byte) {
		key, err := pki.GenerateKey(pki.ECDSAP256)
		if err != nil {
			t.Fatal(err)
		}
		var cert *x509.Certificate
		if daemonCert {
			cert, err = ca.IssueDaemon(pki.LeafOptions{SANs: []string{"node3", n.IP}, Key: key, Days: 2})
		} else {
			cert, err = ca.IssueClient(pki.LeafOptions{CommonName: "client", Key: key, Days: 2})
		}
		if err != nil {
			t.Fatal(err)
		}
		kp, err := pki.EncodeKey(key)
		if err != nil {
			t.Fatal(err)
		}
		return pki.EncodeCert(cert), kp
	}
	caPEM := pki.EncodeCert(ca.Cert)
	srvCert, srvKey := issue(true)
	n.WriteFile(t, "/etc/docker/tls/ca.pem", caPEM, 0o644)
	n.WriteFile(t, "/etc/docker/tls/server-cert.pem", srvCert, 0o644)
	n.WriteFile(t, "/etc/docker/tls/server-key.pem", srvKey, 0o600)

	clientDir := t.TempDir()
	cliCert, cliKey := issue(false)
	for name, data := range map[string][]byte{"ca.pem": caPEM, "cert.pem": cliCert, "key.pem": cliKey} {
		if err := os.WriteFile(filepath.Join(clientDir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pair, err := tls.X509KeyPair(cliCert, cliKey)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)

	ctx := context.Background()
	h, err := remote.Open(ctx, remote.Config{Target: n.Target("ubuntu"), Identity: n.UbuntuKey, KnownHosts: n.KnownHosts})
	if err != nil {
		t.Fatalf("ssh ubuntu@%s: %v", n.IP, err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return &daemonSetup{node: n, host: h, clientDir: clientDir, settings: daemon.Settings{
		Listen:        "tcp://0.0.0.0:2376",
		CertDir:       "/etc/docker/tls",
		Mode:          mode,
		HealthAddress: "tcp://" + n.IP + ":2376",
		HealthTLS:     &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12},
		HealthTimeout: 40 * time.Second,
	}}
}

// configure runs Inspect, Plan and Apply as the daemon-config step does.
func (d *daemonSetup) configure(t *testing.T) (*daemon.Change, *daemon.Outcome, error) {
	t.Helper()
	ctx := context.Background()
	start := time.Now()
	n, err := daemon.Inspect(ctx, d.host, d.settings)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	t.Logf("inspected %s in %s", n.Host, time.Since(start).Round(time.Millisecond))
	c, err := daemon.Plan(n, d.settings)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	for _, f := range c.Files {
		t.Logf("plan: %s\n%s", f.Summary, f.Diff)
	}
	for _, note := range c.Notes {
		t.Logf("note: %s", note)
	}
	out, err := daemon.Apply(ctx, d.host, c, func(m string) { t.Logf("progress: %s", m) })
	return c, out, err
}

// dockerCLIs are the real clients on this machine.
func dockerCLIs(t *testing.T) []string {
	var clis []string
	for _, p := range []string{"/usr/bin/docker", "/usr/local/bin/docker"} {
		if _, err := os.Stat(p); err == nil {
			clis = append(clis, p)
		}
	}
	if len(clis) == 0 {
		t.Fatal("no docker CLI on this machine (apt-get install docker.io)")
	}
	return clis
}

// requireTLSClients proves every docker CLI here reaches the daemon with the
// client certificate and is refused without one.
func (d *daemonSetup) requireTLSClients(t *testing.T) {
	t.Helper()
	noCert := t.TempDir()
	ca, _ := os.ReadFile(filepath.Join(d.clientDir, "ca.pem"))
	if err := os.WriteFile(filepath.Join(noCert, "ca.pem"), ca, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cli := range dockerCLIs(t) {
		run := func(certDir string) (string, error) {
			cmd := exec.Command(cli, "version", "--format", "{{.Server.Version}}")
			cmd.Env = append(os.Environ(), "DOCKER_HOST=tcp://"+d.node.IP+":2376", "DOCKER_TLS_VERIFY=1",
				"DOCKER_CERT_PATH="+certDir, "DOCKER_CONFIG="+t.TempDir())
			b, err := cmd.CombinedOutput()
			return strings.TrimSpace(string(b)), err
		}
		if out, err := run(d.clientDir); err != nil || out == "" {
			t.Errorf("%s with the client certificate: %v\n%s", cli, err, out)
		}
		if out, err := run(noCert); err == nil {
			t.Errorf("%s without a client certificate got in: %s", cli, out)
		} else if _, refused := testlab.RefusalInLog(out, d.journal()); !refused && !strings.Contains(out, "certificate") {
			t.Errorf("%s without a client certificate failed for another reason: %s", cli, out)
		}
	}
}

// journal reads the node's docker journal, where dockerd logs the TLS
// handshakes it refused.
func (d *daemonSetup) journal() func() string {
	return func() string {
		out, _, _ := d.node.Run("journalctl -u docker.service --no-pager -n 200")
		return out
	}
}

// rollsBackOnTakenPort starts from otherDaemonSettings, plans, then takes
// the TLS port before applying: Apply must fail with an *ApplyError that
// rolled back, left the daemon answering and names the cause, and
// daemon.json must come back byte for byte. diag is the shell command whose
// output shows the node's state when the rollback went wrong.
func (d *daemonSetup) rollsBackOnTakenPort(t *testing.T, diag string) {
	t.Helper()
	n := d.node
	n.WriteFile(t, "/etc/docker/daemon.json", []byte(otherDaemonSettings), 0o644)
	n.Exec(t, "systemctl restart docker")
	ctx := context.Background()
	insp, err := daemon.Inspect(ctx, d.host, d.settings)
	if err != nil {
		t.Fatal(err)
	}
	c, err := daemon.Plan(insp, d.settings)
	if err != nil {
		t.Fatal(err)
	}
	n.HoldPort(t, 2376)
	_, err = daemon.Apply(ctx, d.host, c, func(m string) { t.Logf("progress: %s", m) })
	var ae *daemon.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("want an *ApplyError, got %v", err)
	}
	t.Logf("the user reads:\n%v", err)
	if !ae.RolledBack || !ae.Answers || ae.RollbackErr != nil || !strings.Contains(ae.Cause, "already listens") {
		status, _, _ := n.Run(diag)
		t.Errorf("rollback: %v\nnode state:\n%s", err, status)
	}
	if got := n.ReadFile(t, "/etc/docker/daemon.json"); got != otherDaemonSettings {
		t.Errorf("daemon.json is not byte-identical:\n%s", got)
	}
}

func startedAt(t *testing.T, n *node.Node) string {
	return strings.TrimSpace(n.Exec(t, "systemctl show docker.service -p ActiveEnterTimestampMonotonic --value"))
}

// requireKept checks that every key of otherDaemonSettings is in
// daemon.json with exactly its bytes.
func requireKept(t *testing.T, n *node.Node) {
	t.Helper()
	now := n.ReadFile(t, "/etc/docker/daemon.json")
	for _, line := range []string{
		`"log-driver": "json-file",`,
		`"log-opts": {"max-size": "10m",   "max-file": "3"},`,
		"\"default-address-pools\": [\n        {\"base\": \"10.213.128.0/17\", \"size\": 24}\n    ],",
		`"labels": ["owner=ops"]`,
	} {
		if !strings.Contains(now, line) {
			t.Errorf("daemon.json lost %q:\n%s", line, now)
		}
	}
}

// TestDaemonConfigFreshNode: stock node with a user's daemon.json and a
// running container → TLS on 2376, settings kept, both CLIs in, a client
// without a certificate out; a second run changes nothing and restarts
// nothing; doctor's check is clean.
func TestDaemonConfigFreshNode(t *testing.T) {
	d := newDaemonSetup(t, daemon.ModeHosts)
	n := d.node
	n.WriteFile(t, "/etc/docker/daemon.json", []byte(otherDaemonSettings), 0o644)
	n.Exec(t, "systemctl restart docker")
	n.StartContainer(t, "sleeper")

	c, out, err := d.configure(t)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if c.ContainersStopped != 1 {
		t.Errorf("plan says %d containers stop, want 1", c.ContainersStopped)
	}
	if !out.Changed || !out.Restarted || len(out.Backups) != 1 {
		t.Errorf("outcome %+v", out)
	}
	requireKept(t, n)
	dropIn := n.ReadFile(t, daemon.DropInPath)
	if !strings.Contains(dropIn, "ExecStart=\nExecStart=/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock $DOCKER_OPTS\n") {
		t.Errorf("drop-in:\n%s", dropIn)
	}
	if modes := strings.TrimSpace(n.Exec(t, "stat -c '%a %U' /etc/docker/daemon.json "+daemon.DropInPath)); modes != "644 root\n644 root" {
		t.Errorf("modes/owners of daemon.json and the drop-in: %q, want 644 root", modes)
	}
	d.requireTLSClients(t)
	if v := strings.TrimSpace(n.Exec(t, "docker version --format '{{.Server.Version}}'")); v == "" {
		t.Error("the local socket does not answer on the node")
	}

	before := startedAt(t, n)
	c2, out2, err := d.configure(t)
	if err != nil || !c2.NoOp || out2.Changed || out2.Restarted {
		t.Fatalf("second run: noop %v outcome %+v err %v", c2.NoOp, out2, err)
	}
	if after := startedAt(t, n); after != before {
		t.Errorf("the second run restarted docker (start %s -> %s)", before, after)
	}
	if issues := daemon.Check(context.Background(), d.host, d.settings); len(issues) != 1 || issues[0].Code != "daemon-config-ok" {
		t.Errorf("Check: %+v", issues)
	}
}

// TestDaemonConfigRepairsClassicBrokenState: hosts in daemon.json while the
// unit passes -H fd://, docker failed and its start limit hit → repaired.
func TestDaemonConfigRepairsClassicBrokenState(t *testing.T) {
	d := newDaemonSetup(t, daemon.ModeHosts)
	n := d.node
	n.WriteFile(t, "/etc/docker/daemon.json", []byte(`{
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/tls/ca.pem",
  "tlscert": "/etc/docker/tls/server-cert.pem",
  "tlskey": "/etc/docker/tls/server-key.pem",
  "log-level": "info"
}
`), 0o644)
	// The classic failure: restart fails, systemd retries (Restart=on-failure)
	// until the start limit stops it; docker.service and docker.socket end failed.
	_, _, _ = n.Run("systemctl restart docker")
	n.Exec(t, `for i in $(seq 150); do if journalctl -u docker.service --no-pager | grep -q 'Start request repeated too quickly' && systemctl is-failed -q docker.service; then exit 0; fi; sleep 0.2; done; systemctl status docker.service docker.socket --no-pager >&2; exit 1`)
	issues := daemon.Check(context.Background(), d.host, d.settings)
	var codes []string
	for _, is := range issues {
		codes = append(codes, is.Code)
	}
	if !strings.Contains(strings.Join(codes, ","), "daemon-flag-file-conflict") {
		t.Errorf("Check on the broken node: %+v", issues)
	}

	if _, _, err := d.configure(t); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	d.requireTLSClients(t)
	if got := n.ReadFile(t, "/etc/docker/daemon.json"); !strings.Contains(got, `"hosts": ["fd://", "tcp://0.0.0.0:2376"]`) || !strings.Contains(got, `"log-level": "info"`) {
		t.Errorf("daemon.json:\n%s", got)
	}
	// Local socket activation keeps working (fd://, not a replaced socket).
	n.Exec(t, "systemctl stop docker.service")
	if v := strings.TrimSpace(n.Exec(t, "docker version --format '{{.Server.Version}}'")); v == "" {
		t.Error("docker.socket did not start the daemon after systemctl stop docker")
	}
}

// TestDaemonConfigRollsBack: the TLS port is taken between planning and
// applying → dockerd fails, every file comes back byte for byte, the daemon
// answers again, the error names the cause.
func TestDaemonConfigRollsBack(t *testing.T) {
	d := newDaemonSetup(t, daemon.ModeHosts)
	n := d.node
	d.rollsBackOnTakenPort(t, "systemctl status docker.service docker.socket --no-pager; journalctl -u docker.service -u docker.socket -n 40 --no-pager; ls -la /run/docker.sock")
	if out, _, err := n.Run("test -e " + daemon.DropInPath); err == nil {
		t.Errorf("the drop-in was left behind %s", out)
	}
	if out := n.Exec(t, "systemctl show docker.service -p ExecStart --value"); !strings.Contains(out, "-H fd://") {
		t.Errorf("docker.service does not run the packaged command again: %s", out)
	}
	if v := strings.TrimSpace(n.Exec(t, "docker version --format '{{.Server.Version}}'")); v == "" {
		t.Error("the daemon does not answer after the rollback")
	}
	if left := strings.TrimSpace(n.Exec(t, "ls /etc/docker/ | grep dockertls-backup || true")); left != "" {
		t.Errorf("backups left after a complete rollback: %s", left)
	}
}

// TestDaemonConfigSocketMode: docker-tcp.socket hands 2376 to dockerd; both
// CLIs connect with TLS; local socket activation works after a stop; a
// second run changes nothing.
func TestDaemonConfigSocketMode(t *testing.T) {
	d := newDaemonSetup(t, daemon.ModeSocket)
	n := d.node
	if _, _, err := d.configure(t); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if unit := n.ReadFile(t, daemon.TCPSocketPath); !strings.Contains(unit, "ListenStream=2376") {
		t.Errorf("docker-tcp.socket:\n%s", unit)
	}
	if got := n.ReadFile(t, "/etc/docker/daemon.json"); !strings.Contains(got, `"hosts": ["fd://"]`) {
		t.Errorf("daemon.json:\n%s", got)
	}
	d.requireTLSClients(t)

	before := startedAt(t, n)
	c2, out2, err := d.configure(t)
	if err != nil || !c2.NoOp || out2.Restarted || startedAt(t, n) != before {
		t.Errorf("second run: noop %v outcome %+v err %v", c2.NoOp, out2, err)
	}

	n.Exec(t, "systemctl stop docker.service")
	if v := strings.TrimSpace(n.Exec(t, "docker version --format '{{.Server.Version}}'")); v == "" {
		t.Error("docker.socket did not start the daemon after systemctl stop docker")
	}
	d.requireTLSClients(t)
	if st := strings.TrimSpace(n.Exec(t, "systemctl is-enabled docker-tcp.socket")); st != "enabled" {
		t.Errorf("docker-tcp.socket is %s, want enabled (it must come back after a reboot)", st)
	}
}

// TestDaemonConfigDockerOpts: -H in DOCKER_OPTS (/etc/default/docker) would
// clash with hosts in daemon.json: the drop-in stops reading $DOCKER_OPTS,
// keeps its other flags, and the plan says so.
func TestDaemonConfigDockerOpts(t *testing.T) {
	d := newDaemonSetup(t, daemon.ModeHosts)
	n := d.node
	n.WriteFile(t, "/etc/default/docker", []byte("# Docker options\nDOCKER_OPTS=\"--dns 10.213.0.53 -H unix:///var/run/docker.sock\"\n"), 0o644)
	n.Exec(t, "systemctl restart docker")
	c, _, err := d.configure(t)
	if err != nil {
		status, _, _ := n.Run("systemctl status docker.service docker.socket --no-pager; journalctl -u docker.service -n 60 --no-pager")
		t.Fatalf("Apply: %v\nnode state:\n%s", err, status)
	}
	if notes := strings.Join(c.Notes, "\n"); !strings.Contains(notes, "$DOCKER_OPTS is no longer read") || !strings.Contains(notes, "--dns 10.213.0.53") {
		t.Errorf("the plan does not say that $DOCKER_OPTS is dropped:\n%s", notes)
	}
	if exec := n.Exec(t, "systemctl show docker.service -p ExecStart --value"); !strings.Contains(exec, "--dns 10.213.0.53") || strings.Contains(exec, "DOCKER_OPTS") || strings.Contains(exec, "-H") {
		t.Errorf("docker.service now runs: %s", exec)
	}
	if cmdline := n.Exec(t, "tr '\\0' ' ' </proc/$(systemctl show docker.service -p MainPID --value)/cmdline"); !strings.Contains(cmdline, "--dns 10.213.0.53") {
		t.Errorf("the running dockerd lost the DOCKER_OPTS flag: %s", cmdline)
	}
	d.requireTLSClients(t)
}

// TestDaemonConfigSocketModeRollsBack: in socket mode a taken port makes
// docker-tcp.socket fail to bind; the unit is disabled and removed, the
// other files restored, and the daemon answers on its local socket.
func TestDaemonConfigSocketModeRollsBack(t *testing.T) {
	d := newDaemonSetup(t, daemon.ModeSocket)
	n := d.node
	d.rollsBackOnTakenPort(t, "systemctl status docker.service docker.socket docker-tcp.socket --no-pager")
	for _, p := range []string{daemon.DropInPath, daemon.TCPSocketPath, "/etc/systemd/system/sockets.target.wants/docker-tcp.socket"} {
		if _, _, err := n.Run("test -e " + p); err == nil {
			t.Errorf("%s was left behind", p)
		}
	}
	if v := strings.TrimSpace(n.Exec(t, "docker version --format '{{.Server.Version}}'")); v == "" {
		t.Error("the daemon does not answer after the rollback")
	}
}

// TestDaemonConfigTutorialOverride: the plain-TCP setup of the tutorials
// (override.conf with -H fd:// -H tcp://0.0.0.0:2375) → TLS on 2376 and the
// unauthenticated 2375 closed.
func TestDaemonConfigTutorialOverride(t *testing.T) {
	d := newDaemonSetup(t, daemon.ModeHosts)
	n := d.node
	n.WriteFile(t, "/etc/systemd/system/docker.service.d/override.conf",
		[]byte("[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// -H tcp://0.0.0.0:2375 --containerd=/run/containerd/containerd.sock\n"), 0o644)
	n.Exec(t, "systemctl daemon-reload && systemctl restart docker && ss -Hltn 'sport = :2375' | grep -q 2375")
	if _, _, err := d.configure(t); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	d.requireTLSClients(t)
	if out := strings.TrimSpace(n.Exec(t, "ss -Hltn 'sport = :2375'")); out != "" {
		t.Errorf("the unauthenticated port 2375 is still open: %s", out)
	}
	if out := n.Exec(t, "systemctl show docker.service -p ExecStart --value"); strings.Contains(out, "-H") {
		t.Errorf("docker.service still passes -H: %s", out)
	}
	c2, out2, err := d.configure(t)
	if err != nil || !c2.NoOp || out2.Restarted {
		t.Errorf("second run: noop %v outcome %+v err %v", c2.NoOp, out2, err)
	}
}
