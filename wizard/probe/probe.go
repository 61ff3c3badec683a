// Package probe is the live connection test of the `verify` step: it talks
// to a Docker daemon over mutual TLS with its own small HTTP client (GET
// /_ping and /version), proves that the daemon refuses everyone else (plain
// HTTP, TLS without a client certificate, a certificate from a throwaway CA),
// and explains every failure by cause and fix. CheckEnv finds DOCKER_*
// variables that will not work.
package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/fix"
	"github.com/dockertls/dockertls/wizard/netaddr"
)

// DefaultTimeout bounds each network operation when Target.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// Target is the daemon to test and the client's files.
type Target struct {
	Address string        // what clients dial: tcp://node3:2376
	CA      []byte        // PEM: the client's ca.pem (checks the daemon's certificate)
	Cert    []byte        // PEM: the client's cert.pem (may be empty: then none is sent, like the docker CLI)
	Key     []byte        // PEM: the client's key.pem, unencrypted
	Timeout time.Duration // for each connection; zero: DefaultTimeout

	// DaemonLog, when set, returns recent daemon log text (e.g. `journalctl
	// -u docker -n 200` over SSH). It is called only after the daemon refused
	// the client, to read the daemon's own reason.
	DaemonLog func(ctx context.Context) (string, error)

	// PlainPort is where a forgotten unencrypted listener is looked for on
	// the same host: zero means 2375; negative skips that probe. Skipped
	// too when it equals the address's port.
	PlainPort int

	// Now is the time certificates are checked against; zero: time.Now().
	Now time.Time

	// Localizer is the language of the report's words; nil: English.
	Localizer *i18n.Localizer
}

// Report is what Run found.
type Report struct {
	Address   Address
	Server    *ServerVersion // nil when the mutual-TLS call failed
	Handshake *TLSInfo       // nil when no handshake completed
	Probes    []ProbeResult  // the proofs that others are refused
	Problem   *Explanation   // why the mutual-TLS call failed; nil when it worked
	Warnings  []fix.Text     // things that work today but will not for long (expiry within 30 days)

	// Fixes shows the dockertls commands in the fixes for the plan that was
	// checked; nil names the plan by the placeholder PLAN.
	Fixes *fix.Renderer

	lang *i18n.Localizer // the language String and Verdict speak
}

// Renderer is how the report's fixes name the plan file.
func (r *Report) Renderer() fix.Renderer {
	if r == nil || r.Fixes == nil {
		return fix.Renderer{Plan: "PLAN"}
	}
	return *r.Fixes
}

// Secure reports whether the client got in with its certificate and every
// probe was refused.
func (r *Report) Secure() bool {
	if r == nil || r.Problem != nil || r.Server == nil || len(r.Probes) == 0 {
		return false
	}
	for _, p := range r.Probes {
		if p.Outcome != Refused {
			return false
		}
	}
	return true
}

// Insecure reports whether any probe got an answer from the API without a
// valid client certificate.
func (r *Report) Insecure() bool {
	if r == nil {
		return false
	}
	for _, p := range r.Probes {
		if p.Outcome == Accepted {
			return true
		}
	}
	return false
}

// Run tests the daemon. It returns an error only when the address cannot be
// parsed or ctx ends; every fault of the connection is in the Report.
func Run(ctx context.Context, t Target) (*Report, error) {
	addr, err := ParseAddress(t.Address)
	if err != nil {
		return nil, err
	}
	if t.Timeout <= 0 {
		t.Timeout = DefaultTimeout
	}
	if t.Now.IsZero() {
		t.Now = time.Now()
	}
	r := &Report{Address: addr, lang: t.Localizer}
	if addr.PortDefault {
		r.Problem = &Explanation{Code: CodeAddress,
			Cause: t.Localizer.T("probe.address_no_port.cause", "Address", t.Address),
			Fix:   fix.Parse(t.Localizer.T("probe.address_no_port.fix", "Host", netaddr.New(addr.Host, 0).HostPort()))} // IPv6 in brackets
		return r, ctx.Err()
	}

	reachable := true
	cf, bad := loadClientFiles(t.Localizer, t.CA, t.Cert, t.Key)
	if bad != nil {
		r.Problem = bad
	} else {
		r.Server, r.Handshake, r.Problem = mutualTLS(ctx, addr, cf, t)
		r.Warnings = expiryWarnings(t.Localizer, cf, r.Handshake, t.Now)
		if r.Problem != nil {
			switch r.Problem.Code {
			case CodeDNS, CodeRefused, CodeUnreachable, CodeTimeoutConnect:
				reachable = false
			}
		}
	}
	if reachable {
		r.Probes = runProbes(ctx, addr, t)
	}
	return r, ctx.Err()
}

