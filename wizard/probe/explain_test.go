package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dockertls/dockertls/wizard/fix"
)

func wantCode(t *testing.T, e Explanation, code string, mentions ...string) {
	t.Helper()
	if e.Code != code {
		t.Fatalf("code %q, want %q:\n%s", e.Code, code, e)
	}
	if e.Cause == "" || e.Fix.IsZero() {
		t.Errorf("missing cause or fix: %+v", e)
	}
	for _, m := range mentions {
		if !strings.Contains(e.String(), m) {
			t.Errorf("does not mention %q:\n%s", m, e)
		}
	}
}

// serverCheck runs the real client-side check of a daemon certificate and
// explains its error, as Run does.
func serverCheck(t *testing.T, leafPEM []byte, roots []*testCA, host string) Explanation {
	t.Helper()
	leaf := mustParseCert(t, leafPEM)
	pool := x509.NewCertPool()
	var cas []*x509.Certificate
	for _, r := range roots {
		pool.AddCert(r.cert)
		cas = append(cas, r.cert)
	}
	err := verifyServer([]*x509.Certificate{leaf}, pool, host, time.Now())
	if err == nil {
		t.Fatal("the certificate passed the check")
	}
	err = &PhaseError{Phase: PhaseHandshake, Err: err}
	return Explain(err, Evidence{Address: "tcp://" + host + ":2376", Host: host, ClientCAs: cas, ServerCerts: []*x509.Certificate{leaf}})
}

func TestExplainServerCertificates(t *testing.T) {
	ca := newTestCA(t, "Docker TLS CA")
	past := validBetween(time.Now().Add(-72*time.Hour), time.Now().Add(-24*time.Hour))

	t.Run("CN only", func(t *testing.T) {
		leaf, _ := ca.issue(t, "node3", serverAuth())
		wantCode(t, serverCheck(t, leaf, []*testCA{ca}, "node3"), CodeServerCNOnly, "Common Name", "subjectAltName")
	})
	t.Run("SAN missing", func(t *testing.T) {
		leaf, _ := ca.issue(t, "node3", serverAuth(), withSANs([]string{"node3"}, "10.0.0.12"))
		wantCode(t, serverCheck(t, leaf, []*testCA{ca}, "10.0.0.13"), CodeServerSAN, "10.0.0.13", "node3, 10.0.0.12", "daemon.sans")
	})
	t.Run("expired daemon certificate", func(t *testing.T) {
		leaf, _ := ca.issue(t, "node3", serverAuth(), withSANs([]string{"node3"}), past)
		wantCode(t, serverCheck(t, leaf, []*testCA{ca}, "node3"), CodeServerExpired, `"node3"`, "expired on")
	})
	t.Run("expired CA", func(t *testing.T) {
		old := newTestCA(t, "Old CA", validBetween(time.Now().Add(-72*time.Hour), time.Now().Add(-time.Hour)))
		leaf, _ := old.issue(t, "node3", serverAuth(), withSANs([]string{"node3"}), validBetween(time.Now().Add(-2*time.Hour), time.Now().Add(time.Hour)))
		wantCode(t, serverCheck(t, leaf, []*testCA{old}, "node3"), CodeCAExpired, `CA certificate "Old CA"`, "expired on")
	})
	t.Run("no serverAuth", func(t *testing.T) {
		leaf, _ := ca.issue(t, "node3", clientAuth(), withSANs([]string{"node3"}))
		wantCode(t, serverCheck(t, leaf, []*testCA{ca}, "node3"), CodeServerEKU, "serverAuth")
	})
	t.Run("CA re-created with the same name", func(t *testing.T) {
		twin := newTestCA(t, "Docker TLS CA")
		leaf, _ := twin.issue(t, "node3", serverAuth(), withSANs([]string{"node3"}))
		wantCode(t, serverCheck(t, leaf, []*testCA{ca}, "node3"), CodeServerUnknownCA, "different CA", "fingerprint")
	})
	t.Run("another CA", func(t *testing.T) {
		other := newTestCA(t, "Other CA")
		leaf, _ := other.issue(t, "node3", serverAuth(), withSANs([]string{"node3"}))
		wantCode(t, serverCheck(t, leaf, []*testCA{ca}, "node3"), CodeServerUnknownCA, `issued by CA "Other CA"`, `ca.pem is CA "Docker TLS CA"`)
	})
	t.Run("SHA-1 signature", func(t *testing.T) {
		e := Explain(x509.InsecureAlgorithmError(x509.SHA1WithRSA), Evidence{})
		wantCode(t, e, CodeServerWeakSig, "SHA-256")
	})
}

