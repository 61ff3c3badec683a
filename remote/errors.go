package remote

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/dockertls/dockertls/internal/shellquote"
)

// ErrNoSudo means the connecting user cannot become root on the host: sudo
// is missing or the user is not allowed to use it.
var ErrNoSudo = errors.New("cannot become root (no sudo)")

// ErrSudoPasswordWrong means sudo rejected the password it was given. The
// password is not asked for again in the same run.
var ErrSudoPasswordWrong = errors.New("sudo rejected the password")

// ErrClosed is returned by a Host after Close.
var ErrClosed = errors.New("connection already closed")

// HostKeyProblem says what is wrong with a host key.
type HostKeyProblem int

const (
	HostKeyUnknown     HostKeyProblem = iota // not in known_hosts, and not trusted now
	HostKeyMismatch                          // known_hosts holds a different key: possible attack
	HostKeyFileError                         // known_hosts is unreadable or corrupt
	HostKeyRevoked                           // known_hosts marks the offered key @revoked
	HostKeyCertificate                       // the host's certificate is refused (Cause says why)
)

// HostKeyError is returned by Open when the host key is not verified. Its
// message says what to do; callers branch on Problem.
type HostKeyError struct {
	Problem     HostKeyProblem
	Host        string // "node3:22"
	KeyType     string // the key the server offered
	Fingerprint string // SHA256:... of that key
	KnownHosts  string // the known_hosts file consulted
	Line        int    // for a mismatch: the line that holds the other key
	Err         error  // the underlying cause, if any
	// Cause says why a host certificate was refused, e.g. "it expired on
	// 2026-01-02 00:00:00 UTC" (HostKeyCertificate only).
	Cause string

	certID, certCA, certKeyType, fix string
	certSerial                       uint64
}

func (e *HostKeyError) Error() string {
	switch e.Problem {
	case HostKeyMismatch:
		return fmt.Sprintf("host key mismatch for %s: it offered %s key %s, but %s line %d holds a different key. "+
			"Someone may be intercepting the connection (man-in-the-middle), or the host was reinstalled. "+
			"Check the key on the host itself (ssh-keygen -lf %s); if the change is expected, "+
			"remove the old entry with: ssh-keygen -R %s -f %s",
			e.Host, e.KeyType, e.Fingerprint, e.KnownHosts, e.Line, HostKeyFile(e.KeyType), shellquote.POSIX(knownHostsName(e.Host)), shellquote.POSIX(e.KnownHosts))
	case HostKeyRevoked:
		return fmt.Sprintf("host key of %s is revoked: it offered %s key %s, which %s line %d marks @revoked. "+
			"Do not connect: the key was withdrawn, maybe because it leaked. Ask the host's admin for its new key "+
			"(on the host: ssh-keygen -lf %s) and check that the host offers it",
			e.Host, e.KeyType, e.Fingerprint, e.KnownHosts, e.Line, HostKeyFile(e.KeyType))
	case HostKeyCertificate:
		host, _, err := net.SplitHostPort(e.Host)
		if err != nil {
			host = e.Host
		}
		fix := fmt.Sprintf(e.fix, e.KnownHosts, knownHostsName(e.Host), host, HostKeyFile(e.certKeyType))
		return fmt.Sprintf("host certificate of %s refused: it offered %s (ID %q, serial %d, host key %s, signed by CA %s), but %s. "+
			"dockertls does not fall back to the bare key or ask to trust it. %s",
			e.Host, e.KeyType, e.certID, e.certSerial, e.Fingerprint, e.certCA, e.Cause, fix)
	case HostKeyFileError:
		return fmt.Sprintf("cannot check the host key of %s: %s is unreadable or corrupt (%v); fix or move the file, then try again",
			e.Host, e.KnownHosts, e.Err)
	}
	if e.Err != nil {
		return fmt.Sprintf("unknown host key for %s (%s %s) not trusted: %v", e.Host, e.KeyType, e.Fingerprint, e.Err)
	}
	return fmt.Sprintf("unknown host key for %s: %s %s is not in %s and was not accepted. "+
		"Compare it with the host's own key (on the host: ssh-keygen -lf %s; "+
		"from here: %s), then accept it "+
		"(dockertls: --accept-new-host-keys, or answer yes when asked)",
		e.Host, e.KeyType, e.Fingerprint, e.KnownHosts, HostKeyFile(e.KeyType), keyscanCommand(e.Host))
}

func (e *HostKeyError) Unwrap() error { return e.Err }

// keyscanCommand is how to look at a host's keys from here.
func keyscanCommand(hostport string) string {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = hostport, "22"
	}
	return fmt.Sprintf("ssh-keyscan -p %s %s | ssh-keygen -lf -", port, shellquote.POSIX(host))
}

// HostKeyFile is where sshd keeps its public host key of an SSH key type
// (ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, rsa-sha2-512 ...), so the
// command that compares fingerprints reads the key that was offered.
func HostKeyFile(keyType string) string {
	switch {
	case strings.HasPrefix(keyType, "ecdsa-"):
		return "/etc/ssh/ssh_host_ecdsa_key.pub"
	case keyType == "ssh-rsa" || strings.HasPrefix(keyType, "rsa-"):
		return "/etc/ssh/ssh_host_rsa_key.pub"
	case keyType == "ssh-ed25519":
		return "/etc/ssh/ssh_host_ed25519_key.pub"
	}
	return "/etc/ssh/ssh_host_*_key.pub"
}
