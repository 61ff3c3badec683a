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
	e.Evidence = append([]string{"error: " + err.Error()}, e.Evidence...)
	if ev.DaemonLog != "" {
		e.Evidence = append(e.Evidence, "daemon log: "+ev.DaemonLog)
	}
	return e
}

func explain(err error, ev Evidence) Explanation {
	where := ev.Address
	if where == "" {
		where = "the daemon"
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
			Cause: fmt.Sprintf("The name %q in %s cannot be resolved to an IP address (%s). Either it is misspelt, or this machine's DNS (or /etc/hosts) does not know it.", dnsErr.Name, where, dnsErr.Err),
			Fix:   fmt.Sprintf("Check the spelling; try `getent hosts %s`. Add the name to DNS or /etc/hosts, or use the daemon's IP address instead (it must then be one of the certificate's SANs).", dnsErr.Name)}
	case errors.Is(err, syscall.ECONNREFUSED):
		return Explanation{Code: CodeRefused,
			Cause: fmt.Sprintf("Nothing accepts connections on %s: the machine answered, but no program listens on that port. The Docker daemon is stopped, failed to start (often a daemon.json mistake), or listens on another port or address.", where),
			Fix:   "On the daemon node: `systemctl status docker` and `journalctl -u docker -n 50` show whether it runs and why it stopped; `ss -ltnp | grep dockerd` shows the ports it listens on. Its `hosts` must include tcp://0.0.0.0:PORT (or the node's address) with the port you dial."}
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return Explanation{Code: CodeUnreachable,
			Cause: fmt.Sprintf("%s cannot be reached from this machine: there is no network route to it (host or network unreachable).", where),
			Fix:   "Check that the node is up and on a network this machine can reach (`ping`, `ip route get ADDRESS`), and that the address is the right one."}
	case isTimeout(err):
		return explainTimeout(phase, where)
	case errors.As(err, &rhe):
		return explainNotTLS(rhe, where)
	case errors.As(err, &apiErr):
		return Explanation{Code: CodeAPIError,
			Cause: fmt.Sprintf("The TLS connection works, but the Docker API answered GET %s with HTTP %d (%s).", apiErr.Path, apiErr.Status, strings.TrimSpace(apiErr.Body)),
			Fix:   "Look at the daemon log (`journalctl -u docker -n 50` on the node); a proxy in front of the daemon may also answer this."}
	case strings.Contains(msg, "private key does not match public key"):
		return *explanation(CodeClientKeyMismatch,
			"The client's private key (key.pem) does not belong to its certificate (cert.pem): the two files come from different certificates.",
			"Put the key that was created together with cert.pem next to it, or re-issue both: dockertls apply -f PLAN --step client-cert.")
	case strings.Contains(msg, "does not look like a Docker daemon"), strings.Contains(msg, "not the JSON the Docker API sends"):
		return Explanation{Code: CodeNotDocker,
			Cause: fmt.Sprintf("Something answers HTTPS on %s, but it is not the Docker API.", where),
			Fix:   "Check the port: the daemon's TLS port is usually 2376. `ss -ltnp` on the node shows which program owns the port."}
	case phase == PhaseHandshake || phase == PhaseRequest:
		if isRemoteAlert(err) || isClosed(err) {
			if ev.CertRequested || ev.ClientCert != nil || isRemoteAlert(err) {
				return explainClientRejected(ev)
			}
			return Explanation{Code: CodeClosed,
				Cause: fmt.Sprintf("%s closed the connection during the TLS handshake without saying why. The program on that port may not be the Docker daemon, or a firewall or proxy cuts TLS connections.", where),
				Fix:   "Check which program listens on the port (`ss -ltnp` on the node) and that no proxy is in between."}
		}
	}
	if e, ok := explainText(msg, where, phase, ev); ok {
		return e
	}
	return Explanation{Code: CodeUnknown,
		Cause: fmt.Sprintf("The connection to %s failed in a way dockertls does not recognise: %v.", where, err),
		Fix:   "Read the error above and the daemon log (`journalctl -u docker -n 50` on the node); `dockertls doctor -f PLAN` checks every step."}
}