func TestExplainNetwork(t *testing.T) {
	dial := func(err error) error { return &PhaseError{Phase: PhaseDial, Err: err} }
	ev := Evidence{Address: "tcp://node3:2376"}
	wantCode(t, Explain(dial(&net.OpError{Op: "dial", Err: &net.DNSError{Name: "node3", Err: "no such host", IsNotFound: true}}), ev), CodeDNS, `"node3"`, "getent hosts node3")
	wantCode(t, Explain(dial(&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), ev), CodeRefused, "tcp://node3:2376", "systemctl status docker")
	wantCode(t, Explain(dial(&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}), ev), CodeUnreachable, "no network route")
	wantCode(t, Explain(dial(&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}), ev), CodeUnreachable)
	wantCode(t, Explain(dial(context.DeadlineExceeded), ev), CodeTimeoutConnect, "firewall")
	wantCode(t, Explain(&PhaseError{Phase: PhaseHandshake, Err: os.ErrDeadlineExceeded}, ev), CodeTimeoutHandshake, "no TLS answer")
	wantCode(t, Explain(&PhaseError{Phase: PhaseRequest, Err: context.DeadlineExceeded}, ev), CodeTimeoutAnswer, "did not answer")
	wantCode(t, Explain(&PhaseError{Phase: PhaseHandshake, Err: errors.New("EOF")}, ev), CodeUnknown, "journalctl")
}

