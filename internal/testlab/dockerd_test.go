package testlab

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// dockerCLI runs the docker CLI against a daemon and returns its combined
// output and error.
func dockerCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cli := RequireBinary(t, "docker", "docker.io")
	cmd := exec.Command(cli, args...)
	cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+t.TempDir())
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestDockerdPlainSocketAndTCP(t *testing.T) {
	d := StartDockerd(t, DockerdOptions{})
	out, err := dockerCLI(t, "-H", d.Host, "version", "--format", "{{.Server.Version}}")
	if err != nil || strings.TrimSpace(out) == "" {
		t.Fatalf("docker version over the unix socket: %v\n%s", err, out)
	}
	out, err = dockerCLI(t, "-H", "tcp://"+d.TCPAddr, "version", "--format", "{{.Server.Version}}")
	if err != nil || strings.TrimSpace(out) == "" {
		t.Fatalf("docker version over plain TCP: %v\n%s", err, out)
	}
	if !strings.Contains(d.Logs(), "API listen on "+d.TCPAddr) {
		t.Errorf("the log does not show the TCP listener:\n%s", d.LogTail(20))
	}
}

func TestDockerdRestartAndCleanup(t *testing.T) {
	var dir string
	var pids []int
	t.Run("lifecycle", func(t *testing.T) {
		d := StartDockerd(t, DockerdOptions{NoTCP: true})
		dir = d.Dir
		first := d.Pid()
		if err := d.Restart(); err != nil {
			t.Fatal(err)
		}
		second := d.Pid()
		if second == 0 || second == first {
			t.Fatalf("Restart: pid before %d, after %d; want a new running process", first, second)
		}
		// The shell restart, as code under test would run it.
		out, err := exec.Command("/bin/sh", "-c", d.RestartCommand()).CombinedOutput()
		if err != nil {
			t.Fatalf("restart command %q: %v\n%s", d.RestartCommand(), err, out)
		}
		third := d.Pid()
		if third == 0 || third == second || d.Ping() != nil {
			t.Fatalf("restart command: pid before %d, after %d, ping %v", second, third, d.Ping())
		}
		pids = []int{first, second, third}
	})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cleanup left %s behind (stat: %v)", dir, err)
	}
	for _, pid := range pids {
		if processAlive(pid) {
			t.Errorf("cleanup left dockerd pid %d running", pid)
		}
	}
	mounts, _ := os.ReadFile("/proc/self/mountinfo")
	if dir != "" && strings.Contains(string(mounts), dir) {
		t.Errorf("cleanup left mounts under %s", dir)
	}
}

