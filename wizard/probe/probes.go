package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/fix"
)

// Outcome is how the daemon treated a probe.
type Outcome string

const (
	Refused  Outcome = "refused"  // the TLS handshake or the HTTP request was rejected: good
	Accepted Outcome = "accepted" // the Docker API answered: INSECURE
	Unknown  Outcome = "unknown"  // the probe could not tell (timeout, network error)
)

// Probe names, stable for tests and doctor.
const (
	ProbePlainHTTP    = "plain-http"
	ProbeNoClientCert = "tls-without-client-cert"
	ProbeForeignCA    = "throwaway-ca"
	ProbePlainPort    = "plain-port"
)

// ProbeResult is one attempt to get in without a valid client certificate.
type ProbeResult struct {
	Name    string   // one of the Probe* names
	Title   string   // what was tried, in words
	Outcome Outcome  // Refused is what a secure daemon does
	Detail  string   // what the daemon did, precisely
	Fix     fix.Text // for Accepted: what to change
}

// runProbes tries, at the same time, every way in that a secure daemon refuses.
func runProbes(ctx context.Context, addr Address, t Target) []ProbeResult {
	l := t.Localizer
	jobs := []func(context.Context) ProbeResult{
		func(ctx context.Context) ProbeResult { return probePlain(ctx, l, addr, false) },
		func(ctx context.Context) ProbeResult { return probeTLS(ctx, l, addr, nil) },
		func(ctx context.Context) ProbeResult {
			cert, err := throwawayClient(t.Now)
			if err != nil {
				return ProbeResult{Name: ProbeForeignCA, Title: l.T("probe.try.foreign_ca"), Outcome: Unknown, Detail: err.Error()}
			}
			return probeTLS(ctx, l, addr, cert)
		},
	}
	plainPort := t.PlainPort
	if plainPort == 0 {
		plainPort = DefaultPlainPort
	}
	if plainPort > 0 && plainPort != addr.Port {
		other := Address{Host: addr.Host, Port: plainPort}
		jobs = append(jobs, func(ctx context.Context) ProbeResult {
			// A firewall that drops packets to an unused port would make
			// every verify wait the full timeout: a few seconds tell enough.
			ctx, cancel := context.WithTimeout(ctx, plainPortTimeout)
			defer cancel()
			return probePlain(ctx, l, other, true)
		})
	}
	out := make([]ProbeResult, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() {
			jctx, cancel := context.WithTimeout(ctx, t.Timeout)
			defer cancel()
			out[i] = job(jctx)
		})
	}
	wg.Wait()
	return out
}

const (
	plainPortTimeout = 3 * time.Second
	httpsOnlyText    = "Client sent an HTTP request to an HTTPS server"
)

// probePlain sends GET /_ping as plain HTTP. otherPort: the probe looks for
// a forgotten unencrypted listener next to the TLS one.
func probePlain(ctx context.Context, l *i18n.Localizer, addr Address, otherPort bool) ProbeResult {
	r := ProbeResult{Name: ProbePlainHTTP, Title: l.T("probe.try.plain_http", "Address", addr.HostPort())}
	if otherPort {
		r.Name, r.Title = ProbePlainPort, l.T("probe.try.plain_port", "Port", strconv.Itoa(addr.Port))
	}
	conn, err := dialTCP(ctx, addr.HostPort())
	if err != nil {
		switch {
		case otherPort && (errors.Is(err, syscall.ECONNREFUSED) || isTimeout(err)):
			r.Outcome, r.Detail = Refused, l.T("probe.detail.nothing_answers")
		default:
			r.Outcome, r.Detail = Unknown, connectFailure(l, err)
		}
		return r
	}
	defer conn.Close()
	a, err := get(ctx, conn, bufio.NewReader(conn), addr.HostPort(), "/_ping")
	switch {
	case err != nil && isTimeout(err):
		r.Outcome, r.Detail = Unknown, l.T("probe.detail.no_answer", "Err", err.Error())
	case err != nil:
		r.Outcome, r.Detail = Refused, l.T("probe.detail.not_plain_http", "Err", err.Error())
	case a.Status == 400 && strings.Contains(string(a.Body), httpsOnlyText):
		r.Outcome, r.Detail = Refused, l.T("probe.detail.tls_only", "Status", a.Status, "Body", fmt.Sprintf("%q", strings.TrimSpace(string(a.Body))))
	default:
		r.Outcome = Accepted
		r.Detail = l.T("probe.detail.plain_accepted", "Status", a.Status, "Body", fmt.Sprintf("%q", clip(string(a.Body))))
		r.Fix = fix.Parse(l.T("probe.fix.plain_accepted"))
	}
	return r
}

// probeTLS makes a TLS connection that does not check the daemon's
// certificate (the question is what the daemon accepts) and sends cert, or
// no certificate when cert is nil, then GET /_ping.
func probeTLS(ctx context.Context, l *i18n.Localizer, addr Address, cert *tls.Certificate) ProbeResult {
	r := ProbeResult{Name: ProbeNoClientCert, Title: l.T("probe.try.no_client_cert")}
	if cert != nil {
		r.Name, r.Title = ProbeForeignCA, l.T("probe.try.foreign_ca")
	}
	cfg := &tls.Config{
		ServerName:         addr.Host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // the probe tests the daemon, not the daemon's certificate
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if cert == nil {
				return &tls.Certificate{}, nil
			}
			return cert, nil // sent although the daemon does not list its CA
		},
	}
	conn, err := dialTCP(ctx, addr.HostPort())
	if err != nil {
		r.Outcome, r.Detail = Unknown, connectFailure(l, err)
		return r
	}
	defer conn.Close()
	tc, err := handshake(ctx, conn, cfg)
	if err == nil {
		var a *answer
		a, err = get(ctx, tc, bufio.NewReader(tc), addr.HostPort(), "/_ping")
		if err == nil {
			r.Outcome = Accepted
			r.Detail = l.T("probe.detail.tls_accepted", "Status", a.Status, "Body", fmt.Sprintf("%q", clip(string(a.Body))))
			r.Fix = fix.Parse(l.T("probe.fix.tls_accepted"))
			return r
		}
	}
	var rhe tls.RecordHeaderError
	switch {
	case errors.As(err, &rhe):
		r.Outcome, r.Detail = Refused, l.T("probe.detail.not_tls", "First", fmt.Sprintf("%q", rhe.RecordHeader[:]))
	case isRemoteAlert(err):
		r.Outcome, r.Detail = Refused, l.T("probe.detail.handshake_refused", "Alert", alertText(err))
	case isTimeout(err):
		r.Outcome, r.Detail = Unknown, l.T("probe.detail.no_answer", "Err", err.Error())
	case isClosed(err):
		r.Outcome, r.Detail = Refused, l.T("probe.detail.closed", "Err", err.Error())
	default:
		r.Outcome, r.Detail = Unknown, err.Error()
	}
	return r
}

// alertText is the TLS alert of a "remote error", e.g. "tls: bad certificate".
func alertText(err error) string {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return "TLS alert: " + oe.Err.Error()
	}
	return err.Error()
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// connectFailure says in plain words why a probe could not connect; the
// words of the network stack follow in brackets for the curious.
func connectFailure(l *i18n.Localizer, err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return l.T("probe.connect.refused")
	case isTimeout(err):
		return l.T("probe.connect.timeout")
	case errors.As(err, &dnsErr):
		return l.T("probe.connect.dns", "Name", dnsErr.Name)
	}
	var sys *os.SyscallError
	if errors.As(err, &sys) {
		err = sys.Err
	}
	return l.T("probe.connect.other", "Err", err.Error())
}
