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
	"strconv"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
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
// words, and what to do. Message and Fix are in English (JSON, logs);
// Text and FixText are the same words for a Localizer (Localizer.Msg).
type Problem struct {
	Code     string       `json:"code"`
	Message  string       `json:"message"`
	Fix      string       `json:"fix,omitempty"`
	Severity Severity     `json:"severity"`
	Text     i18n.Message `json:"-"`
	FixText  i18n.Message `json:"-"`
}

// problem is the Problem that msg says, with fix as the way out.
func problem(code string, sev Severity, fix, msg i18n.Message) Problem {
	return Problem{Code: code, Severity: sev, Message: msg.String(), Fix: fix.String(), Text: msg, FixText: fix}
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

// certificate names a certificate of this usage in messages: "the daemon
// certificate "node3"".
func (u Usage) certificate(cn string) i18n.Message {
	switch u {
	case UsageServer:
		return i18n.M("pki.verify.daemon_cert", "CN", strconv.Quote(cn))
	case UsageClient:
		return i18n.M("pki.verify.client_cert", "CN", strconv.Quote(cn))
	}
	return i18n.M("pki.verify.cert", "CN", strconv.Quote(cn))
}

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
		return []Problem{problem(CodeNoCertificate, Fail, i18n.M("pki.verify.issue_fix", "Step", in.Usage.step()),
			i18n.M("pki.verify.no_cert"))}
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	if in.ExpiryWarning == 0 {
		in.ExpiryWarning = DefaultExpiryWarning
	}
	what := in.Usage.certificate(in.Cert.Subject.CommonName)
	step := in.Usage.step()
	var out []Problem
	add := func(code string, sev Severity, fix, msg i18n.Message) {
		out = append(out, problem(code, sev, fix, msg))
	}

	if in.CA != nil {
		out = append(out, checkCA(in)...)
		if err := checkIssuedBy(in.Cert, in.CA); err != nil {
			add(CodeNotSignedByCA, Fail, i18n.M("pki.verify.not_signed_fix", "Step", step),
				i18n.M("pki.verify.not_signed", "What", what, "CA", strconv.Quote(in.CA.Subject.CommonName), "Err", err))
		}
	}

	switch {
	case in.Now.After(in.Cert.NotAfter):
		add(CodeExpired, Fail, i18n.M("pki.verify.reissue_fix", "Step", step),
			i18n.M("pki.verify.expired", "What", what, "Date", in.Cert.NotAfter.UTC().Format(time.DateOnly)))
	case in.Now.Before(in.Cert.NotBefore):
		add(CodeNotYetValid, Fail, i18n.M("pki.verify.not_yet_valid_fix", "Step", step),
			i18n.M("pki.verify.not_yet_valid", "What", what, "Date", in.Cert.NotBefore.UTC().Format(time.RFC3339)))
	case in.Cert.NotAfter.Sub(in.Now) < in.ExpiryWarning:
		add(CodeExpiringSoon, Warn, i18n.M("pki.verify.renew_fix", "Step", step),
			i18n.M("pki.verify.expiring", "What", what, "Days", daysLeft(in.Cert.NotAfter, in.Now), "Date", in.Cert.NotAfter.UTC().Format(time.DateOnly)))
	}

	out = append(out, checkEKU(in.Cert, in.Usage, what)...)

	if in.Key != nil && !publicKeysEqual(in.Cert.PublicKey, in.Key.Public()) {
		add(CodeKeyMismatch, Fail, i18n.M("pki.verify.key_mismatch_fix", "Step", step),
			i18n.M("pki.verify.key_mismatch", "What", what))
	}

	if in.Usage == UsageServer {
		if len(in.Cert.DNSNames) == 0 && len(in.Cert.IPAddresses) == 0 {
			add(CodeCNOnly, Fail, i18n.M("pki.verify.cn_only_fix", "Step", step),
				i18n.M("pki.verify.cn_only", "What", what))
		} else if in.Host != "" {
			host := hostOf(in.Host)
			if err := in.Cert.VerifyHostname(host); err != nil {
				add(CodeSANMismatch, Fail, i18n.M("pki.verify.san_mismatch_fix", "Step", step, "Host", host),
					i18n.M("pki.verify.san_mismatch", "What", what, "Host", host, "Names", strings.Join(coveredNames(in.Cert), ", ")))
			}
		}
	}

	if weak := WeakKeyMessage(in.Cert.PublicKey); !weak.IsZero() {
		add(CodeWeakKey, Fail, i18n.M("pki.verify.weak_key_fix", "Step", step),
			i18n.M("pki.verify.weak_key", "What", what, "Weak", weak))
	}
	if isSHA1(in.Cert.SignatureAlgorithm) {
		add(CodeSHA1Signature, Fail, i18n.M("pki.verify.sha1_fix", "Step", step),
			i18n.M("pki.verify.sha1", "What", what, "Algorithm", in.Cert.SignatureAlgorithm.String()))
	}
	if in.KeyPath != "" {
		out = append(out, checkKeyFile(in.KeyPath)...)
	}
	return out
}

