package daemon

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/remote"
)

// testPKI is a CA with a daemon certificate for 127.0.0.1 and a client
// certificate, written the way the distribute step leaves them.
type testPKI struct {
	Dir       string // ca.pem, server-cert.pem, server-key.pem, cert.pem, key.pem
	ClientTLS *tls.Config
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	caKey, err := pki.GenerateKey(pki.ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := pki.NewCA(pki.CAOptions{CommonName: "dockertls test CA", Key: caKey, Days: 2})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(dir, name), data, mode); err != nil {
			t.Fatal(err)
		}
	}
	leaf := func(daemon bool, certName, keyName string) {
		key, err := pki.GenerateKey(pki.ECDSAP256)
		if err != nil {
			t.Fatal(err)
		}
		var cert *x509.Certificate
		if daemon {
			cert, err = ca.IssueDaemon(pki.LeafOptions{SANs: []string{"127.0.0.1", "localhost"}, Key: key, Days: 2})
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
		write(certName, pki.EncodeCert(cert), 0o644)
		write(keyName, kp, 0o600)
	}
	write("ca.pem", pki.EncodeCert(ca.Cert), 0o644)
	leaf(true, "server-cert.pem", "server-key.pem")
	leaf(false, "cert.pem", "key.pem")
	pair, err := tls.LoadX509KeyPair(filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	return &testPKI{Dir: dir, ClientTLS: &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{pair}, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}}
}

// otherSettings are a user's settings that the merge must keep exactly.
const otherSettings = `    "log-driver": "json-file",
    "log-opts": {"max-size": "10m",   "max-file": "3"},
    "default-address-pools": [
        {"base": "10.213.128.0/17", "size": 24}
    ],
    "labels": ["owner=ops"],
    "live-restore": true`

