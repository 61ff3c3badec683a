package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
)

// lab is the set of real daemons the live tests talk to, started together.
type lab struct {
	ca, otherCA  *testCA
	files        string // a directory for certificate files
	secure       *testlab.Dockerd
	noServerAuth *testlab.Dockerd
	tlsOnly      *testlab.Dockerd
	plain        *testlab.Dockerd
	noClientCA   *testlab.Dockerd
	clientCert   []byte
	clientKey    []byte
}

// startLab starts five dockerds at once: mutual TLS (the server certificate
// is valid for localhost and 10.9.9.9, not 127.0.0.1), mutual TLS with a
// server certificate lacking serverAuth, TLS without client verification,
// plain TCP, and mutual TLS with an empty tlscacert.
func startLab(t *testing.T) *lab {
	t.Helper()
	l := &lab{
		ca:      newTestCA(t, "dockertls test CA"),
		otherCA: newTestCA(t, "some other CA"),
		files:   t.TempDir(),
	}
	caPath := writeFile(t, l.files, "ca.pem", l.ca.pem)
	sc, sk := l.ca.issue(t, "localhost", serverAuth(), withSANs([]string{"localhost"}, "10.9.9.9"))
	bc, bk := l.ca.issue(t, "localhost", clientAuth(), withSANs([]string{"localhost"}, "127.0.0.1"))
	l.clientCert, l.clientKey = l.ca.issue(t, "client", clientAuth())
	tlsOpts := func(name string, cert, key []byte, verify bool) *testlab.DockerdTLS {
		return &testlab.DockerdTLS{CACert: caPath, Verify: verify,
			Cert: writeFile(t, l.files, name+"-cert.pem", cert),
			Key:  writeFile(t, l.files, name+"-key.pem", key)}
	}
	l.secure = testlab.NewDockerd(t, testlab.DockerdOptions{TLS: tlsOpts("secure", sc, sk, true)})
	l.noServerAuth = testlab.NewDockerd(t, testlab.DockerdOptions{TLS: tlsOpts("nosa", bc, bk, true)})
	l.tlsOnly = testlab.NewDockerd(t, testlab.DockerdOptions{TLS: tlsOpts("tlsonly", sc, sk, false)})
	l.plain = testlab.NewDockerd(t, testlab.DockerdOptions{})
	// "tlscacert": "" starts, then checks clients against the system CAs.
	empty := tlsOpts("nocca", sc, sk, true)
	l.noClientCA = testlab.NewDockerd(t, testlab.DockerdOptions{DaemonJSON: fmt.Sprintf(
		`{"tlsverify": true, "tlscacert": "", "tlscert": %q, "tlskey": %q}`, empty.Cert, empty.Key)})
	daemons := []*testlab.Dockerd{l.secure, l.noServerAuth, l.tlsOnly, l.plain, l.noClientCA}
	errs := make([]error, len(daemons))
	var wg sync.WaitGroup
	for i, d := range daemons {
		wg.Go(func() {
			if errs[i] = d.Start(); errs[i] == nil {
				errs[i] = waitTCP(d.TCPAddr)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// waitTCP waits until the daemon's TCP listener accepts: it opens a moment
// after the unix socket the harness waits on.
func waitTCP(addr string) error {
	var err error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		var c net.Conn
		if c, err = net.DialTimeout("tcp", addr, time.Second); err == nil {
			return c.Close()
		}
		time.Sleep(25 * time.Millisecond)
	}
	return err
}

func port(d *testlab.Dockerd) string {
	_, p, _ := net.SplitHostPort(d.TCPAddr)
	return p
}

// closedPort is a loopback port nobody listens on (just released).
func closedPort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return p
}

func run(t *testing.T, target Target) *Report {
	t.Helper()
	if target.Timeout == 0 {
		target.Timeout = 15 * time.Second
	}
	if target.PlainPort == 0 {
		target.PlainPort = closedPort(t)
	}
	r, err := Run(context.Background(), target)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	t.Logf("report:\n%s", r)
	return r
}

func wantProblem(t *testing.T, r *Report, code string, mentions ...string) {
	t.Helper()
	if r.Problem == nil {
		t.Fatalf("no problem reported, want %s", code)
	}
	if r.Problem.Code != code {
		t.Fatalf("problem %s, want %s:\n%s", r.Problem.Code, code, r.Problem)
	}
	text := r.Problem.String()
	for _, m := range mentions {
		if !strings.Contains(text, m) {
			t.Errorf("explanation does not mention %q:\n%s", m, text)
		}
	}
	if r.Problem.Fix.IsZero() || r.Problem.Cause == "" {
		t.Errorf("explanation without cause or fix: %+v", r.Problem)
	}
	if r.Secure() {
		t.Error("Secure() is true for a failed connection")
	}
}

func wantProbes(t *testing.T, r *Report, want map[string]Outcome) {
	t.Helper()
	got := map[string]Outcome{}
	for _, p := range r.Probes {
		got[p.Name] = p.Outcome
	}
	for name, o := range want {
		if got[name] != o {
			t.Errorf("probe %s: %q, want %q", name, got[name], o)
		}
	}
}

// dockerCLI runs a real docker CLI against addr with the given client files,
// in an empty config so nothing of this machine's user leaks in.
func dockerCLI(t *testing.T, bin, addr string, ca, cert, key []byte, args ...string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	full := append([]string{"--tlsverify",
		"--tlscacert", writeFile(t, dir, "ca.pem", ca),
		"--tlscert", writeFile(t, dir, "cert.pem", cert),
		"--tlskey", writeFile(t, dir, "key.pem", key),
		"-H", addr}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, full...)
	cmd.Env = []string{"HOME=" + dir, "DOCKER_CONFIG=" + dir, "PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// dockerCLIs are the docker CLIs on this machine (the oracle).
func dockerCLIs(t *testing.T) []string {
	var bins []string
	for _, b := range []string{"/usr/bin/docker", "/usr/local/bin/docker"} {
		if _, err := os.Stat(b); err == nil {
			bins = append(bins, b)
		}
	}
	if len(bins) == 0 {
		testlab.Unavailable(t, "the docker CLI", "apt-get install docker.io")
	}
	return bins
}

// cliServerBlock cuts the Engine part of the Server block out of `docker version`.
func cliServerBlock(out string) string {
	var b strings.Builder
	in := false
	for line := range strings.Lines(out) {
		if strings.HasPrefix(line, "Server:") {
			in = true
		}
		if in {
			b.WriteString(line)
			if strings.HasPrefix(line, "  Experimental:") {
				break
			}
		}
	}
	return b.String()
}

// daemonLog reads a test daemon's log the way the wizard reads journalctl.
func daemonLog(d *testlab.Dockerd) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return d.Logs(), nil }
}

const newCLI = "/usr/local/bin/docker"

// cliFails runs the real docker CLI with the same files, checks that it
// fails with the words reference/docker-tls-facts.md records, and that
// Explain, given only those words (plus the daemon's latest log line when
// d is set), names the cause code. refuser is the daemon whose log tells a
// refusal that reached the CLI as a reset (TLS 1.3) from any other reset.
func cliFails(t *testing.T, addr string, ca, cert, key []byte, says, code string, d, refuser *testlab.Dockerd) {
	t.Helper()
	if _, err := os.Stat(newCLI); err != nil {
		testlab.Unavailable(t, newCLI, "install docker-ce-cli 28 at /usr/local/bin/docker")
	}
	before := 0
	if d != nil {
		before = len(ParseDaemonLog(d.Logs()))
	}
	out, err := dockerCLI(t, newCLI, addr, ca, cert, key, "version")
	if err == nil {
		t.Fatalf("the docker CLI succeeded, the fault is not real:\n%s", out)
	}
	ev := Evidence{Address: addr}
	if !strings.Contains(out, says) {
		// Under TLS 1.3 the daemon's refusal races the reset of the request
		// the client already sent: the CLI may say "connection reset by
		// peer" instead. It is the same refusal when the daemon's log says
		// so for this very connection; then the CLI's words together with
		// that log line must still explain it as a refused client.
		var reason string
		refused := false
		if refuser != nil && says == "bad certificate" {
			reason, refused = refuser.CertificateRefused(out)
		}
		if !refused {
			t.Fatalf("the docker CLI should say %q:\n%s", says, out)
		}
		ev.DaemonLog = reason
		e := Explain(errors.New(out), ev)
		if !strings.HasPrefix(string(e.Code), "client-cert") && e.Code != CodeDaemonNoClientCA {
			t.Errorf("Explain(the CLI's reset and the daemon's log %q) = %s, want a refused client certificate:\n%s", reason, e.Code, e)
		} else if d != nil && e.Code != code {
			t.Errorf("Explain(the CLI's reset and the daemon's log) = %s, want %s:\n%s", e.Code, code, e)
		}
		return
	}
	if d != nil {
		// The daemon logs its reason just after it sent the alert that
		// ended the CLI: wait for the CLI's own line (long enough for a
		// loaded machine; the line normally comes at once).
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if lines := ParseDaemonLog(d.Logs()); len(lines) > before {
				ev.DaemonLog = lines[len(lines)-1].Reason
				break
			}
		}
	}
	if e := Explain(errors.New(out), ev); e.Code != code {
		t.Errorf("Explain(the CLI's words) = %s, want %s:\n%s", e.Code, code, e)
	}
}

func TestLive(t *testing.T) {
	l := startLab(t)
	secureAddr := "tcp://localhost:" + port(l.secure)
	good := Target{Address: secureAddr, CA: l.ca.pem, Cert: l.clientCert, Key: l.clientKey}

	t.Run("secure daemon: server block equals docker version, others refused", func(t *testing.T) {
		r := run(t, good)
		if !r.Secure() || r.Insecure() || r.Problem != nil {
			t.Fatalf("want a secure report, got:\n%s", r)
		}
		wantProbes(t, r, map[string]Outcome{ProbePlainHTTP: Refused, ProbeNoClientCert: Refused, ProbeForeignCA: Refused, ProbePlainPort: Refused})
		for _, p := range r.Probes {
			if p.Name == ProbePlainHTTP && !strings.Contains(p.Detail, httpsOnlyText) {
				t.Errorf("plain HTTP probe should quote the daemon's 400 answer, got %q", p.Detail)
			}
		}
		ours := serverBlock(*r.Server)
		for _, bin := range dockerCLIs(t) {
			out, err := dockerCLI(t, bin, secureAddr, l.ca.pem, l.clientCert, l.clientKey, "version")
			if err != nil {
				t.Fatalf("%s version failed: %v\n%s", bin, err, out)
			}
			if got := cliServerBlock(out); got != ours {
				t.Errorf("Server block differs from %s:\n--- docker\n%s--- ours\n%s", bin, got, ours)
			}
		}
		h := r.Handshake
		if h == nil || !h.CertRequested || h.Version == "" || h.CipherSuite == "" || h.ClientSubject != "CN=client" {
			t.Fatalf("handshake info incomplete: %+v", h)
		}
		if strings.Join(h.SANs, ",") != "localhost,10.9.9.9" || strings.Join(h.AcceptableCAs, ",") != `"dockertls test CA"` {
			t.Errorf("SANs %v, acceptable CAs %v", h.SANs, h.AcceptableCAs)
		}
		// The test certificates live for hours: each one is flagged.
		if w := r.String(); !strings.Contains(w, "the daemon's certificate (CN=localhost)") || !strings.Contains(w, "your client certificate (CN=client)") || !strings.Contains(w, `the CA "dockertls test CA"`) {
			t.Errorf("expiry warnings:\n%s", w)
		}
		if s := r.String(); !strings.Contains(s, "✓ TLS without a client certificate: refused") || strings.Contains(s, "INSECURE") || !strings.HasPrefix(s, "Server:\n Engine:\n") {
			t.Errorf("report text:\n%s", s)
		}
	})

	t.Run("client trusts the wrong CA", func(t *testing.T) {
		target := good
		target.CA = l.otherCA.pem
		wantProblem(t, run(t, target), CodeServerUnknownCA, `"dockertls test CA"`, `"some other CA"`)
		cliFails(t, secureAddr, l.otherCA.pem, l.clientCert, l.clientKey, "certificate signed by unknown authority", CodeServerUnknownCA, nil, nil)
	})

	t.Run("dialled address not in the server certificate's SANs", func(t *testing.T) {
		target := good
		target.Address = "tcp://127.0.0.1:" + port(l.secure)
		wantProblem(t, run(t, target), CodeServerSAN, `"127.0.0.1"`, "10.9.9.9", "localhost")
		cliFails(t, target.Address, l.ca.pem, l.clientCert, l.clientKey, "not 127.0.0.1", CodeServerSAN, nil, nil)
	})

	t.Run("server certificate without serverAuth", func(t *testing.T) {
		target := good
		target.Address = "tcp://localhost:" + port(l.noServerAuth)
		wantProblem(t, run(t, target), CodeServerEKU, "serverAuth")
		cliFails(t, target.Address, l.ca.pem, l.clientCert, l.clientKey, "incompatible key usage", CodeServerEKU, nil, nil)
	})

	t.Run("client certificate without clientAuth", func(t *testing.T) {
		cert, key := l.ca.issue(t, "client", serverAuth())
		target := good
		target.Cert, target.Key, target.DaemonLog = cert, key, daemonLog(l.secure)
		wantProblem(t, run(t, target), CodeClientEKU, "clientAuth", "daemon log: tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage")
		cliFails(t, secureAddr, l.ca.pem, cert, key, "bad certificate", CodeClientEKU, l.secure, l.secure)
	})

	t.Run("client certificate from another CA", func(t *testing.T) {
		cert, key := l.otherCA.issue(t, "client", clientAuth())
		target := good
		target.Cert, target.Key, target.DaemonLog = cert, key, daemonLog(l.secure)
		wantProblem(t, run(t, target), CodeClientWrongCA, `issued by CA "some other CA"`, `only accepts client certificates from CA "dockertls test CA"`, "daemon log:")
		// The CLI withholds the certificate, so its words and the daemon's
		// ("didn't provide") point at a missing certificate: only the local
		// check against the advertised CAs (above) finds the real cause.
		cliFails(t, secureAddr, l.ca.pem, cert, key, "bad certificate", CodeClientCertMissing, l.secure, l.secure)
		if lines := ParseDaemonLog(l.secure.Logs()); !strings.Contains(lines[len(lines)-1].Reason, "didn't provide a certificate") {
			t.Errorf("the daemon should say the CLI sent no certificate:\n%s", l.secure.LogTail(3))
		}
	})

	t.Run("client certificate from a re-created CA with the same name", func(t *testing.T) {
		twin := newTestCA(t, "dockertls test CA")
		cert, key := twin.issue(t, "client", clientAuth())
		target := good
		target.Cert, target.Key = cert, key
		wantProblem(t, run(t, target), CodeClientWrongCA, "same name")
	})

	t.Run("expired client certificate", func(t *testing.T) {
		cert, key := l.ca.issue(t, "client", clientAuth(), validBetween(time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour)))
		target := good
		target.Cert, target.Key, target.DaemonLog = cert, key, daemonLog(l.secure)
		wantProblem(t, run(t, target), CodeClientExpired, "expired on", "daemon log: tls: failed to verify client certificate: x509: certificate has expired or is not yet valid")
		cliFails(t, secureAddr, l.ca.pem, cert, key, "bad certificate", CodeClientExpired, l.secure, l.secure)
	})

	t.Run("client key does not match the certificate", func(t *testing.T) {
		_, otherKey := l.ca.issue(t, "client", clientAuth())
		target := good
		target.Key = otherKey
		r := run(t, target)
		wantProblem(t, r, CodeClientKeyMismatch, "private key does not match public key")
		cliFails(t, secureAddr, l.ca.pem, l.clientCert, otherKey, "private key does not match public key", CodeClientKeyMismatch, nil, nil)
		wantProbes(t, r, map[string]Outcome{ProbePlainHTTP: Refused, ProbeNoClientCert: Refused, ProbeForeignCA: Refused})
	})

	t.Run("no client certificate", func(t *testing.T) {
		target := good
		target.Cert, target.Key, target.DaemonLog = nil, nil, daemonLog(l.secure)
		wantProblem(t, run(t, target), CodeClientCertMissing, "daemon log: tls: client didn't provide a certificate")
	})

	t.Run("docker CLI without TLS against the TLS port", func(t *testing.T) {
		for _, bin := range dockerCLIs(t) {
			dir := t.TempDir()
			cmd := exec.Command(bin, "-H", secureAddr, "version")
			cmd.Env = []string{"HOME=" + dir, "DOCKER_CONFIG=" + dir, "PATH=" + os.Getenv("PATH")}
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(out), httpsOnlyText) {
				t.Fatalf("%s without TLS: %v\n%s", bin, err, out)
			}
			if e := Explain(errors.New(string(out)), Evidence{}); e.Code != CodeClientNoTLS {
				t.Errorf("Explain(%q) = %s", out, e.Code)
			}
		}
	})

	t.Run("daemon with an empty tlscacert refuses every client", func(t *testing.T) {
		target := good
		target.Address = "tcp://localhost:" + port(l.noClientCA)
		target.DaemonLog = daemonLog(l.noClientCA)
		r := run(t, target)
		wantProblem(t, r, CodeDaemonNoClientCA, "tlscacert", "daemon log: tls: failed to verify client certificate: x509: certificate signed by unknown authority")
		wantProbes(t, r, map[string]Outcome{ProbeNoClientCert: Refused, ProbeForeignCA: Refused})
		cliFails(t, target.Address, l.ca.pem, l.clientCert, l.clientKey, "bad certificate", CodeClientRejected, nil, l.noClientCA)
	})

	t.Run("TLS without client verification is INSECURE", func(t *testing.T) {
		target := good
		target.Address = "tcp://localhost:" + port(l.tlsOnly)
		r := run(t, target)
		if r.Problem != nil || r.Server == nil {
			t.Fatalf("the mutual-TLS call itself should work: %v", r.Problem)
		}
		if !r.Insecure() || r.Secure() || r.Handshake.CertRequested {
			t.Fatalf("want INSECURE and no certificate request:\n%s", r)
		}
		wantProbes(t, r, map[string]Outcome{ProbePlainHTTP: Refused, ProbeNoClientCert: Accepted, ProbeForeignCA: Accepted})
		if s := r.String(); !strings.Contains(s, "✗ INSECURE: TLS without a client certificate") || !strings.HasPrefix(r.Verdict(), "INSECURE") {
			t.Errorf("report text:\n%s", s)
		}
	})

	t.Run("plain TCP daemon is INSECURE", func(t *testing.T) {
		target := good
		target.Address = "tcp://localhost:" + port(l.plain)
		r := run(t, target)
		wantProblem(t, r, CodeTLSOff, "plain, unencrypted HTTP")
		wantProbes(t, r, map[string]Outcome{ProbePlainHTTP: Accepted, ProbeNoClientCert: Refused, ProbeForeignCA: Refused})
		if !r.Insecure() {
			t.Fatal("a plain daemon must be reported INSECURE")
		}
	})

	t.Run("a forgotten plain listener next to the TLS port is INSECURE", func(t *testing.T) {
		target := good
		p, _ := strconv.Atoi(port(l.plain))
		target.PlainPort = p
		r := run(t, target)
		wantProbes(t, r, map[string]Outcome{ProbePlainPort: Accepted, ProbePlainHTTP: Refused})
		if r.Problem != nil || !r.Insecure() {
			t.Fatalf("want mutual TLS fine but INSECURE:\n%s", r)
		}
	})
}

