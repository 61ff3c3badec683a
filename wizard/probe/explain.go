package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/fix"
)

// Evidence is what Explain may use besides the error itself. Every field is
// optional: the more is known, the more precise the explanation.
type Evidence struct {
	Address       string              // as dialled: tcp://host:port
	Host          string              // the name checked against the daemon certificate's SANs
	ClientCAs     []*x509.Certificate // the client's ca.pem
	ClientCert    *x509.Certificate   // the client certificate that was sent; nil: none was sent
	ServerCerts   []*x509.Certificate // what the daemon presented, also when it failed the check
	CertRequested bool                // the daemon asked for a client certificate
	AcceptableCAs [][]byte            // DER subjects of the CAs the daemon accepts client certificates from
	DaemonLog     string              // the daemon's log line about this connection, when known
	Now           time.Time           // zero: time.Now()
	Localizer     *i18n.Localizer     // the language of the explanation; nil: English
}

// errConnRefused stands for ECONNREFUSED when only the words are known.
const errConnRefused = syscall.ECONNREFUSED

// ServerCertError is returned when the daemon's certificate fails the
// client-side check; Err is the crypto/x509 error.
type ServerCertError struct{ Err error }

func (e *ServerCertError) Error() string {
	return "the daemon's certificate was not accepted: " + e.Err.Error()
}
func (e *ServerCertError) Unwrap() error { return e.Err }

// APIError is an HTTP answer other than 200 from the Docker API.
type APIError struct {
	Path   string
	Status int
	Body   string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("GET %s answered %d: %s", e.Path, e.Status, strings.TrimSpace(e.Body))
}

// Explain turns a connection error into a cause and a fix. err may come from
// Run's own calls (best) or be any error of the docker CLI or Go client.
func Explain(err error, ev Evidence) Explanation {
	if err == nil {
		return Explanation{}
	}
	if ev.Now.IsZero() {
		ev.Now = time.Now()
	}
	e := explain(err, ev)
	l := ev.Localizer
	e.Evidence = append([]string{l.T("probe.evidence.error", "Err", err.Error())}, e.Evidence...)
	if ev.DaemonLog != "" {
		e.Evidence = append(e.Evidence, l.T("probe.evidence.daemon_log", "Log", ev.DaemonLog))
	}
	return e
}

func explain(err error, ev Evidence) Explanation {
	l := ev.Localizer
	where := ev.Address
	if where == "" {
		where = l.T("probe.where_daemon")
	}
	var (
		pe     *PhaseError
		sce    *ServerCertError
		dnsErr *net.DNSError
		rhe    tls.RecordHeaderError
		apiErr *APIError
	)
	phase := Phase("")
	if errors.As(err, &pe) {
		phase = pe.Phase
	}
	msg := err.Error()
	switch {
	case errors.As(err, &sce):
		return explainServerCert(sce.Err, ev)
	case isX509(err):
		return explainServerCert(err, ev)
	case errors.As(err, &dnsErr):
		return Explanation{Code: CodeDNS,
			Cause: l.T("probe.dns.cause", "Name", dnsErr.Name, "Where", where, "Err", dnsErr.Err),
			Fix:   fix.Parse(l.T("probe.dns.fix", "Name", dnsErr.Name))}
	case errors.Is(err, syscall.ECONNREFUSED):
		return Explanation{Code: CodeRefused,
			Cause: l.T("probe.refused.cause", "Where", where),
			Fix:   fix.Parse(l.T("probe.refused.fix"))}
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return Explanation{Code: CodeUnreachable,
			Cause: l.T("probe.unreachable.cause", "Where", where),
			Fix:   fix.Parse(l.T("probe.unreachable.fix"))}
	case isTimeout(err):
		return explainTimeout(l, phase, where)
	case errors.As(err, &rhe):
		return explainNotTLS(l, rhe, where)
	case errors.As(err, &apiErr):
		return Explanation{Code: CodeAPIError,
			Cause: l.T("probe.api_error.cause", "Path", apiErr.Path, "Status", apiErr.Status, "Body", strings.TrimSpace(apiErr.Body)),
			Fix:   fix.Parse(l.T("probe.api_error.fix"))}
	case strings.Contains(msg, "private key does not match public key"):
		return Explanation{Code: CodeClientKeyMismatch,
			Cause: l.T("probe.key_mismatch.cause"),
			Fix:   fix.Parse(l.T("probe.key_mismatch.fix"))}
	case strings.Contains(msg, "does not look like a Docker daemon"), strings.Contains(msg, "not the JSON the Docker API sends"):
		return Explanation{Code: CodeNotDocker,
			Cause: l.T("probe.not_docker.cause", "Where", where),
			Fix:   fix.Parse(l.T("probe.not_docker.fix"))}
	case phase == PhaseHandshake || phase == PhaseRequest:
		if isRemoteAlert(err) || isClosed(err) {
			if ev.CertRequested || ev.ClientCert != nil || isRemoteAlert(err) {
				return explainClientRejected(ev)
			}
			return Explanation{Code: CodeClosed,
				Cause: l.T("probe.closed.cause", "Where", where),
				Fix:   fix.Parse(l.T("probe.closed.fix"))}
		}
	}
	if e, ok := explainText(msg, where, phase, ev); ok {
		return e
	}
	return Explanation{Code: CodeUnknown,
		Cause: l.T("probe.unknown.cause", "Where", where, "Err", err),
		Fix:   fix.Parse(l.T("probe.unknown.fix"))}
}