// checkCA reports problems of the CA certificate itself.
func checkCA(in VerifyInput) []Problem {
	ca := in.CA
	cn := strconv.Quote(ca.Subject.CommonName)
	newCA := i18n.M("pki.verify.ca_rotate_fix")
	renewCA := i18n.M("pki.verify.ca_renew_fix")
	var out []Problem
	switch {
	case in.Now.After(ca.NotAfter):
		out = append(out, problem(CodeCAExpired, Fail, renewCA,
			i18n.M("pki.verify.ca_expired", "CN", cn, "Date", ca.NotAfter.UTC().Format(time.DateOnly))))
	case in.Now.Before(ca.NotBefore):
		out = append(out, problem(CodeCANotYetValid, Fail, i18n.M("pki.verify.clock_fix"),
			i18n.M("pki.verify.ca_not_yet_valid", "CN", cn, "Date", ca.NotBefore.UTC().Format(time.RFC3339))))
	case ca.NotAfter.Sub(in.Now) < in.ExpiryWarning:
		out = append(out, problem(CodeCAExpiringSoon, Warn, renewCA,
			i18n.M("pki.verify.ca_expiring", "CN", cn, "Days", daysLeft(ca.NotAfter, in.Now), "Date", ca.NotAfter.UTC().Format(time.DateOnly))))
	}
	if !ca.BasicConstraintsValid || !ca.IsCA {
		out = append(out, problem(CodeCAInvalid, Fail, i18n.M("pki.verify.ca_not_ca_fix"),
			i18n.M("pki.verify.ca_not_ca", "CN", cn)))
	} else if ca.KeyUsage != 0 && ca.KeyUsage&x509.KeyUsageCertSign == 0 {
		out = append(out, problem(CodeCAInvalid, Fail, newCA,
			i18n.M("pki.verify.ca_no_certsign", "CN", cn)))
	}
	if weak := WeakKeyMessage(ca.PublicKey); !weak.IsZero() {
		out = append(out, problem(CodeCAWeakKey, Fail, newCA,
			i18n.M("pki.verify.ca_weak_key", "CN", cn, "Weak", weak)))
	}
	if isSHA1(ca.SignatureAlgorithm) {
		// Go does not check a root's self-signature, so this still works.
		out = append(out, problem(CodeSHA1Signature, Warn, newCA,
			i18n.M("pki.verify.ca_sha1", "CN", cn, "Algorithm", ca.SignatureAlgorithm.String())))
	}
	return out
}

// checkIssuedBy checks the issuer name and the signature. SHA-1 signatures
// are checked too (CheckSignatureFrom would refuse them outright), so that
// a SHA-1 certificate is reported as sha1-signature, not as a stranger.
func checkIssuedBy(cert, ca *x509.Certificate) error {
	if string(cert.RawIssuer) != string(ca.RawSubject) {
		return i18n.Errorf("pki.verify.issuer", "Issuer", strconv.Quote(cert.Issuer.String()))
	}
	if err := ca.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		return i18n.Errorf("pki.verify.signature", "Err", err)
	}
	return nil
}

func checkEKU(cert *x509.Certificate, usage Usage, what i18n.Message) []Problem {
	want, wantName := x509.ExtKeyUsageServerAuth, "serverAuth"
	if usage == UsageClient {
		want, wantName = x509.ExtKeyUsageClientAuth, "clientAuth"
	}
	if len(cert.ExtKeyUsage) == 0 && len(cert.UnknownExtKeyUsage) == 0 {
		return []Problem{problem(CodeMissingEKU, Warn, i18n.M("pki.verify.reissue_fix", "Step", usage.step()),
			i18n.M("pki.verify.missing_eku", "What", what, "Want", wantName))}
	}
	for _, u := range cert.ExtKeyUsage {
		if u == want || u == x509.ExtKeyUsageAny {
			return nil
		}
	}
	has := extKeyUsageNames(cert)
	return []Problem{problem(CodeWrongEKU, Fail, i18n.M("pki.verify.wrong_eku_fix", "Step", usage.step(), "Want", wantName),
		i18n.M("pki.verify.wrong_eku", "What", what, "Has", strings.Join(has, ", "), "Want", wantName))}
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

// WeakKey says in English why a public key is too weak to trust ("RSA 1024
// bits (at least 2048 are needed)"), or "" when it is strong enough.
func WeakKey(pub any) string { return WeakKeyMessage(pub).String() }

// WeakKeyMessage is WeakKey's words for a Localizer (zero when the key is
// strong enough).
func WeakKeyMessage(pub any) i18n.Message {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return i18n.M("pki.weak.rsa", "Bits", k.N.BitLen())
		}
	case *ecdsa.PublicKey:
		if k.Curve.Params().BitSize < 256 {
			return i18n.M("pki.weak.ecdsa", "Curve", k.Curve.Params().Name)
		}
	}
	return i18n.Message{}
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
		return []Problem{problem(CodeKeyUnreadable, Fail, i18n.M("pki.verify.key_unreadable_fix"),
			i18n.M("pki.verify.key_unreadable", "File", path, "Err", err))}
	}
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		return []Problem{problem(CodeKeyPermissions, Warn, i18n.M("pki.verify.key_mode_fix", "File", path),
			i18n.M("pki.verify.key_mode", "File", filepath.Base(path), "Mode", fmt.Sprintf("%04o", mode)))}
	}
	return nil
}
