package probe

import (
	"crypto/x509"
	"strings"
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
	switch {
	case has(httpsOnlyText, "malformed HTTP response \"\\x15\\x03", "trying to connect to a TLS-enabled daemon without TLS"):
		return Explanation{Code: CodeClientNoTLS,
			Cause: "The client spoke plain HTTP to the daemon's TLS port: TLS is off on the client side, usually because DOCKER_TLS_VERIFY is not set (or the tool does not read it).",
			Fix:   "export DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH=<directory with ca.pem, cert.pem, key.pem> (eval \"$(dockertls env -f PLAN)\" sets both), or pass --tlsverify --tlscacert --tlscert --tlskey."}, true
	case has("failed to parse private key", "Make sure the key is not encrypted", "encrypted private key"):
		return *explanation(CodeClientKeyEncrypted,
			"A private key is encrypted with a passphrase. dockerd and the docker CLI need unencrypted keys (only the CA key may be encrypted).",
			"Write the key without a passphrase (openssl pkey -in key.pem -out key.pem.new, then mv it back and chmod 600), or re-issue it with dockertls apply -f PLAN."), true
	case has("no valid private key found", "failed to find any PEM data", "failed to find certificate PEM data"):
		return *explanation(CodeClientCertInvalid,
			"The client's cert.pem or key.pem is empty or not PEM (the docker CLI says \"no valid private key found\" or \"failed to find any PEM data\").",
			"Put the real files in the client's certificate directory: dockertls apply -f PLAN --step client-cert --step distribute."), true
	case has("relies on legacy Common Name field"):
		return explainServerCert(x509.HostnameError{Certificate: &x509.Certificate{}, Host: hostIn(msg)}, ev), true
	case has("certificate is valid for", "doesn't contain any IP SANs", "not valid for any names"):
		e := Explanation{Code: CodeServerSAN,
			Cause: "The name you dial is not among the names and IPs in the daemon's certificate (its subjectAltNames), so the client refuses the daemon.",
			Fix:   "Dial one of the names the certificate has, or add the dialled name to daemon.sans in the plan and re-issue the daemon certificate: dockertls apply -f PLAN --step daemon-cert --step distribute --step daemon-config."}
		if h := hostIn(msg); h != "" {
			e.Cause = "You connect to \"" + h + "\", but that is not among the names and IPs in the daemon's certificate (its subjectAltNames), so the client refuses the daemon."
		}
		return e, true
	case has("certificate signed by unknown authority"):
		return explainUnknownCA(firstOrNil(ev.ServerCerts), ev), true
	case has("client didn't provide a certificate", "certificate required"):
		ev.ClientCert, ev.CertRequested = nil, true
		return explainClientRejected(ev), true
	case has("bad certificate", "the server probably has client authentication"):
		return explainClientRejected(ev), true
	case has("incompatible key usage"):
		return explainServerCert(x509.CertificateInvalidError{Cert: firstOrNil(ev.ServerCerts), Reason: x509.IncompatibleUsage}, ev), true
	case has("has expired or is not yet valid"):
		if e := expiredInChain(firstOrNil(ev.ServerCerts), ev, ev.Now); e != nil {
			return *e, true
		}
		return Explanation{Code: CodeServerExpired,
			Cause: "A certificate has expired or is not yet valid. The message does not say which: the daemon's certificate, or the CA that signed it (an expired CA gives the same words).",
			Fix:   "Check every date: `openssl x509 -noout -subject -enddate -in FILE` for the daemon's cert.pem and for ca.pem on both sides; re-issue what expired (an expired CA means: dockertls apply -f PLAN for all steps). Check the clocks too (`timedatectl`)."}, true
	case has("insecure algorithm SHA1"):
		return explainServerCert(x509.InsecureAlgorithmError(x509.SHA1WithRSA), ev), true
	case has("private key does not match public key"):
		return *explanation(CodeClientKeyMismatch,
			"A private key does not belong to its certificate (key.pem and cert.pem come from different certificates).",
			"Put the key that was created together with the certificate next to it, or re-issue both: dockertls apply -f PLAN --step client-cert."), true
	case has("no such host", "server misbehaving"):
		return Explanation{Code: CodeDNS,
			Cause: "The daemon's name cannot be resolved to an IP address: it is misspelt, or this machine's DNS (or /etc/hosts) does not know it.",
			Fix:   "Check the spelling with `getent hosts NAME`; add the name to DNS or /etc/hosts, or dial the IP (it must be one of the certificate's SANs)."}, true
	case has("connection refused"):
		return explain(&PhaseError{Phase: PhaseDial, Err: errConnRefused}, Evidence{Address: ev.Address}), true
	case has("i/o timeout", "deadline exceeded"):
		return explainTimeout(phase, where), true
	case has("Cannot connect to the Docker daemon"):
		return explain(&PhaseError{Phase: PhaseDial, Err: errConnRefused}, Evidence{Address: ev.Address}), true
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