func TestExplainHandshakeAnswers(t *testing.T) {
	ev := Evidence{Address: "tcp://node3:2376"}
	var httpHdr, junk [5]byte
	copy(httpHdr[:], "HTTP/")
	copy(junk[:], "SSH-2")
	wantCode(t, Explain(&PhaseError{Phase: PhaseHandshake, Err: tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake", RecordHeader: httpHdr}}, ev), CodeTLSOff, "unencrypted HTTP", "tlsverify")
	wantCode(t, Explain(&PhaseError{Phase: PhaseHandshake, Err: tls.RecordHeaderError{RecordHeader: junk}}, ev), CodeNotDocker, `"SSH-2"`)
	wantCode(t, Explain(&APIError{Path: "/version", Status: 500, Body: "boom"}, ev), CodeAPIError, "HTTP 500", "boom")
	wantCode(t, Explain(errors.New("the daemon's /version answer is not the JSON the Docker API sends: x"), ev), CodeNotDocker)
	wantCode(t, Explain(&PhaseError{Phase: PhaseHandshake, Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}, ev), CodeClosed, "closed the connection")
	// The docker CLI's own words for a wrong key pairing.
	wantCode(t, Explain(errors.New("could not load X509 key pair: tls: private key does not match public key"), ev), CodeClientKeyMismatch)
	if e := Explain(nil, ev); e.Code != "" {
		t.Errorf("nil error explained as %+v", e)
	}
}

func TestExplainClientRejected(t *testing.T) {
	ca := newTestCA(t, "Docker TLS CA")
	alert := &PhaseError{Phase: PhaseRequest, Err: &net.OpError{Op: "remote error", Err: errors.New("tls: bad certificate")}}
	fine, _ := ca.issue(t, "client", clientAuth())
	future, _ := ca.issue(t, "client", clientAuth(), validBetween(time.Now().Add(24*time.Hour), time.Now().Add(48*time.Hour)))
	base := Evidence{Address: "tcp://node3:2376", ClientCAs: []*x509.Certificate{ca.cert}, CertRequested: true, AcceptableCAs: [][]byte{ca.cert.RawSubject}}

	ev := base
	ev.ClientCert = mustParseCert(t, future)
	wantCode(t, Explain(alert, ev), CodeClientNotYetValid, "clock")

	ev = base
	ev.ClientCert = mustParseCert(t, fine)
	wantCode(t, Explain(alert, ev), CodeClientRejected, "journalctl", "fingerprint")

	ev.DaemonLog = "tls: failed to verify client certificate: x509: certificate signed by unknown authority"
	wantCode(t, Explain(alert, ev), CodeClientWrongCA, "same name", "daemon log: tls: failed")

	ev.DaemonLog = "tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage"
	wantCode(t, Explain(alert, ev), CodeClientEKU)

	ev.DaemonLog = "tls: failed to verify client certificate: x509: certificate has expired or is not yet valid: current time"
	wantCode(t, Explain(alert, ev), CodeClientExpired, "clocks")

	ev = base
	wantCode(t, Explain(alert, ev), CodeClientCertMissing, "DOCKER_CERT_PATH")
}

func TestLoadClientFiles(t *testing.T) {
	ca := newTestCA(t, "Docker TLS CA")
	cert, key := ca.issue(t, "client", clientAuth())
	_, otherKey := ca.issue(t, "client", clientAuth())
	legacy := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"}, Bytes: []byte("not really")})
	pkcs8 := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("not really")})
	cases := []struct {
		name            string
		ca, cert, key   []byte
		code            string
		noCert, hasPair bool
	}{
		{"complete", ca.pem, cert, key, "", false, true},
		{"no cert: like the docker CLI, connect without", ca.pem, nil, key, "", true, false},
		{"no key", ca.pem, cert, nil, "", true, false},
		{"no CA", nil, cert, key, CodeClientCAMissing, false, false},
		{"CA not PEM", []byte("hello"), cert, key, CodeClientCAInvalid, false, false},
		{"cert not PEM", ca.pem, []byte("hello"), key, CodeClientCertInvalid, false, false},
		{"key mismatch", ca.pem, cert, otherKey, CodeClientKeyMismatch, false, false},
		{"legacy encrypted key", ca.pem, cert, legacy, CodeClientKeyEncrypted, false, false},
		{"PKCS#8 encrypted key", ca.pem, cert, pkcs8, CodeClientKeyEncrypted, false, false},
		{"key not PEM", ca.pem, cert, []byte("junk"), CodeClientCertInvalid, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cf, e := loadClientFiles(nil, c.ca, c.cert, c.key)
			if c.code != "" {
				if e == nil || e.Code != c.code {
					t.Fatalf("got %+v, want %s", e, c.code)
				}
				return
			}
			if e != nil {
				t.Fatalf("unexpected problem: %s", e)
			}
			if cf.noCert != c.noCert || (cf.pair != nil) != c.hasPair {
				t.Fatalf("noCert %v pair %v", cf.noCert, cf.pair != nil)
			}
		})
	}
}

func TestVersionParsingAndBuilt(t *testing.T) {
	v, err := parseVersion([]byte(`{"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","GitCommit":"5d6db84","GoVersion":"go1.19.8","Os":"linux","Arch":"amd64","BuildTime":"2026-05-07T21:09:36.000000000+00:00"}`))
	if err != nil {
		t.Fatal(err)
	}
	if v.Built() != "Thu May  7 21:09:36 2026" {
		t.Errorf("Built() = %q", v.Built())
	}
	if _, err := parseVersion([]byte(`{"message":"page not found"}`)); err == nil {
		t.Error("a non-Docker answer was accepted")
	}
	if _, err := parseVersion([]byte(`<html>`)); err == nil {
		t.Error("HTML was accepted")
	}
	if (ServerVersion{BuildTime: "yesterday"}).Built() != "yesterday" {
		t.Error("an unparsable build time should be shown as sent")
	}
}