func TestRunNothingListening(t *testing.T) {
	ca := newTestCA(t, "ca")
	cert, key := ca.issue(t, "client", clientAuth())
	addr := "tcp://127.0.0.1:" + strconv.Itoa(closedPort(t))
	r := run(t, Target{Address: addr, CA: ca.pem, Cert: cert, Key: key})
	wantProblem(t, r, CodeRefused, "Nothing accepts connections")
	cliFails(t, addr, ca.pem, cert, key, "Cannot connect to the Docker daemon at "+addr, CodeRefused, nil, nil)
	if len(r.Probes) != 0 {
		t.Errorf("probes should not run against an unreachable daemon: %+v", r.Probes)
	}
}

func TestRunListenerThatNeverAnswers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()
	ca := newTestCA(t, "ca")
	r := run(t, Target{Address: "tcp://" + ln.Addr().String(), CA: ca.pem, Timeout: 300 * time.Millisecond})
	wantProblem(t, r, CodeTimeoutHandshake, "no TLS answer")
	wantProbes(t, r, map[string]Outcome{ProbePlainHTTP: Unknown, ProbeNoClientCert: Unknown})
	if r.Verdict() == "" || r.Secure() {
		t.Error("a daemon that never answers is not secure")
	}
}

func TestRunRejectsAddressWithoutScheme(t *testing.T) {
	if _, err := Run(context.Background(), Target{Address: "node3:2376"}); err == nil || !strings.Contains(err.Error(), "tcp://node3:2376") {
		t.Fatalf("want an error suggesting tcp://node3:2376, got %v", err)
	}
}

func TestRunAddressWithoutPort(t *testing.T) {
	r, err := Run(context.Background(), Target{Address: "tcp://node3"})
	if err != nil {
		t.Fatal(err)
	}
	wantProblem(t, r, CodeAddress, "2375", "tcp://node3:2376")
}