func explainTimeout(phase Phase, where string) Explanation {
	switch phase {
	case PhaseHandshake:
		return Explanation{Code: CodeTimeoutHandshake,
			Cause: fmt.Sprintf("The TCP connection to %s was accepted, but no TLS answer came back in time. The program on that port is not speaking TLS (it waits for the client to speak first), is hung, or a proxy holds the connection.", where),
			Fix:   "Check which program listens on that port on the node (`ss -ltnp`); restart the daemon if it hangs (`systemctl restart docker`)."}
	case PhaseRequest:
		return Explanation{Code: CodeTimeoutAnswer,
			Cause: fmt.Sprintf("The TLS connection to %s works, but the Docker API did not answer in time: the daemon is overloaded or hung.", where),
			Fix:   "Look at `journalctl -u docker -n 50` on the node and restart the daemon if needed (`systemctl restart docker`)."}
	default:
		return Explanation{Code: CodeTimeoutConnect,
			Cause: fmt.Sprintf("No answer at all from %s: the connection attempt timed out. A firewall drops the packets, the address is wrong, or the node is down.", where),
			Fix:   "Check the address and that the node is up; open the port in the node's firewall (e.g. `ufw allow 2376/tcp`, or the cloud security group) for this machine only."}
	}
}

func explainNotTLS(rhe tls.RecordHeaderError, where string) Explanation {
	if strings.HasPrefix(string(rhe.RecordHeader[:]), "HTTP/") {
		return Explanation{Code: CodeTLSOff,
			Cause:    fmt.Sprintf("The daemon on %s answers plain, unencrypted HTTP: TLS is off on that port. Anyone who can reach it can control the daemon, which means root on that machine.", where),
			Fix:      "Turn on TLS with client certificates: daemon.json needs \"tlsverify\": true with tlscacert, tlscert and tlskey (dockertls apply -f PLAN --step daemon-config), then restart docker.",
			Evidence: []string{fmt.Sprintf("the first bytes of the answer were %q, an HTTP response, not a TLS record", rhe.RecordHeader[:])}}
	}
	return Explanation{Code: CodeNotDocker,
		Cause: fmt.Sprintf("Something answers on %s, but not with TLS (the answer starts with %q). It is probably not the Docker daemon's TLS port.", where, rhe.RecordHeader[:]),
		Fix:   "Check the port (the daemon's TLS port is usually 2376) and which program listens on it (`ss -ltnp` on the node)."}
}