func TestVerdicts(t *testing.T) {
	a := Address{Host: "node3", Port: 2376}
	v := &ServerVersion{Version: "20.10"}
	refused := ProbeResult{Name: ProbePlainHTTP, Title: "plain", Outcome: Refused, Detail: "400"}
	cases := []struct {
		r      *Report
		prefix string
		secure bool
	}{
		{&Report{Address: a, Server: v, Probes: []ProbeResult{refused}}, "OK:", true},
		{&Report{Address: a, Server: v, Probes: []ProbeResult{refused, {Title: "x", Outcome: Unknown}}}, "UNSURE:", false},
		{&Report{Address: a, Server: v, Probes: []ProbeResult{{Title: "x", Outcome: Accepted, Fix: fix.Words("fix it")}}}, "INSECURE:", false},
		{&Report{Address: a, Problem: &Explanation{Code: CodeRefused, Cause: "c", Fix: fix.Words("f")}}, "FAILED:", false},
		{&Report{Address: a, Server: v}, "UNSURE:", false},
	}
	for _, c := range cases {
		if got := c.r.Verdict(); !strings.HasPrefix(got, c.prefix) || c.r.Secure() != c.secure {
			t.Errorf("Verdict %q Secure %v, want %s %v", got, c.r.Secure(), c.prefix, c.secure)
		}
		if !strings.HasSuffix(c.r.String(), c.r.Verdict()+"\n") {
			t.Errorf("String does not end with the verdict:\n%s", c.r)
		}
	}
	var nilReport *Report
	if nilReport.Secure() || nilReport.Insecure() || nilReport.String() != "" {
		t.Error("nil report")
	}
}

// The docker CLI's words from reference/docker-tls-facts.md, explained with
// no other evidence.
func TestExplainCLIWords(t *testing.T) {
	cases := []struct{ says, code, mention string }{
		{"Error response from daemon: Client sent an HTTP request to an HTTPS server.", CodeClientNoTLS, "DOCKER_TLS_VERIFY"},
		{`error during connect: Get "http://node3:2376/v1.24/version": malformed HTTP response "\x15\x03\x01\x00\x02\x02". * Are you trying to connect to a TLS-enabled daemon without TLS?`, CodeClientNoTLS, ""},
		{"error during connect: Get \"https://node3:2376/v1.24/version\": remote error: tls: bad certificate", CodeClientRejected, "journalctl"},
		{"x509: certificate signed by unknown authority", CodeServerUnknownCA, "ca.pem"},
		{"x509: certificate is valid for 10.9.9.9, not 127.0.0.1", CodeServerSAN, `"127.0.0.1"`},
		{"x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs", CodeServerSAN, `"127.0.0.1"`},
		{"x509: certificate relies on legacy Common Name field, use SANs instead", CodeServerCNOnly, "subjectAltName"},
		{"x509: certificate specifies an incompatible key usage", CodeServerEKU, "serverAuth"},
		{"x509: certificate has expired or is not yet valid: current time 2026-01-01T00:00:00Z is after 2025-01-01T00:00:00Z", CodeServerExpired, "CA"},
		{"x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)", CodeServerWeakSig, "SHA-256"},
		{"tls: private key does not match public key", CodeClientKeyMismatch, ""},
		{"failed to parse private key. Make sure the key is not encrypted.", CodeClientKeyEncrypted, "passphrase"},
		{"dial tcp: lookup node3 on 10.0.0.1:53: no such host", CodeDNS, "getent"},
		{"dial tcp 10.0.0.12:2376: i/o timeout", CodeTimeoutConnect, "firewall"},
		{"Cannot connect to the Docker daemon at tcp://node3:2376. Is the docker daemon running?", CodeRefused, "systemctl"},
		{"tls: client didn't provide a certificate", CodeClientCertMissing, "cert.pem"},
	}
	for _, c := range cases {
		e := Explain(errors.New(c.says), Evidence{Address: "tcp://node3:2376"})
		if e.Code != c.code {
			t.Errorf("Explain(%q) = %s, want %s", c.says, e.Code, c.code)
			continue
		}
		if c.mention != "" && !strings.Contains(e.String(), c.mention) {
			t.Errorf("Explain(%q) does not mention %q:\n%s", c.says, c.mention, e)
		}
	}
}