func TestDockerdRestartCommandReportsABrokenConfig(t *testing.T) {
	d := StartDockerd(t, DockerdOptions{NoTCP: true})
	if err := os.WriteFile(d.ConfigPath, []byte(`{"tls-verify": true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/bin/sh", "-c", d.RestartCommand()).CombinedOutput()
	if err == nil {
		t.Fatalf("restart with an unknown key in daemon.json succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "don't match any configuration option") {
		t.Errorf("restart command's error does not carry dockerd's reason:\n%s", out)
	}
	if err := d.Start(); err == nil || !strings.Contains(err.Error(), "tls-verify") {
		t.Errorf("Start with the same broken config: got %v, want dockerd's reason", err)
	}
	if err := os.WriteFile(d.ConfigPath, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatalf("Start after repairing the config: %v", err)
	}
}

func TestDockerdHostsFromConfigFile(t *testing.T) {
	d := NewDockerd(t, DockerdOptions{NoHostFlags: true})
	cfg := `{"hosts": ["unix://` + d.Socket + `", "tcp://` + d.TCPAddr + `"]}`
	if err := os.WriteFile(d.ConfigPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	if out, err := dockerCLI(t, "-H", "tcp://"+d.TCPAddr, "version"); err != nil {
		t.Fatalf("docker version on the TCP address from daemon.json: %v\n%s", err, out)
	}
}

func TestDockerdTLS(t *testing.T) {
	dir := t.TempDir()
	ca, caKey := testCert(t, dir, "ca", nil, nil, 0)
	testCert(t, dir, "server", ca, caKey, x509.ExtKeyUsageServerAuth)
	testCert(t, dir, "client", ca, caKey, x509.ExtKeyUsageClientAuth)
	p := func(name string) string { return filepath.Join(dir, name) }

	t.Run("verify", func(t *testing.T) {
		d := StartDockerd(t, DockerdOptions{TLS: &DockerdTLS{CACert: p("ca.pem"), Cert: p("server-cert.pem"), Key: p("server-key.pem"), Verify: true}})
		out, err := dockerCLI(t, "--tlsverify", "--tlscacert", p("ca.pem"), "--tlscert", p("client-cert.pem"), "--tlskey", p("client-key.pem"),
			"-H", "tcp://"+d.TCPAddr, "version")
		if err != nil || !strings.Contains(out, "Server:") {
			t.Fatalf("docker version with the client certificate: %v\n%s", err, out)
		}
		out, err = dockerCLI(t, "--tlsverify", "--tlscacert", p("ca.pem"), "-H", "tcp://"+d.TCPAddr, "version")
		if _, refused := d.CertificateRefused(out); err == nil || !refused {
			t.Fatalf("docker version without a client certificate: want refused (bad certificate), got %v\n%s", err, out)
		}
	})
	t.Run("no client auth", func(t *testing.T) {
		d := StartDockerd(t, DockerdOptions{TLS: &DockerdTLS{Cert: p("server-cert.pem"), Key: p("server-key.pem")}})
		out, err := dockerCLI(t, "--tlsverify", "--tlscacert", p("ca.pem"), "-H", "tcp://"+d.TCPAddr, "version")
		if err != nil || !strings.Contains(out, "Server:") {
			t.Fatalf("docker version without a client certificate against --tlsverify=false: %v\n%s", err, out)
		}
	})
}

// testCert writes NAME-cert.pem/NAME-key.pem (or ca.pem/ca-key.pem when
// parent is nil) into dir: a small ECDSA PKI for the harness's own test,
// independent of the pki package that is tested against this harness.
func testCert(t *testing.T, dir, name string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, eku x509.ExtKeyUsage) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-5 * time.Minute),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	certFile, keyFile := name+"-cert.pem", name+"-key.pem"
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		parent, parentKey = tmpl, key
		certFile, keyFile = "ca.pem", "ca-key.pem"
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{eku}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		tmpl.DNSNames = []string{"localhost"}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, certFile), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, keyFile), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// BenchmarkStartDockerd measures a private dockerd from launch to /_ping,
// plus its teardown.
func BenchmarkStartDockerd(b *testing.B) {
	for b.Loop() {
		d := NewDockerd(b, DockerdOptions{NoTCP: true})
		if err := d.Start(); err != nil {
			b.Fatal(err)
		}
		if err := d.Stop(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStaleDockerdIsRemoved: a test process that dies without its cleanups
// (go test -timeout does that) leaves a running dockerd; the next
// NewDockerd stops it and removes its directory.
func TestStaleDockerdIsRemoved(t *testing.T) {
	if os.Getenv("DOCKERTLS_STALE_CHILD") == "1" {
		d := StartDockerd(t, DockerdOptions{NoTCP: true})
		fmt.Printf("STALE %s %d\n", d.Dir, d.Pid())
		os.Exit(0) // no cleanups, like a killed test binary
	}
	RequireRoot(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestStaleDockerdIsRemoved$")
	cmd.Env = append(os.Environ(), "DOCKERTLS_STALE_CHILD=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child test process: %v\n%s", err, out)
	}
	var dir string
	var pid int
	for _, line := range strings.Split(string(out), "\n") {
		if _, err := fmt.Sscanf(line, "STALE %s %d", &dir, &pid); err == nil {
			break
		}
	}
	if dir == "" || pid == 0 || !processAlive(pid) {
		t.Fatalf("the child left no running dockerd (dir %q, pid %d):\n%s", dir, pid, out)
	}
	t.Logf("the child left dockerd pid %d in %s", pid, dir)
	NewDockerd(t, DockerdOptions{})
	if processAlive(pid) {
		t.Errorf("the stale dockerd (pid %d) still runs", pid)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the stale directory %s is still there (stat: %v)", dir, err)
	}
}

// CertificateRefused takes the docker CLI's alert at its word, and a reset
// only when the daemon's log names the CLI's own connection.
func TestCertificateRefused(t *testing.T) {
	log := filepath.Join(t.TempDir(), "dockerd.log")
	d := &Dockerd{LogPath: log}
	const reset = `error during connect: Get "https://127.0.0.1:2376/v1.24/version": write tcp 127.0.0.1:35386->127.0.0.1:2376: write: connection reset by peer`
	if err := os.WriteFile(log, []byte("2026/12/03 13:01:02 http: TLS handshake error from 127.0.0.1:35386: tls: failed to verify certificate: x509: certificate signed by unknown authority\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if reason, ok := d.CertificateRefused(reset); !ok || !strings.Contains(reason, "unknown authority") {
		t.Errorf("reset logged by the daemon = %q, %v", reason, ok)
	}
	if _, ok := d.CertificateRefused("remote error: tls: bad certificate"); !ok {
		t.Error("the alert is not a refusal")
	}
	for _, out := range []string{"Cannot connect to the Docker daemon", "x509: certificate signed by unknown authority"} {
		if _, ok := d.CertificateRefused(out); ok {
			t.Errorf("%q taken for the daemon refusing the client", out)
		}
	}
}