// explainClientRejected decides why the daemon refused the client: local
// checks of the client certificate first, then the daemon's own words.
func explainClientRejected(ev Evidence) Explanation {
	if ev.CertRequested && len(ev.AcceptableCAs) == 0 && ev.ClientCert != nil {
		return Explanation{Code: CodeDaemonNoClientCA,
			Cause:    "The daemon asks for a client certificate but names no CA it accepts: its tlscacert is empty or missing, so it checks client certificates against the system's public CAs and refuses every certificate of your own CA.",
			Fix:      "Set \"tlscacert\" in daemon.json to the CA file on the node (e.g. /etc/docker/tls/ca.pem; no ~ in paths) and restart docker: dockertls apply -f PLAN --step distribute --step daemon-config.",
			Evidence: []string{"the daemon's certificate request lists no acceptable CA"}}
	}
	if e := checkClientCert(ev); e != nil {
		return *e
	}
	log := ev.DaemonLog
	switch {
	case strings.Contains(log, "incompatible key usage"):
		return clientEKU(ev.ClientCert)
	case strings.Contains(log, "expired or is not yet valid"):
		return Explanation{Code: CodeClientExpired,
			Cause: "The daemon says your client certificate has expired or is not yet valid. Check the clocks on both machines.",
			Fix:   "Re-issue the client certificate (dockertls apply -f PLAN --step client-cert), and make sure both clocks are right (`timedatectl`)."}
	case strings.Contains(log, "unknown authority"):
		return Explanation{Code: CodeClientWrongCA,
			Cause: "The daemon does not trust the CA that signed your client certificate, although the names match: the daemon's tlscacert is a different CA with the same name (a CA that was created again).",
			Fix:   "Use one CA for everything: re-issue the client certificate from the CA the daemon has (dockertls apply -f PLAN --step client-cert), or give the daemon your ca.pem (--step distribute --step daemon-config)."}
	case strings.Contains(log, "didn't provide a certificate"), ev.ClientCert == nil && ev.CertRequested:
		return Explanation{Code: CodeClientCertMissing,
			Cause: "The daemon requires a client certificate, and none was sent. The docker CLI silently connects without one when cert.pem or key.pem is missing from DOCKER_CERT_PATH (or ~/.docker).",
			Fix:   "Put cert.pem and key.pem next to ca.pem in the client's certificate directory (dockertls apply -f PLAN --step client-cert --step distribute), and check DOCKER_CERT_PATH points there."}
	}
	return Explanation{Code: CodeClientRejected,
		Cause: "The daemon rejected the TLS connection (\"bad certificate\"), and the client certificate looks fine here: chain, dates, key usage and key all check out. The daemon's tlscacert is probably not the CA that issued your client certificate.",
		Fix:   "Read the daemon's reason: `journalctl -u docker -n 50 | grep 'TLS handshake error'` on the node. Compare the CA files: `openssl x509 -noout -fingerprint -in ca.pem` on both sides must print the same line."}
}

// checkClientCert finds what is wrong with the client certificate by itself.
func checkClientCert(ev Evidence) *Explanation {
	c := ev.ClientCert
	if c == nil {
		return nil
	}
	now := ev.Now
	if len(ev.AcceptableCAs) > 0 && !issuedByOneOf(c, ev.AcceptableCAs) {
		return &Explanation{Code: CodeClientWrongCA,
			Cause:    fmt.Sprintf("Your client certificate %s was issued by CA %s, but the daemon only accepts client certificates from CA %s. The docker CLI does not even send a certificate that does not fit, so the daemon says \"client didn't provide a certificate\".", certName(c), issuerName(c), rawDNNames(ev.AcceptableCAs)),
			Fix:      "Issue the client certificate from the CA the daemon trusts (dockertls apply -f PLAN --step client-cert), or, if your CA is the right one, install its ca.pem on the daemon as tlscacert (--step distribute --step daemon-config).",
			Evidence: []string{"the daemon asks for certificates from " + rawDNNames(ev.AcceptableCAs)}}
	}
	if now.After(c.NotAfter) {
		return &Explanation{Code: CodeClientExpired,
			Cause: fmt.Sprintf("Your client certificate %s expired on %s, so the daemon refuses it.", certName(c), day(c.NotAfter)),
			Fix:   "Issue a new client certificate from the same CA (dockertls apply -f PLAN --step client-cert); the CA and the daemon stay as they are."}
	}
	if now.Before(c.NotBefore) {
		return &Explanation{Code: CodeClientNotYetValid,
			Cause: fmt.Sprintf("Your client certificate %s is only valid from %s, and the clock here says %s: a clock is wrong (here, on the CA machine, or on the daemon node).", certName(c), day(c.NotBefore), day(now)),
			Fix:   "Fix the clocks (`timedatectl` on each machine; enable NTP), then re-issue the certificate if it was made with a wrong clock."}
	}
	if !hasEKU(c, x509.ExtKeyUsageClientAuth) {
		e := clientEKU(c)
		return &e
	}
	for _, ca := range ev.ClientCAs {
		if string(ca.RawSubject) == string(c.RawIssuer) && c.CheckSignatureFrom(ca) != nil {
			return &Explanation{Code: CodeClientWrongCA,
				Cause: fmt.Sprintf("Your client certificate names %s as its CA, but it was not signed by the ca.pem of that name next to it: there are two different CAs with the same name (the CA was created again), and the daemon trusts the other one.", issuerName(c)),
				Fix:   "Use one CA for everything: re-issue the client certificate from the CA in the plan (dockertls apply -f PLAN --step client-cert --step distribute)."}
		}
	}
	return nil
}

