package probe

import (
	"crypto/x509"
	"strings"

	"github.com/dockertls/dockertls/wizard/fix"
)

// explainText recognises the docker CLI's and Go's error texts (see
// reference/docker-tls-facts.md) when only words are left, e.g. the output
// of `docker version` captured by a test or by doctor.
func explainText(msg, where string, phase Phase, ev Evidence) (Explanation, bool) {
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(msg, s) {
				return true
			}
		}
		return false
	}
	l := ev.Localizer
	switch {
	case has(httpsOnlyText, "malformed HTTP response \"\\x15\\x03", "trying to connect to a TLS-enabled daemon without TLS"):
		return Explanation{Code: CodeClientNoTLS, Cause: l.T("probe.client_no_tls.cause"), Fix: fix.Parse(l.T("probe.client_no_tls.fix"))}, true
	case has("failed to parse private key", "Make sure the key is not encrypted", "encrypted private key"):
		return *explanation(CodeClientKeyEncrypted, l.T("probe.key_encrypted_text.cause"), l.T("probe.key_encrypted_text.fix")), true
	case has("no valid private key found", "failed to find any PEM data", "failed to find certificate PEM data"):
		return *explanation(CodeClientCertInvalid, l.T("probe.client_pem_text.cause"), l.T("probe.client_pem_text.fix")), true
	case has("relies on legacy Common Name field"):
		return explainServerCert(x509.HostnameError{Certificate: &x509.Certificate{}, Host: hostIn(msg)}, ev), true
	case has("certificate is valid for", "doesn't contain any IP SANs", "not valid for any names"):
		e := Explanation{Code: CodeServerSAN, Cause: l.T("probe.server_san_text.cause"), Fix: fix.Parse(l.T("probe.server_san_text.fix"))}
		if h := hostIn(msg); h != "" {
			e.Cause = l.T("probe.server_san_text.cause_host", "Host", h)
		}
		return e, true
	case has("certificate signed by unknown authority"):
		return explainUnknownCA(firstOrNil(ev.ServerCerts), ev), true
	case has("client didn't provide a certificate", "certificate required"):
		ev.ClientCert, ev.CertRequested = nil, true
		return explainClientRejected(ev), true
	case has("bad certificate", "the server probably has client authentication"):
		return explainClientRejected(ev), true
	case has("connection reset by peer", "broken pipe") && strings.Contains(ev.DaemonLog, "certificate"):
		// Under TLS 1.3 the client sends its request before the daemon has
		// checked its certificate, and the daemon's refusal can arrive as
		// a reset instead of the alert: its log says which it was.
		return explainClientRejected(ev), true
	case has("incompatible key usage"):
		return explainServerCert(x509.CertificateInvalidError{Cert: firstOrNil(ev.ServerCerts), Reason: x509.IncompatibleUsage}, ev), true
	case has("has expired or is not yet valid"):
		if e := expiredInChain(firstOrNil(ev.ServerCerts), ev, ev.Now); e != nil {
			return *e, true
		}
		return Explanation{Code: CodeServerExpired, Cause: l.T("probe.expired_text.cause"), Fix: fix.Parse(l.T("probe.expired_text.fix"))}, true
	case has("insecure algorithm SHA1"):
		return explainServerCert(x509.InsecureAlgorithmError(x509.SHA1WithRSA), ev), true
	case has("private key does not match public key"):
		return *explanation(CodeClientKeyMismatch, l.T("probe.key_mismatch_text.cause"), l.T("probe.key_mismatch_text.fix")), true
	case has("no such host", "server misbehaving"):
		return Explanation{Code: CodeDNS, Cause: l.T("probe.dns_text.cause"), Fix: fix.Parse(l.T("probe.dns_text.fix"))}, true
	case has("connection refused"):
		return explain(&PhaseError{Phase: PhaseDial, Err: errConnRefused}, Evidence{Address: ev.Address, Localizer: l}), true
	case has("i/o timeout", "deadline exceeded"):
		return explainTimeout(l, phase, where), true
	case has("Cannot connect to the Docker daemon"):
		return explain(&PhaseError{Phase: PhaseDial, Err: errConnRefused}, Evidence{Address: ev.Address, Localizer: l}), true
	}
	return Explanation{}, false
}

// hostIn finds the dialled host in Go's hostname errors: "... not 127.0.0.1",
// "cannot validate certificate for 127.0.0.1 because ...".
func hostIn(msg string) string {
	if _, rest, ok := strings.Cut(msg, "validate certificate for "); ok {
		if h, _, ok := strings.Cut(rest, " because"); ok && h != "" {
			return h
		}
	}
	if i := strings.LastIndex(msg, ", not "); i >= 0 {
		if f := strings.Fields(msg[i+len(", not "):]); len(f) > 0 {
			return strings.TrimRight(f[0], ".,;\"\n")
		}
	}
	return ""
}

func firstOrNil(cs []*x509.Certificate) *x509.Certificate {
	if len(cs) == 0 {
		return nil
	}
	return cs[0]
}
