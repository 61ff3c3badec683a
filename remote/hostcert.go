package remote

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// Host certificates: a known_hosts line "@cert-authority PATTERN CA-KEY"
// trusts every host key that CA signs for a host the pattern names. The
// decision is knownhosts' own (its callback is an ssh.CertChecker over the
// file); this file picks the algorithms that let a host show its
// certificate, and says exactly why one was refused.

// certAuthority is one @cert-authority line that names the host.
type certAuthority struct {
	key  ssh.PublicKey
	line int
}

// placeholderKey is a key no known_hosts line holds, for probing the
// callback.
func placeholderKey() ssh.PublicKey {
	k, err := ssh.NewPublicKey(ed25519.PublicKey(bytes.Repeat([]byte{0x5a}, ed25519.PublicKeySize)))
	if err != nil {
		panic(err) // a fixed, valid Ed25519 key
	}
	return k
}

// hostAuthorities lists the @cert-authority lines of file that name addr.
// Whether a line names the host (patterns, negations, hashed names) is
// knownhosts' own matching: a probe certificate that claims the line's CA
// passes the authority check exactly then (and fails later, unsigned).
func hostAuthorities(file string, cb ssh.HostKeyCallback, addr string, remote net.Addr) []certAuthority {
	data, err := fsread.ReadFile(file, fsread.MaxKnownHosts)
	if err != nil {
		return nil
	}
	var cas []certAuthority
	for i, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "@cert-authority") {
			continue
		}
		marker, _, key, _, _, err := ssh.ParseKnownHosts([]byte(line))
		if err != nil || marker != "cert-authority" {
			continue
		}
		if authorityFor(cb, addr, remote, key) {
			cas = append(cas, certAuthority{key: key, line: i + 1})
		}
	}
	return cas
}

// authorityFor reports whether known_hosts trusts ca to sign host keys for
// addr.
func authorityFor(cb ssh.HostKeyCallback, addr string, remote net.Addr, ca ssh.PublicKey) bool {
	probe := &ssh.Certificate{Key: placeholderKey(), CertType: ssh.HostCert, SignatureKey: ca,
		ValidBefore: ssh.CertTimeInfinity, Signature: &ssh.Signature{Format: ca.Type()}}
	err := cb(addr, remote, probe)
	return err == nil || !strings.HasPrefix(err.Error(), "ssh: no authorities for hostname")
}

// plainKeys drops the @cert-authority lines from what knownhosts lists
// for a host (its KeyError.Want holds every line that names the host): a
// CA's key is not the host's, so a host without a certificate is unknown,
// not a mismatch.
func plainKeys(want []knownhosts.KnownKey, cas []certAuthority) []knownhosts.KnownKey {
	var out []knownhosts.KnownKey
	for _, k := range want {
		if !slices.ContainsFunc(cas, func(ca certAuthority) bool { return ca.line == k.Line }) {
			out = append(out, k)
		}
	}
	return out
}

// certAlgorithms are the host certificate algorithms, by preference.
var certAlgorithms = []string{
	ssh.CertAlgoED25519v01, ssh.CertAlgoECDSA256v01, ssh.CertAlgoECDSA384v01, ssh.CertAlgoECDSA521v01,
	ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01,
}

// plainAlgorithms are the plain host key algorithms in Go's default order.
var plainAlgorithms = []string{
	ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
	ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSASHA512, ssh.KeyAlgoED25519,
}

// hostKeyAlgorithms pins the handshake to what known_hosts can check for
// the host. Certificates come first when an @cert-authority line names it;
// then the key types known_hosts holds for it (without the pin Go may pick
// ECDSA where OpenSSH recorded Ed25519 and report a false "mismatch"), or
// any plain type for an unknown host; certificates last otherwise, so a
// host that offers only a certificate is refused with the reason, not with
// "no common algorithm".
func hostKeyAlgorithms(known []knownhosts.KnownKey, cas []certAuthority) []string {
	var algos []string
	seen := map[string]bool{}
	add := func(a ...string) {
		for _, x := range a {
			if !seen[x] {
				seen[x] = true
				algos = append(algos, x)
			}
		}
	}
	if len(cas) > 0 {
		add(certAlgorithms...)
	}
	for _, k := range known {
		switch t := k.Key.Type(); t {
		case ssh.KeyAlgoRSA:
			add(ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256)
		default:
			add(t)
		}
	}
	if len(known) == 0 {
		add(plainAlgorithms...)
	}
	add(certAlgorithms...)
	return algos
}

