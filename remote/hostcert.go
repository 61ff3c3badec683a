package remote

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/fsread"
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
			e.certCA += fmt.Sprintf(", which %s line %d trusts", file, ca.line)
			break
		}
	}
	hostname, _, _ := net.SplitHostPort(addr)
	now := time.Now()
	switch {
	case revoked != nil:
		e.Cause, e.Line, e.fix = fmt.Sprintf("the host key inside it is marked @revoked in %s line %d", revoked.Revoked.Filename, revoked.Revoked.Line), revoked.Revoked.Line, certFixRevoked
	case errors.As(cb(addr, remote, cert.SignatureKey), &revoked):
		e.Cause, e.Line, e.fix = fmt.Sprintf("its CA key %s is marked @revoked in %s line %d", ssh.FingerprintSHA256(cert.SignatureKey), revoked.Revoked.Filename, revoked.Revoked.Line), revoked.Revoked.Line, certFixRevoked
	case cert.CertType != ssh.HostCert:
		e.Cause, e.fix = "it is a user certificate, not a host certificate", certFixResign
	case !authorityFor(cb, addr, remote, cert.SignatureKey):
		e.fix = certFixTrustCA
		if len(cas) == 0 {
			e.Cause = fmt.Sprintf("it is signed by CA %s, and %s has no @cert-authority line for %s", ssh.FingerprintSHA256(cert.SignatureKey), file, hostname)
			break
		}
		trusted := make([]string, len(cas))
		for i, ca := range cas {
			trusted[i] = fmt.Sprintf("%s (line %d)", ssh.FingerprintSHA256(ca.key), ca.line)
		}
		e.Cause = fmt.Sprintf("it is signed by CA %s, but %s trusts only %s to sign host keys for %s", ssh.FingerprintSHA256(cert.SignatureKey), file, strings.Join(trusted, ", "), hostname)
	case len(cert.ValidPrincipals) > 0 && !slices.Contains(cert.ValidPrincipals, hostname):
		e.Cause, e.fix = fmt.Sprintf("it is valid for %s only, not for %s (the name dockertls connects to)", strings.Join(cert.ValidPrincipals, ", "), hostname), certFixResign
	case cert.ValidAfter > uint64(now.Unix()):
		e.Cause, e.fix = fmt.Sprintf("it is valid only from %s", certTime(cert.ValidAfter)), certFixResign
	case cert.ValidBefore != ssh.CertTimeInfinity && cert.ValidBefore <= uint64(now.Unix()):
		e.Cause, e.fix = fmt.Sprintf("it expired on %s", certTime(cert.ValidBefore)), certFixResign
	default:
		e.Cause, e.fix = fmt.Sprintf("known_hosts' CA check refused it (%v)", err), certFixResign
	}
	return e
}

// certTime shows a certificate's validity bound.
func certTime(t uint64) string {
	if t > uint64(1<<62) {
		return "forever"
	}
	return time.Unix(int64(t), 0).UTC().Format("2006-01-02 15:04:05 UTC")
}

// What a refused certificate asks the user to do.
const (
	certFixTrustCA = "If that CA signs your hosts' keys, add its public key to %[1]s as a line " +
		"'@cert-authority %[2]s <the CA's .pub file>'; otherwise the host, or someone between you and it, " +
		"shows a certificate you never trusted: do not connect"
	certFixResign = "Have the host's key signed again on the CA's machine (ssh-keygen -s CA_KEY -h -I %[3]s -n %[3]s " +
		"-V +52w %[4]s), install the new certificate as sshd's HostCertificate and reload sshd"
	certFixRevoked = "Do not connect: the key was withdrawn, maybe because it leaked. Ask the host's admin " +
		"for its new key and certificate"
)