// session collects what one mutual-TLS connection saw, for the report and
// for Explain.
type session struct {
	mu            sync.Mutex
	serverCerts   []*x509.Certificate
	certRequested bool
	acceptableCAs [][]byte
	sentCert      bool
}

// mutualTLS is the real client call: handshake with the client certificate,
// GET /_ping, GET /version.
func mutualTLS(ctx context.Context, addr Address, cf *clientFiles, t Target) (*ServerVersion, *TLSInfo, *Explanation) {
	ctx, cancel := context.WithTimeout(ctx, t.Timeout)
	defer cancel()
	s := &session{}
	cfg := &tls.Config{
		ServerName:         addr.Host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced by VerifyConnection, which keeps the certificates for the diagnosis
		VerifyConnection: func(cs tls.ConnectionState) error {
			s.mu.Lock()
			s.serverCerts = cs.PeerCertificates
			s.mu.Unlock()
			return verifyServer(cs.PeerCertificates, cf.roots, addr.Host, t.Now)
		},
		GetClientCertificate: func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.certRequested = true
			s.acceptableCAs = cri.AcceptableCAs
			if cf.pair == nil {
				return &tls.Certificate{}, nil
			}
			// Sent even when it does not fit the daemon's CAs (the docker
			// CLI would withhold it) so that the daemon logs its real reason.
			s.sentCert = true
			return cf.pair, nil
		},
	}
	fail := func(err error, conn net.Conn) (*ServerVersion, *TLSInfo, *Explanation) {
		s.mu.Lock()
		ev := Evidence{
			Address: addr.String(), Host: addr.Host, ClientCAs: cf.caPEM,
			ServerCerts: s.serverCerts, CertRequested: s.certRequested,
			AcceptableCAs: s.acceptableCAs, Now: t.Now, Localizer: t.Localizer,
		}
		if s.sentCert {
			ev.ClientCert = cf.leaf
		}
		s.mu.Unlock()
		if conn != nil && t.DaemonLog != nil && (isRemoteAlert(err) || isClosed(err)) {
			ev.DaemonLog = daemonReason(ctx, t.DaemonLog, conn.LocalAddr().String())
		}
		e := Explain(err, ev)
		return nil, nil, &e
	}

	raw, err := dialTCP(ctx, addr.HostPort())
	if err != nil {
		return fail(err, nil)
	}
	defer raw.Close()
	tc, err := handshake(ctx, raw, cfg)
	if err != nil {
		return fail(err, raw)
	}
	info := tlsInfo(tc.ConnectionState(), s, t.Now, cf.leaf)
	br := bufio.NewReader(tc)
	ping, err := get(ctx, tc, br, addr.HostPort(), "/_ping")
	if err != nil {
		return fail(err, raw)
	}
	if ping.Status != 200 {
		return fail(&APIError{Path: "/_ping", Status: ping.Status, Body: string(ping.Body)}, raw)
	}
	ver, err := get(ctx, tc, br, addr.HostPort(), "/version")
	if err != nil {
		return fail(err, raw)
	}
	if ver.Status != 200 {
		return fail(&APIError{Path: "/version", Status: ver.Status, Body: string(ver.Body)}, raw)
	}
	v, err := parseVersion(ver.Body)
	if err != nil {
		return fail(err, raw)
	}
	return &v, info, nil
}

// verifyServer is the check crypto/tls would do (chain to the client's CA,
// the dialled name in the SANs, serverAuth), returning typed x509 errors.
func verifyServer(chain []*x509.Certificate, roots *x509.CertPool, host string, now time.Time) error {
	if len(chain) == 0 {
		return &ServerCertError{Err: fmt.Errorf("the daemon sent no certificate")}
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, DNSName: host, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		return &ServerCertError{Err: err}
	}
	return nil
}

// daemonReason reads the daemon log and returns its reason for refusing the
// connection from local; a log that cannot be read is said so.
//
// The daemon writes its line just after sending the alert that ended our
// connection, and journald adds its own delay: when no line names our
// address yet, read again a few times before settling for the latest line.
func daemonReason(ctx context.Context, read func(context.Context) (string, error), local string) string {
	const tries, pause = 8, 150 * time.Millisecond
	var lines []HandshakeLogLine
	for i := range tries {
		text, err := read(ctx)
		if err != nil {
			return "(could not read the daemon log: " + err.Error() + ")"
		}
		lines = ParseDaemonLog(text)
		for _, l := range lines {
			if l.Remote == local {
				return lineFor(lines, local)
			}
		}
		if i == tries-1 {
			break
		}
		select {
		case <-ctx.Done():
			return lineFor(lines, local)
		case <-time.After(pause):
		}
	}
	return lineFor(lines, local)
}
