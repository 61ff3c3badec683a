package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Severity says how bad a Problem is.
type Severity int

const (
	Warn Severity = iota + 1 // works today, but fix it (expiring soon, key file mode)
	Fail                     // Docker refuses it, or it is unsafe to keep (weak key)
)

func (s Severity) String() string {
	switch s {
	case Warn:
		return "warn"
	case Fail:
		return "fail"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText writes "warn"/"fail" in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Problem is one finding of Verify: a stable code, what is wrong in plain
// words, and what to do.
type Problem struct {
	Code     string   `json:"code"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
	Severity Severity `json:"severity"`
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: %s (%s)", p.Severity, p.Message, p.Code)
}

// The codes Verify reports; doctor --json carries them.
const (
	CodeNoCertificate  = "no-certificate"
	CodeCAInvalid      = "ca-invalid"
	CodeNotSignedByCA  = "not-signed-by-ca"
	CodeExpired        = "expired"
	CodeNotYetValid    = "not-yet-valid"
	CodeCAExpired      = "ca-expired"
	CodeCANotYetValid  = "ca-not-yet-valid"
	CodeExpiringSoon   = "expiring-soon"
	CodeCAExpiringSoon = "ca-expiring-soon"
	CodeWrongEKU       = "wrong-eku"
	CodeMissingEKU     = "missing-eku"
	CodeKeyMismatch    = "key-mismatch"
	CodeSANMismatch    = "san-mismatch"
	CodeCNOnly         = "cn-only"
	CodeWeakKey        = "weak-key"
	CodeCAWeakKey      = "ca-weak-key"
	CodeSHA1Signature  = "sha1-signature"
	CodeKeyPermissions = "key-permissions"
	CodeKeyUnreadable  = "key-unreadable"
	CodeDirPermissions = "dir-permissions"
	CodeDirOwner       = "dir-owner"
)

// Usage is what a certificate is for.
type Usage int

const (
	UsageServer Usage = iota + 1 // the daemon's certificate (serverAuth)
	UsageClient                  // a client's certificate (clientAuth)
)

func (u Usage) String() string {
	switch u {
	case UsageServer:
		return "daemon"
	case UsageClient:
		return "client"
	}
	return "certificate"
}

// step is the wizard step that re-issues a certificate of this usage.
func (u Usage) step() string {
	if u == UsageClient {
		return "client-cert"
	}
	return "daemon-cert"
}

// DefaultExpiryWarning is how long before expiry Verify starts warning.
const DefaultExpiryWarning = 30 * 24 * time.Hour

// VerifyInput is what Verify checks.
type VerifyInput struct {
	CA            *x509.Certificate // the CA the peer trusts (ca.pem); nil skips the chain checks
	Cert          *x509.Certificate // the certificate to check
	Key           crypto.Signer     // optional: its private key
	KeyPath       string            // optional: the key file, to check its permissions
	Usage         Usage             // UsageServer or UsageClient
	Host          string            // optional, server only: the host clients dial (node3, 10.0.0.12, tcp://node3:2376)
	Now           time.Time         // zero: time.Now()
	ExpiryWarning time.Duration     // zero: DefaultExpiryWarning
}

// Verify checks a certificate the way dockerd and the docker CLI will, plus
// what they do not check but should be fixed, and returns every problem
// found (nil when all is well). Each finding is local: no network.
func Verify(in VerifyInput) []Problem {
	if in.Cert == nil {
		return []Problem{{Code: CodeNoCertificate, Severity: Fail,
			Message: "no certificate to check",
			Fix:     "issue it: dockertls apply -f PLAN --step " + in.Usage.step()}}
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	if in.ExpiryWarning == 0 {
		in.ExpiryWarning = DefaultExpiryWarning
	}
	what := fmt.Sprintf("the %s certificate %q", in.Usage, in.Cert.Subject.CommonName)
	reissue := "re-issue it: dockertls apply -f PLAN --step " + in.Usage.step()
	var out []Problem
	add := func(code string, sev Severity, fix, format string, args ...any) {
		out = append(out, Problem{Code: code, Severity: sev, Message: fmt.Sprintf(format, args...), Fix: fix})
	}

	if in.CA != nil {
		out = append(out, checkCA(in)...)
		if err := checkIssuedBy(in.Cert, in.CA); err != nil {
			add(CodeNotSignedByCA, Fail, reissue+" from this CA, or point the peer at the CA that signed it",
				"%s was not signed by the CA %q: %v", what, in.CA.Subject.CommonName, err)
		}
	}

	switch {
	case in.Now.After(in.Cert.NotAfter):
		add(CodeExpired, Fail, reissue, "%s expired on %s", what, in.Cert.NotAfter.UTC().Format(time.DateOnly))
	case in.Now.Before(in.Cert.NotBefore):
		add(CodeNotYetValid, Fail, "check this machine's clock, or "+reissue,
			"%s is not valid before %s (clock skew?)", what, in.Cert.NotBefore.UTC().Format(time.RFC3339))
	case in.Cert.NotAfter.Sub(in.Now) < in.ExpiryWarning:
		add(CodeExpiringSoon, Warn, "renew it now: dockertls apply -f PLAN --step "+in.Usage.step(),
			"%s expires in %d days (%s)", what, daysLeft(in.Cert.NotAfter, in.Now), in.Cert.NotAfter.UTC().Format(time.DateOnly))
	}

	out = append(out, checkEKU(in.Cert, in.Usage, what, reissue)...)

	if in.Key != nil && !publicKeysEqual(in.Cert.PublicKey, in.Key.Public()) {
		add(CodeKeyMismatch, Fail, "pair the certificate with the key it was issued for, or "+reissue,
			"the private key does not belong to %s (Docker says: tls: private key does not match public key)", what)
	}

	if in.Usage == UsageServer {
		if len(in.Cert.DNSNames) == 0 && len(in.Cert.IPAddresses) == 0 {
			add(CodeCNOnly, Fail, reissue+" with the names clients dial as SANs",
				"%s has no subjectAltName, only the common name; Docker clients refuse it (x509: certificate relies on legacy Common Name field)", what)
		} else if in.Host != "" {
			host := hostOf(in.Host)
			if err := in.Cert.VerifyHostname(host); err != nil {
				add(CodeSANMismatch, Fail, fmt.Sprintf("%s with %s among its names, or dial one of the names it covers", reissue, host),
					"%s does not cover %s; it covers %s", what, host, strings.Join(coveredNames(in.Cert), ", "))
			}
		}
	}

	if weak := WeakKey(in.Cert.PublicKey); weak != "" {
		add(CodeWeakKey, Fail, reissue+" with a stronger key (rsa-2048 or larger, ecdsa-p256, ed25519)",
			"%s has a weak key: %s", what, weak)
	}
	if isSHA1(in.Cert.SignatureAlgorithm) {
		add(CodeSHA1Signature, Fail, reissue+" (dockertls signs with SHA-256)",
			"%s is signed with %s, which Go and Docker refuse (insecure algorithm)", what, in.Cert.SignatureAlgorithm)
	}
	if in.KeyPath != "" {
		out = append(out, checkKeyFile(in.KeyPath)...)
	}
	return out
}

// checkCA reports problems of the CA certificate itself.
func checkCA(in VerifyInput) []Problem {
	ca := in.CA
	name := fmt.Sprintf("the CA %q", ca.Subject.CommonName)
	newCA := "move to a new CA without cutting anybody off: dockertls rotate-ca -f PLAN, then, once every client has new files, dockertls rotate-ca -f PLAN --finish"
	renewCA := "renew the CA with its own key (what it issued stays valid): dockertls apply -f PLAN --step ca, then distribute ca.pem again"
	var out []Problem
	switch {
	case in.Now.After(ca.NotAfter):
		out = append(out, Problem{Code: CodeCAExpired, Severity: Fail, Fix: renewCA,
			Message: fmt.Sprintf("%s expired on %s; every certificate it signed is refused (Docker only says: certificate has expired or is not yet valid)", name, ca.NotAfter.UTC().Format(time.DateOnly))})
	case in.Now.Before(ca.NotBefore):
		out = append(out, Problem{Code: CodeCANotYetValid, Severity: Fail, Fix: "check this machine's clock",
			Message: fmt.Sprintf("%s is not valid before %s (clock skew?)", name, ca.NotBefore.UTC().Format(time.RFC3339))})
	case ca.NotAfter.Sub(in.Now) < in.ExpiryWarning:
		out = append(out, Problem{Code: CodeCAExpiringSoon, Severity: Warn, Fix: renewCA,
			Message: fmt.Sprintf("%s expires in %d days (%s); every certificate it signed stops working then", name, daysLeft(ca.NotAfter, in.Now), ca.NotAfter.UTC().Format(time.DateOnly))})
	}
	if !ca.BasicConstraintsValid || !ca.IsCA {
		out = append(out, Problem{Code: CodeCAInvalid, Severity: Fail, Fix: "point ca.pem at the CA's certificate, not a leaf",
			Message: fmt.Sprintf("%s is not a CA certificate (no CA:TRUE basic constraint)", name)})
	} else if ca.KeyUsage != 0 && ca.KeyUsage&x509.KeyUsageCertSign == 0 {
		out = append(out, Problem{Code: CodeCAInvalid, Severity: Fail, Fix: newCA,
			Message: fmt.Sprintf("%s may not sign certificates (its key usage lacks keyCertSign)", name)})
	}
	if weak := WeakKey(ca.PublicKey); weak != "" {
		out = append(out, Problem{Code: CodeCAWeakKey, Severity: Fail, Fix: newCA,
			Message: fmt.Sprintf("%s has a weak key: %s", name, weak)})
	}
	if isSHA1(ca.SignatureAlgorithm) {
		// Go does not check a root's self-signature, so this still works.
		out = append(out, Problem{Code: CodeSHA1Signature, Severity: Warn, Fix: newCA,
			Message: fmt.Sprintf("%s is self-signed with %s; it still works as a root, but tools that check it will refuse it", name, ca.SignatureAlgorithm)})
	}
	return out
}

// checkIssuedBy checks the issuer name and the signature. SHA-1 signatures
// are checked too (CheckSignatureFrom would refuse them outright), so that
// a SHA-1 certificate is reported as sha1-signature, not as a stranger.
func checkIssuedBy(cert, ca *x509.Certificate) error {
	if string(cert.RawIssuer) != string(ca.RawSubject) {
		return fmt.Errorf("its issuer is %q", cert.Issuer.String())
	}
	if err := ca.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		return fmt.Errorf("the signature does not match the CA's key (same name, different CA?): %v", err)
	}
	return nil
}

func checkEKU(cert *x509.Certificate, usage Usage, what, reissue string) []Problem {
	want, wantName := x509.ExtKeyUsageServerAuth, "serverAuth"
	if usage == UsageClient {
		want, wantName = x509.ExtKeyUsageClientAuth, "clientAuth"
	}
	if len(cert.ExtKeyUsage) == 0 && len(cert.UnknownExtKeyUsage) == 0 {
		return []Problem{{Code: CodeMissingEKU, Severity: Warn, Fix: reissue,
			Message: fmt.Sprintf("%s has no extendedKeyUsage; Go accepts that for any use, but the tutorials set %s and stricter peers require it", what, wantName)}}
	}
	for _, u := range cert.ExtKeyUsage {
		if u == want || u == x509.ExtKeyUsageAny {
			return nil
		}
	}
	has := extKeyUsageNames(cert)
	return []Problem{{Code: CodeWrongEKU, Severity: Fail, Fix: reissue + " with extendedKeyUsage " + wantName,
		Message: fmt.Sprintf("%s is for %s, not %s (Docker says: certificate specifies an incompatible key usage)", what, strings.Join(has, ", "), wantName)}}
}

// hostOf reduces what a user dials (tcp://node3:2376, node3:2376, [::1]:2376)
// to the host name or IP a certificate must cover.
func hostOf(addr string) string {
	addr = strings.TrimSpace(addr)
	if strings.Contains(addr, "://") {
		if u, err := url.Parse(addr); err == nil && u.Hostname() != "" {
			return u.Hostname()
		}
	}
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
}

func coveredNames(c *x509.Certificate) []string {
	var out []string
	for _, d := range c.DNSNames {
		out = append(out, "DNS:"+d)
	}
	for _, ip := range c.IPAddresses {
		out = append(out, "IP:"+ip.String())
	}
	return out
}

// WeakKey says why a public key is too weak to trust ("RSA 1024 bits (at
// least 2048 are needed)"), or "" when it is strong enough.
func WeakKey(pub any) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return fmt.Sprintf("RSA %d bits (at least 2048 are needed)", k.N.BitLen())
		}
	case *ecdsa.PublicKey:
		if k.Curve.Params().BitSize < 256 {
			return fmt.Sprintf("ECDSA %s (at least P-256 is needed)", k.Curve.Params().Name)
		}
	}
	return ""
}

func isSHA1(a x509.SignatureAlgorithm) bool {
	switch a {
	case x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1, x509.MD5WithRSA, x509.MD2WithRSA:
		return true
	}
	return false
}

// checkKeyFile reports a private key file that others may read.
func checkKeyFile(path string) []Problem {
	info, err := os.Stat(path)
	if err != nil {
		return []Problem{{Code: CodeKeyUnreadable, Severity: Fail, Fix: "check the path, or issue the certificate again",
			Message: fmt.Sprintf("cannot check the key file %s: %v", path, err)}}
	}
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		return []Problem{{Code: CodeKeyPermissions, Severity: Warn, Fix: "chmod 0400 " + path,
			Message: fmt.Sprintf("the private key %s has mode %04o: other users of this machine can read it", filepath.Base(path), mode)}}
	}
	return nil
}