// checkCertificate decides on a host certificate: knownhosts' verdict
// (err), plus the host key inside it, which must not be @revoked either.
// A refusal is a HostKeyCertificate error with the exact cause; a
// certificate is never trusted on first use.
func checkCertificate(cb ssh.HostKeyCallback, addr string, remote net.Addr, cert *ssh.Certificate, err error, file string, cas []certAuthority) *HostKeyError {
	var revoked *knownhosts.RevokedError
	if err == nil {
		if rerr := cb(addr, remote, cert.Key); !errors.As(rerr, &revoked) {
			return nil
		}
	}
	e := &HostKeyError{Problem: HostKeyCertificate, Host: addr, KeyType: cert.Type(), Fingerprint: ssh.FingerprintSHA256(cert.Key),
		KnownHosts: file, Err: err, certID: cert.KeyId, certSerial: cert.Serial, certCA: ssh.FingerprintSHA256(cert.SignatureKey), certKeyType: cert.Key.Type()}
	for _, ca := range cas {
		if bytes.Equal(ca.key.Marshal(), cert.SignatureKey.Marshal()) {
			e.certCAFile, e.certCALine = file, ca.line
			break
		}
	}
	hostname, _, _ := net.SplitHostPort(addr)
	now := time.Now()
	switch {
	case revoked != nil:
		e.cause, e.Line, e.fixID = i18n.M("remote.hostcert.cause.key_revoked", "File", revoked.Revoked.Filename, "Line", revoked.Revoked.Line), revoked.Revoked.Line, certFixRevoked
	case errors.As(cb(addr, remote, cert.SignatureKey), &revoked):
		e.cause, e.Line, e.fixID = i18n.M("remote.hostcert.cause.ca_revoked", "CA", ssh.FingerprintSHA256(cert.SignatureKey), "File", revoked.Revoked.Filename, "Line", revoked.Revoked.Line), revoked.Revoked.Line, certFixRevoked
	case cert.CertType != ssh.HostCert:
		e.cause, e.fixID = i18n.M("remote.hostcert.cause.user_cert"), certFixResign
	case !authorityFor(cb, addr, remote, cert.SignatureKey):
		e.fixID = certFixTrustCA
		if len(cas) == 0 {
			e.cause = i18n.M("remote.hostcert.cause.no_authority", "CA", ssh.FingerprintSHA256(cert.SignatureKey), "File", file, "Host", hostname)
			break
		}
		trusted := phrases{sep: "remote.sep.list"}
		for _, ca := range cas {
			trusted.items = append(trusted.items, i18n.M("remote.hostcert.trusted_ca", "CA", ssh.FingerprintSHA256(ca.key), "Line", ca.line))
		}
		e.cause = i18n.M("remote.hostcert.cause.other_authority", "CA", ssh.FingerprintSHA256(cert.SignatureKey), "File", file,
			"Trusted", trusted, "Host", hostname)
	case len(cert.ValidPrincipals) > 0 && !slices.Contains(cert.ValidPrincipals, hostname):
		e.cause, e.fixID = i18n.M("remote.hostcert.cause.principals", "Principals", strings.Join(cert.ValidPrincipals, ", "), "Host", hostname), certFixResign
	case cert.ValidAfter > uint64(now.Unix()):
		e.cause, e.fixID = i18n.M("remote.hostcert.cause.not_yet_valid", "Time", certTime(cert.ValidAfter)), certFixResign
	case cert.ValidBefore != ssh.CertTimeInfinity && cert.ValidBefore <= uint64(now.Unix()):
		e.cause, e.fixID = i18n.M("remote.hostcert.cause.expired", "Time", certTime(cert.ValidBefore)), certFixResign
	default:
		e.cause, e.fixID = i18n.M("remote.hostcert.cause.refused", "Err", err), certFixResign
	}
	e.Cause = e.cause.String()
	return e
}

// certTime shows a certificate's validity bound: a time, or a message.
func certTime(t uint64) any {
	if t > uint64(1<<62) {
		return i18n.M("remote.hostcert.forever")
	}
	return time.Unix(int64(t), 0).UTC().Format("2006-01-02 15:04:05 UTC")
}

// What a refused certificate asks the user to do: message ids, rendered
// with the known_hosts file (File), its name for the host (Name), the host
// name (Host) and sshd's public key file (KeyFile).
const (
	certFixTrustCA = "remote.hostcert.fix.trust_ca"
	certFixResign  = "remote.hostcert.fix.resign"
	certFixRevoked = "remote.hostcert.fix.revoked"
)