func explainTimeout(l *i18n.Localizer, phase Phase, where string) Explanation {
	switch phase {
	case PhaseHandshake:
		return Explanation{Code: CodeTimeoutHandshake,
			Cause: l.T("probe.timeout_handshake.cause", "Where", where),
			Fix:   fix.Parse(l.T("probe.timeout_handshake.fix"))}
	case PhaseRequest:
		return Explanation{Code: CodeTimeoutAnswer,
			Cause: l.T("probe.timeout_answer.cause", "Where", where),
			Fix:   fix.Parse(l.T("probe.timeout_answer.fix"))}
	default:
		return Explanation{Code: CodeTimeoutConnect,
			Cause: l.T("probe.timeout_connect.cause", "Where", where),
			Fix:   fix.Parse(l.T("probe.timeout_connect.fix"))}
	}
}

func explainNotTLS(l *i18n.Localizer, rhe tls.RecordHeaderError, where string) Explanation {
	first := fmt.Sprintf("%q", rhe.RecordHeader[:])
	if strings.HasPrefix(string(rhe.RecordHeader[:]), "HTTP/") {
		return Explanation{Code: CodeTLSOff,
			Cause:    l.T("probe.tls_off.cause", "Where", where),
			Fix:      fix.Parse(l.T("probe.tls_off.fix")),
			Evidence: []string{l.T("probe.tls_off.evidence", "First", first)}}
	}
	return Explanation{Code: CodeNotDocker,
		Cause: l.T("probe.not_tls.cause", "Where", where, "First", first),
		Fix:   fix.Parse(l.T("probe.not_tls.fix"))}
}

// explainClientRejected decides why the daemon refused the client: local
// checks of the client certificate first, then the daemon's own words.
func explainClientRejected(ev Evidence) Explanation {
	l := ev.Localizer
	if ev.CertRequested && len(ev.AcceptableCAs) == 0 && ev.ClientCert != nil {
		return Explanation{Code: CodeDaemonNoClientCA,
			Cause:    l.T("probe.daemon_no_client_ca.cause"),
			Fix:      fix.Parse(l.T("probe.daemon_no_client_ca.fix")),
			Evidence: []string{l.T("probe.daemon_no_client_ca.evidence")}}
	}
	if e := checkClientCert(ev); e != nil {
		return *e
	}
	log := ev.DaemonLog
	switch {
	case strings.Contains(log, "incompatible key usage"):
		return clientEKU(l, ev.ClientCert)
	case strings.Contains(log, "expired or is not yet valid"):
		return Explanation{Code: CodeClientExpired,
			Cause: l.T("probe.client_expired_log.cause"),
			Fix:   fix.Parse(l.T("probe.client_expired_log.fix"))}
	case strings.Contains(log, "unknown authority"):
		return Explanation{Code: CodeClientWrongCA,
			Cause: l.T("probe.client_wrong_ca_log.cause"),
			Fix:   fix.Parse(l.T("probe.client_wrong_ca_log.fix"))}
	case strings.Contains(log, "didn't provide a certificate"), ev.ClientCert == nil && ev.CertRequested:
		return Explanation{Code: CodeClientCertMissing,
			Cause: l.T("probe.client_cert_missing.cause"),
			Fix:   fix.Parse(l.T("probe.client_cert_missing.fix"))}
	}
	return Explanation{Code: CodeClientRejected,
		Cause: l.T("probe.client_rejected.cause"),
		Fix:   fix.Parse(l.T("probe.client_rejected.fix"))}
}

