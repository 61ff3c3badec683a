package remote

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
)

// ErrNoSudo means the connecting user cannot become root on the host: sudo
// is missing or the user is not allowed to use it.
var ErrNoSudo = i18n.Errorf("remote.sudo.no_sudo")

// ErrSudoPasswordWrong means sudo rejected the password it was given. The
// password is not asked for again in the same run.
var ErrSudoPasswordWrong = i18n.Errorf("remote.sudo.password_rejected")

// ErrClosed is returned by a Host after Close.
var ErrClosed = i18n.Errorf("remote.closed")

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
	// 2026-01-02 00:00:00 UTC" (HostKeyCertificate only), in English; the
	// error's message says it in the reader's language.
	Cause string

	cause       i18n.Message // Cause as a message
	fixID       string       // the message that says what to do
	certID      string
	certCA      string // the CA key's fingerprint
	certCAFile  string // the known_hosts file whose @cert-authority line trusts it ("": none)
	certCALine  int
	certKeyType string
	certSerial  uint64
}

// Error is the message in English.
func (e *HostKeyError) Error() string { return e.Localize(i18n.New(i18n.English)) }

// Localize implements i18n.Localized: the message in l's language, with
// the host, key, file and commands as they are.
func (e *HostKeyError) Localize(l *i18n.Localizer) string {
	switch e.Problem {
	case HostKeyMismatch:
		return l.T("remote.hostkey.mismatch", "Host", e.Host, "KeyType", e.KeyType, "Fingerprint", e.Fingerprint,
			"File", e.KnownHosts, "Line", e.Line, "KeyFile", HostKeyFile(e.KeyType),
			"Name", shellquote.POSIX(knownHostsName(e.Host)), "FileArg", shellquote.POSIX(e.KnownHosts))
	case HostKeyRevoked:
		return l.T("remote.hostkey.revoked", "Host", e.Host, "KeyType", e.KeyType, "Fingerprint", e.Fingerprint,
			"File", e.KnownHosts, "Line", e.Line, "KeyFile", HostKeyFile(e.KeyType))
	case HostKeyCertificate:
		host, _, err := net.SplitHostPort(e.Host)
		if err != nil {
			host = e.Host
		}
		ca := any(e.certCA)
		if e.certCAFile != "" {
			ca = i18n.M("remote.hostcert.ca_trusted", "CA", e.certCA, "File", e.certCAFile, "Line", e.certCALine)
		}
		cause := any(e.Cause)
		if !e.cause.IsZero() {
			cause = e.cause
		}
		fix := i18n.M(e.fixID, "File", e.KnownHosts, "Name", knownHostsName(e.Host), "Host", host, "KeyFile", HostKeyFile(e.certKeyType))
		return l.T("remote.hostcert.refused", "Host", e.Host, "KeyType", e.KeyType, "ID", strconv.Quote(e.certID),
			"Serial", e.certSerial, "Fingerprint", e.Fingerprint, "CA", ca, "Cause", cause, "Fix", fix)
	case HostKeyFileError:
		return l.T("remote.hostkey.file_error", "Host", e.Host, "File", e.KnownHosts, "Err", e.Err)
	}
	if e.Err != nil {
		return l.T("remote.hostkey.not_trusted", "Host", e.Host, "KeyType", e.KeyType, "Fingerprint", e.Fingerprint, "Err", e.Err)
	}
	return l.T("remote.hostkey.unknown", "Host", e.Host, "KeyType", e.KeyType, "Fingerprint", e.Fingerprint,
		"File", e.KnownHosts, "KeyFile", HostKeyFile(e.KeyType), "Keyscan", keyscanCommand(e.Host))
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