// startUserDaemon starts a dockerd whose daemon.json holds hosts (its
// socket only) and the user's settings, with no -H flags.
func startUserDaemon(t *testing.T) (*testlab.Dockerd, []byte) {
	t.Helper()
	testlab.RequireBinary(t, "curl", "curl")
	d := testlab.NewDockerd(t, testlab.DockerdOptions{NoHostFlags: true, StartTimeout: 40 * time.Second})
	cfg := []byte("{\n    \"hosts\": [\"unix://" + d.Socket + "\"],\n" + otherSettings + "\n}\n")
	if err := os.WriteFile(d.ConfigPath, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	return d, cfg
}

func settingsFor(d *testlab.Dockerd, p *testPKI) Settings {
	return Settings{
		Listen:        "tcp://" + d.TCPAddr,
		CertDir:       p.Dir,
		ConfigPath:    d.ConfigPath,
		Restart:       d.RestartCommand(),
		LogCommand:    "tail -n 50 " + d.LogPath,
		HealthAddress: "tcp://" + d.TCPAddr,
		HealthTLS:     p.ClientTLS,
		HealthTimeout: 40 * time.Second,
	}
}

func inspectAndPlan(t *testing.T, ctx context.Context, h remote.Host, s Settings) *Change {
	t.Helper()
	n, err := Inspect(ctx, h, s)
	if err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	c, err := Plan(n, s)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return c
}

// TestApplyRealDockerd: a daemon configured by hand gets TLS on its TCP
// port; every other setting keeps its exact bytes; the docker CLI connects
// with the client certificate and is refused without; a second run changes
// nothing and does not restart.
func TestApplyRealDockerd(t *testing.T) {
	d, orig := startUserDaemon(t)
	p := newTestPKI(t)
	ctx := context.Background()
	h := remote.NewLocal(nil)
	s := settingsFor(d, p)

	c := inspectAndPlan(t, ctx, h, s)
	if c.NoOp || len(c.Files) != 1 || c.Files[0].Path != d.ConfigPath {
		t.Fatalf("plan: noop %v files %+v", c.NoOp, c.Files)
	}
	if c.ContainersStopped != 0 {
		t.Errorf("live-restore is on, yet the plan says %d containers stop", c.ContainersStopped)
	}
	var msgs []string
	out, err := Apply(ctx, h, c, func(m string) { msgs = append(msgs, m) })
	if err != nil {
		t.Fatalf("Apply: %v\nprogress:\n%s\ndaemon log:\n%s", err, strings.Join(msgs, "\n"), d.LogTail(30))
	}
	if !out.Changed || !out.Restarted {
		t.Errorf("outcome %+v", out)
	}
	backup := out.Backups[d.ConfigPath]
	if b, err := os.ReadFile(backup); err != nil || string(b) != string(orig) {
		t.Errorf("backup %s does not hold the original (%v)", backup, err)
	}
	now, err := os.ReadFile(d.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := parseConfig(orig)
	after, err := parseConfig(now)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range before.Members {
		if m.Key == "hosts" {
			continue
		}
		if got, ok := after.get(m.Key); !ok || string(got.Raw) != string(m.Raw) {
			t.Errorf("%s changed: %s -> %s", m.Key, m.Raw, got.Raw)
		}
	}
	if fi, _ := os.Stat(d.ConfigPath); fi.Mode().Perm() != 0o644 {
		t.Errorf("daemon.json mode %o", fi.Mode().Perm())
	}

	// The real docker CLIs as the oracle.
	for _, cli := range []string{"/usr/bin/docker", "/usr/local/bin/docker"} {
		if _, err := os.Stat(cli); err != nil {
			continue
		}
		cmd := exec.Command(cli, "version", "--format", "{{.Server.Version}}")
		cmd.Env = append(os.Environ(), "DOCKER_HOST=tcp://"+d.TCPAddr, "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH="+p.Dir, "DOCKER_CONFIG="+t.TempDir())
		// The CLI reads cert.pem/key.pem/ca.pem from DOCKER_CERT_PATH.
		if b, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(b)) == "" {
			t.Errorf("%s with the client certificate: %v\n%s", cli, err, b)
		}
		noCert := t.TempDir()
		ca, _ := os.ReadFile(filepath.Join(p.Dir, "ca.pem"))
		_ = os.WriteFile(filepath.Join(noCert, "ca.pem"), ca, 0o644)
		cmd = exec.Command(cli, "version", "--format", "{{.Server.Version}}")
		cmd.Env = append(os.Environ(), "DOCKER_HOST=tcp://"+d.TCPAddr, "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH="+noCert, "DOCKER_CONFIG="+t.TempDir())
		if b, err := cmd.CombinedOutput(); err == nil {
			t.Errorf("%s without a client certificate was let in:\n%s", cli, b)
		}
	}

	// Again: nothing to do, no restart.
	pid := d.Pid()
	c2 := inspectAndPlan(t, ctx, h, s)
	if !c2.NoOp {
		t.Fatalf("second plan is not a no-op: files %+v notes %q", c2.Files, c2.Notes)
	}
	out2, err := Apply(ctx, h, c2, nil)
	if err != nil || out2.Changed || out2.Restarted || d.Pid() != pid {
		t.Errorf("second apply: %+v %v; pid %d -> %d", out2, err, pid, d.Pid())
	}
	if issues := Check(ctx, h, s); len(issues) != 1 || issues[0].Code != "daemon-config-ok" {
		t.Errorf("Check after apply: %+v", issues)
	}
	_ = os.Remove(backup)
}

// TestApplyRollsBackRealDockerd: the TLS port is taken between planning
// and applying, dockerd cannot start; the original daemon.json comes back
// byte for byte and the daemon answers again, and the error says why.
func TestApplyRollsBackRealDockerd(t *testing.T) {
	d, orig := startUserDaemon(t)
	p := newTestPKI(t)
	ctx := context.Background()
	h := remote.NewLocal(nil)
	s := settingsFor(d, p)
	c := inspectAndPlan(t, ctx, h, s)

	squatter, err := net.Listen("tcp", d.TCPAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	oldPid := d.Pid()
	_, err = Apply(ctx, h, c, nil)
	var ae *ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("want an *ApplyError, got %v", err)
	}
	t.Logf("Apply error (as the user sees it):\n%v", err)
	if !ae.RolledBack || !ae.Answers || ae.RollbackErr != nil {
		t.Errorf("rollback incomplete: %v", err)
	}
	if !strings.Contains(ae.Cause, "already listens") || !strings.Contains(err.Error(), "restored byte for byte") {
		t.Errorf("the error does not explain the cause: %v", err)
	}
	now, _ := os.ReadFile(d.ConfigPath)
	if string(now) != string(orig) {
		t.Errorf("daemon.json is not byte-identical after the rollback:\n%s", now)
	}
	if err := d.Ping(); err != nil || d.Pid() == oldPid {
		t.Errorf("after the rollback the daemon does not answer (%v) or was not restarted", err)
	}
	if leftovers, _ := filepath.Glob(d.ConfigPath + ".dockertls-backup-*"); len(leftovers) != 0 {
		t.Errorf("backups left after a complete rollback: %v", leftovers)
	}
}

// TestInvalidDaemonJSONIsNeverTouched: Plan refuses with the position.
func TestInvalidDaemonJSONIsNeverTouched(t *testing.T) {
	d, _ := startUserDaemon(t)
	p := newTestPKI(t)
	// A missing comma: broken beyond what normalising (comments, trailing
	// commas) can mend.
	broken := []byte("{\n  \"debug\": true\n  \"log-level\": \"warn\"\n}\n")
	if err := os.WriteFile(d.ConfigPath, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	s := settingsFor(d, p)
	n, err := Inspect(context.Background(), remote.NewLocal(nil), s)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Plan(n, s)
	var je *JSONError
	if !errors.As(err, &je) || je.Line != 3 || !strings.Contains(err.Error(), d.ConfigPath) {
		t.Fatalf("want a JSONError at line 3 naming the file, got %v", err)
	}
	if now, _ := os.ReadFile(d.ConfigPath); string(now) != string(broken) {
		t.Error("invalid daemon.json was changed")
	}
	issues := Check(context.Background(), remote.NewLocal(nil), s)
	if len(issues) == 0 || issues[0].Code != "daemon-json-invalid" {
		t.Errorf("Check: %+v", issues)
	}
}

// TestNormalisedDaemonJSONIsRestoredOnFailure: a daemon.json with a
// trailing comma and a comment is normalised, but the daemon cannot start
// (its TLS port is taken): the file the admin wrote comes back byte for
// byte, comments and all.
func TestNormalisedDaemonJSONIsRestoredOnFailure(t *testing.T) {
	d, orig := startUserDaemon(t)
	edited := strings.Replace(string(orig), "{", "{\n  // added by hand\n  \"debug\": true,", 1)
	edited = strings.TrimRight(edited, "\n }") + ",\n}\n"
	if err := os.WriteFile(d.ConfigPath, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	p := newTestPKI(t)
	ctx := context.Background()
	h := remote.NewLocal(nil)
	s := settingsFor(d, p)
	c := inspectAndPlan(t, ctx, h, s)
	if len(c.Files) == 0 || !strings.Contains(c.Files[0].Summary, "normalise") || !strings.Contains(c.Files[0].Diff, "-  // added by hand") {
		t.Fatalf("the plan does not normalise daemon.json: %+v", c.Files)
	}
	squatter, err := net.Listen("tcp", d.TCPAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	_, err = Apply(ctx, h, c, nil)
	var ae *ApplyError
	if !errors.As(err, &ae) || !ae.RolledBack {
		t.Fatalf("want a rolled-back *ApplyError, got %v", err)
	}
	if now, _ := os.ReadFile(d.ConfigPath); string(now) != edited {
		t.Errorf("daemon.json is not the admin's file after the rollback:\n%s", now)
	}
}