func clientEKU(c *x509.Certificate) Explanation {
	name := "Your client certificate"
	if c != nil {
		name += " " + certName(c)
	}
	return Explanation{Code: CodeClientEKU,
		Cause: name + " is not allowed for client authentication: its extended key usage lacks clientAuth, so the daemon says \"certificate specifies an incompatible key usage\". (A server certificate was perhaps used as a client certificate.)",
		Fix:   "Re-issue the client certificate with extendedKeyUsage = clientAuth (dockertls apply -f PLAN --step client-cert does this; with openssl: echo extendedKeyUsage=clientAuth > extfile-client.cnf and pass -extfile extfile-client.cnf)."}
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
	)
	if e := expiredInChain(leaf, ev, now); e != nil && (errors.As(err, &ua) || (errors.As(err, &ci) && ci.Reason == x509.Expired)) {
		return *e
	}
	switch {
	case errors.As(err, &he):
		c := he.Certificate
		if c != nil && len(c.DNSNames) == 0 && len(c.IPAddresses) == 0 {
			return Explanation{Code: CodeServerCNOnly,
				Cause: fmt.Sprintf("The daemon's certificate names its host only in the old Common Name field (%s) and has no subjectAltName. Current clients (Go, the docker CLI) ignore the Common Name, so it matches no address. (curl still accepts it, which is misleading.)", certName(c)),
				Fix:   "Re-issue the daemon certificate with SANs: dockertls apply -f PLAN --step daemon-cert --step distribute --step daemon-config (with openssl: subjectAltName = DNS:node3,IP:10.0.0.12 in the extfile)."}
		}
		var sans []string
		if c != nil {
			sans = sanList(c)
		}
		return Explanation{Code: CodeServerSAN,
			Cause:    fmt.Sprintf("You connect to %q, but the daemon's certificate is only valid for %s. TLS checks that the name you dial is in the certificate, so the client refuses the daemon.", he.Host, strings.Join(sans, ", ")),
			Fix:      fmt.Sprintf("Dial one of the names the certificate has (DOCKER_HOST=tcp://NAME:PORT), or add %q to daemon.sans in the plan and re-issue the daemon certificate: dockertls apply -f PLAN --step daemon-cert --step distribute --step daemon-config.", he.Host),
			Evidence: []string{"certificate SANs: " + strings.Join(sans, ", ")}}
	case errors.As(err, &ua):
		return explainUnknownCA(leaf, ev)
	case errors.As(err, &ia):
		return Explanation{Code: CodeServerWeakSig,
			Cause: "The daemon's certificate (or its CA) is signed with an insecure algorithm (SHA-1), which current clients refuse.",
			Fix:   "Re-issue the certificates with SHA-256 (dockertls does by default: dockertls apply -f PLAN --step daemon-cert --step distribute --step daemon-config; with openssl add -sha256)."}
	case errors.As(err, &ci) && ci.Reason == x509.IncompatibleUsage:
		return Explanation{Code: CodeServerEKU,
			Cause: fmt.Sprintf("The daemon's certificate %s is not allowed for servers: its extended key usage lacks serverAuth (\"certificate specifies an incompatible key usage\"). Perhaps a client certificate was installed on the daemon.", certName(ci.Cert)),
			Fix:   "Re-issue the daemon certificate with extendedKeyUsage = serverAuth: dockertls apply -f PLAN --step daemon-cert --step distribute --step daemon-config (with openssl: extendedKeyUsage = serverAuth in the extfile)."}
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return Explanation{Code: CodeServerExpired,
			Cause: "A certificate in the daemon's chain has expired or is not yet valid.",
			Fix:   "Re-issue the daemon certificate (dockertls apply -f PLAN --step daemon-cert --step distribute --step daemon-config), and check the clocks (`timedatectl`)."}
	}
	return Explanation{Code: CodeServerCertInvalid,
		Cause: "The daemon's certificate is not acceptable: " + err.Error() + ".",
		Fix:   "Re-issue the daemon certificate: dockertls apply -f PLAN --step daemon-cert --step distribute --step daemon-config."}
}