func TestHostIn(t *testing.T) {
	for msg, want := range map[string]string{
		"x509: certificate is valid for a, b, not 127.0.0.1":                        "127.0.0.1",
		`Get "https://x": x509: certificate is valid for a, not node4.`:             "node4",
		"x509: cannot validate certificate for 10.0.0.1 because it doesn't contain": "10.0.0.1",
		"nothing here": "",
	} {
		if got := hostIn(msg); got != want {
			t.Errorf("hostIn(%q) = %q, want %q", msg, got, want)
		}
	}
}

func FuzzExplain(f *testing.F) {
	f.Add("x509: certificate is valid for a, not b")
	f.Add("remote error: tls: bad certificate")
	f.Fuzz(func(t *testing.T, msg string) {
		e := Explain(errors.New(msg), Evidence{})
		if e.Code == "" || e.Cause == "" || e.Fix.IsZero() {
			t.Fatalf("incomplete explanation for %q: %+v", msg, e)
		}
	})
}

func TestExpiryWarnings(t *testing.T) {
	long := validBetween(time.Now().Add(-time.Hour), time.Now().Add(400*24*time.Hour))
	ca := newTestCA(t, "CA", long)
	cert, key := ca.issue(t, "client", clientAuth(), long)
	cf, bad := loadClientFiles(nil, ca.pem, cert, key)
	if bad != nil {
		t.Fatal(bad)
	}
	h := &TLSInfo{ServerSubject: "CN=node3", NotAfter: time.Now().Add(400 * 24 * time.Hour)}
	if w := expiryWarnings(nil, cf, h, time.Now()); len(w) != 0 {
		t.Errorf("long-lived certificates flagged: %v", w)
	}
	h.NotAfter = time.Now().Add(10*24*time.Hour + time.Hour)
	w := expiryWarnings(nil, cf, h, time.Now())
	if len(w) != 1 || !strings.Contains(w[0].String(), "CN=node3") || !strings.Contains(w[0].String(), "in 10 days") {
		t.Errorf("want one warning for the daemon's certificate: %v", w)
	}
}

// A refusal that reached the docker CLI as a reset (TLS 1.3: the daemon's
// alert lost the race with the reset of the request the client had already
// sent) is explained from the daemon's log line; a reset the daemon did not
// log as a certificate refusal is not called one.
func TestExplainResetWithTheDaemonsWords(t *testing.T) {
	reset := `error during connect: Get "https://127.0.0.1:2376/v1.24/version": write tcp 127.0.0.1:35386->127.0.0.1:2376: write: connection reset by peer`
	for log, code := range map[string]string{
		"tls: failed to verify certificate: x509: certificate specifies an incompatible key usage": CodeClientEKU,
		"tls: client didn't provide a certificate":                                                 CodeClientCertMissing,
		"tls: failed to verify certificate: x509: certificate signed by unknown authority":         CodeClientWrongCA,
	} {
		if e := Explain(errors.New(reset), Evidence{DaemonLog: log}); e.Code != code {
			t.Errorf("reset with the daemon's log %q = %s, want %s", log, e.Code, code)
		}
	}
	if e := Explain(errors.New(reset), Evidence{}); strings.HasPrefix(e.Code, "client-cert") {
		t.Errorf("a reset without the daemon's word = %s, want no certificate verdict", e.Code)
	}
}