// checkClientCert finds what is wrong with the client certificate by itself.
func checkClientCert(ev Evidence) *Explanation {
	c := ev.ClientCert
	if c == nil {
		return nil
	}
	l, now := ev.Localizer, ev.Now
	if len(ev.AcceptableCAs) > 0 && !issuedByOneOf(c, ev.AcceptableCAs) {
		return &Explanation{Code: CodeClientWrongCA,
			Cause:    l.T("probe.client_wrong_ca.cause", "Cert", certName(c), "Issuer", issuerName(c), "Accepted", rawDNNames(ev.AcceptableCAs)),
			Fix:      fix.Parse(l.T("probe.client_wrong_ca.fix")),
			Evidence: []string{l.T("probe.client_wrong_ca.evidence", "Accepted", rawDNNames(ev.AcceptableCAs))}}
	}
	if now.After(c.NotAfter) {
		return &Explanation{Code: CodeClientExpired,
			Cause: l.T("probe.client_expired.cause", "Cert", certName(c), "Date", day(c.NotAfter)),
			Fix:   fix.Parse(l.T("probe.client_expired.fix"))}
	}
	if now.Before(c.NotBefore) {
		return &Explanation{Code: CodeClientNotYetValid,
			Cause: l.T("probe.client_not_yet_valid.cause", "Cert", certName(c), "From", day(c.NotBefore), "Now", day(now)),
			Fix:   fix.Parse(l.T("probe.client_not_yet_valid.fix"))}
	}
	if !hasEKU(c, x509.ExtKeyUsageClientAuth) {
		e := clientEKU(l, c)
		return &e
	}
	for _, ca := range ev.ClientCAs {
		if string(ca.RawSubject) == string(c.RawIssuer) && c.CheckSignatureFrom(ca) != nil {
			return &Explanation{Code: CodeClientWrongCA,
				Cause: l.T("probe.client_ca_twin.cause", "Issuer", issuerName(c)),
				Fix:   fix.Parse(l.T("probe.client_ca_twin.fix"))}
		}
	}
	return nil
}

func clientEKU(l *i18n.Localizer, c *x509.Certificate) Explanation {
	cause := l.T("probe.client_eku.cause")
	if c != nil {
		cause = l.T("probe.client_eku.cause_named", "Cert", certName(c))
	}
	return Explanation{Code: CodeClientEKU, Cause: cause, Fix: fix.Parse(l.T("probe.client_eku.fix"))}
}

// explainServerCert explains why the daemon's certificate failed our check.
func explainServerCert(err error, ev Evidence) Explanation {
	var leaf *x509.Certificate
	if len(ev.ServerCerts) > 0 {
		leaf = ev.ServerCerts[0]
	}
	var (
		ua  x509.UnknownAuthorityError
		he  x509.HostnameError
		ci  x509.CertificateInvalidError
		ia  x509.InsecureAlgorithmError
		now = ev.Now
		l   = ev.Localizer
	)
	if e := expiredInChain(leaf, ev, now); e != nil && (errors.As(err, &ua) || (errors.As(err, &ci) && ci.Reason == x509.Expired)) {
		return *e
	}
	switch {
	case errors.As(err, &he):
		c := he.Certificate
		if c != nil && len(c.DNSNames) == 0 && len(c.IPAddresses) == 0 {
			return Explanation{Code: CodeServerCNOnly,
				Cause: l.T("probe.server_cn_only.cause", "Cert", certName(c)),
				Fix:   fix.Parse(l.T("probe.server_cn_only.fix"))}
		}
		var sans []string
		if c != nil {
			sans = sanList(c)
		}
		return Explanation{Code: CodeServerSAN,
			Cause:    l.T("probe.server_san.cause", "Host", he.Host, "SANs", strings.Join(sans, ", ")),
			Fix:      fix.Parse(l.T("probe.server_san.fix", "Host", he.Host)),
			Evidence: []string{l.T("probe.server_san.evidence", "SANs", strings.Join(sans, ", "))}}
	case errors.As(err, &ua):
		return explainUnknownCA(leaf, ev)
	case errors.As(err, &ia):
		return Explanation{Code: CodeServerWeakSig,
			Cause: l.T("probe.server_weak_sig.cause"),
			Fix:   fix.Parse(l.T("probe.server_weak_sig.fix"))}
	case errors.As(err, &ci) && ci.Reason == x509.IncompatibleUsage:
		return Explanation{Code: CodeServerEKU,
			Cause: l.T("probe.server_eku.cause", "Cert", certName(ci.Cert)),
			Fix:   fix.Parse(l.T("probe.server_eku.fix"))}
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return Explanation{Code: CodeServerExpired,
			Cause: l.T("probe.server_chain_expired.cause"),
			Fix:   fix.Parse(l.T("probe.server_chain_expired.fix"))}
	}
	return Explanation{Code: CodeServerCertInvalid,
		Cause: l.T("probe.server_cert_invalid.cause", "Err", err.Error()),
		Fix:   fix.Parse(l.T("probe.server_cert_invalid.fix"))}
}