// expiredInChain names the expired certificate among the daemon's chain and
// the client's CAs: the client's words ("expired or is not yet valid", or
// "unknown authority") do not say which one it was.
func expiredInChain(leaf *x509.Certificate, ev Evidence, now time.Time) *Explanation {
	if leaf != nil && (now.After(leaf.NotAfter) || now.Before(leaf.NotBefore)) {
		return &Explanation{Code: CodeServerExpired,
			Cause: fmt.Sprintf("The daemon's certificate %s is %s, so clients refuse it.", certName(leaf), validity(leaf, now)),
			Fix:   "Re-issue the daemon certificate from the same CA (dockertls apply -f PLAN --step daemon-cert --step distribute --step daemon-config); clients keep their files. If the dates look wrong, fix the clocks (`timedatectl`)."}
	}
	for _, ca := range append(slices.Clone(ev.ServerCerts[min(1, len(ev.ServerCerts)):]), ev.ClientCAs...) {
		related := leaf == nil || string(ca.RawSubject) == string(leaf.RawIssuer)
		if related && (now.After(ca.NotAfter) || now.Before(ca.NotBefore)) {
			return &Explanation{Code: CodeCAExpired,
				Cause: fmt.Sprintf("The CA certificate %s is %s. Every certificate it signed is refused with it, although the daemon and client certificates themselves still look valid.", certName(ca), validity(ca, now)),
				Fix:   "Create a new CA and re-issue everything from it: dockertls apply -f PLAN (all steps). Choose a long CA validity and let `dockertls doctor` warn you before it runs out."}
		}
	}
	return nil
}

func explainUnknownCA(leaf *x509.Certificate, ev Evidence) Explanation {
	if leaf == nil {
		return Explanation{Code: CodeServerUnknownCA,
			Cause: "The daemon's certificate was signed by a CA that the client's ca.pem does not contain.",
			Fix:   "Copy the CA that issued the daemon certificate to the client as ca.pem (dockertls apply -f PLAN --step distribute)."}
	}
	var yours []string
	for _, ca := range ev.ClientCAs {
		yours = append(yours, certName(ca))
	}
	cause := fmt.Sprintf("The daemon's certificate %s was issued by CA %s, but the client's ca.pem is CA %s: the client trusts a different CA than the one that signed the daemon's certificate (\"certificate signed by unknown authority\").", certName(leaf), issuerName(leaf), strings.Join(yours, ", "))
	for _, ca := range ev.ClientCAs {
		if string(ca.RawSubject) == string(leaf.RawIssuer) {
			cause = fmt.Sprintf("The daemon's certificate %s names CA %s, and the client's ca.pem has that name too, but it is a different CA (another key): the CA was created again after the daemon certificate was issued, or the files come from two runs.", certName(leaf), issuerName(leaf))
		}
	}
	if leaf.Issuer.String() == leaf.Subject.String() {
		cause = fmt.Sprintf("The daemon presents a self-signed certificate %s instead of one issued by your CA.", certName(leaf))
	}
	return Explanation{Code: CodeServerUnknownCA, Cause: cause,
		Fix: "Use one CA on both sides: copy the CA's ca.pem to the client (dockertls apply -f PLAN --step distribute), or re-issue the daemon certificate from your CA (--step daemon-cert --step distribute --step daemon-config). `openssl x509 -noout -fingerprint -in ca.pem` must print the same line on both machines."}
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