// expiredInChain names the expired certificate among the daemon's chain and
// the client's CAs: the client's words ("expired or is not yet valid", or
// "unknown authority") do not say which one it was.
func expiredInChain(leaf *x509.Certificate, ev Evidence, now time.Time) *Explanation {
	l := ev.Localizer
	if leaf != nil && (now.After(leaf.NotAfter) || now.Before(leaf.NotBefore)) {
		return &Explanation{Code: CodeServerExpired,
			Cause: l.T("probe.server_expired.cause", "Cert", certName(leaf), "Validity", validity(l, leaf, now)),
			Fix:   fix.Parse(l.T("probe.server_expired.fix"))}
	}
	for _, ca := range append(slices.Clone(ev.ServerCerts[min(1, len(ev.ServerCerts)):]), ev.ClientCAs...) {
		related := leaf == nil || string(ca.RawSubject) == string(leaf.RawIssuer)
		if related && (now.After(ca.NotAfter) || now.Before(ca.NotBefore)) {
			return &Explanation{Code: CodeCAExpired,
				Cause: l.T("probe.ca_expired.cause", "Cert", certName(ca), "Validity", validity(l, ca, now)),
				Fix:   fix.Parse(l.T("probe.ca_expired.fix"))}
		}
	}
	return nil
}

func explainUnknownCA(leaf *x509.Certificate, ev Evidence) Explanation {
	l := ev.Localizer
	if leaf == nil {
		return Explanation{Code: CodeServerUnknownCA,
			Cause: l.T("probe.server_unknown_ca.cause_bare"),
			Fix:   fix.Parse(l.T("probe.server_unknown_ca.fix_bare"))}
	}
	var yours []string
	for _, ca := range ev.ClientCAs {
		yours = append(yours, certName(ca))
	}
	cause := l.T("probe.server_unknown_ca.cause", "Cert", certName(leaf), "Issuer", issuerName(leaf), "Yours", strings.Join(yours, ", "))
	for _, ca := range ev.ClientCAs {
		if string(ca.RawSubject) == string(leaf.RawIssuer) {
			cause = l.T("probe.server_unknown_ca.cause_twin", "Cert", certName(leaf), "Issuer", issuerName(leaf))
		}
	}
	if leaf.Issuer.String() == leaf.Subject.String() {
		cause = l.T("probe.server_unknown_ca.cause_self_signed", "Cert", certName(leaf))
	}
	return Explanation{Code: CodeServerUnknownCA, Cause: cause, Fix: fix.Parse(l.T("probe.server_unknown_ca.fix"))}
}

func hasEKU(c *x509.Certificate, want x509.ExtKeyUsage) bool {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return true // no EKU extension: Go's verifier accepts any use
	}
	return slices.Contains(c.ExtKeyUsage, want) || slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageAny)
}

func isX509(err error) bool {
	var (
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ci x509.CertificateInvalidError
		ia x509.InsecureAlgorithmError
	)
	return errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci) || errors.As(err, &ia)
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// isRemoteAlert reports a TLS alert sent by the daemon ("remote error: tls: bad certificate").
func isRemoteAlert(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "remote error"
}

func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}
