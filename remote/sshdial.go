package remote

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/melbahja/goph"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// errHostKeyRefused aborts a handshake whose host key is not (yet) trusted;
// the real reason is in the dial's *HostKeyError.
var errHostKeyRefused = errors.New("host key not trusted")

// dialSSH opens the one SSH connection a Host uses. The timeout covers the
// TCP connect and the SSH handshake (goph's covers only TCP). An unknown
// host key aborts the first handshake before any credential is sent, is
// put to the Prompter, and — when accepted — appended to known_hosts and
// followed by a strict second dial.
func dialSSH(ctx context.Context, t Target, cfg Config) (Host, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	khFile, err := knownHostsFile(cfg.KnownHosts)
	if err != nil {
		return nil, &HostKeyError{Problem: HostKeyFileError, Host: t.Addr(), KnownHosts: cfg.KnownHosts, Err: err}
	}
	identity := ""
	if cfg.Identity != "" {
		if identity, err = expandHome(cfg.Identity); err != nil {
			return nil, err
		}
		if _, err := os.Stat(identity); err != nil {
			return nil, i18n.Errorf("remote.ssh.identity_unusable", "Addr", t.Addr(), "Err", err)
		}
	}
	auth := &authenticator{ctx: ctx, target: t, identity: identity, prompter: cfg.Prompter}
	defer auth.close()

	client, hkErr, err := dialOnce(ctx, t, khFile, timeout, auth)
	if hkErr != nil && hkErr.Problem == HostKeyUnknown && hkErr.offered != nil {
		trusted := false
		if cfg.Prompter != nil {
			trusted, err = cfg.Prompter.TrustHostKey(ctx, HostKeyRequest{Host: t.Addr(), KeyType: hkErr.KeyType, Fingerprint: hkErr.Fingerprint, KnownHosts: khFile})
			if err != nil {
				// Still a *HostKeyError, so callers can branch on it; the
				// prompter's words explain the refusal.
				hkErr.Err = err
				return nil, hkErr.HostKeyError
			}
		}
		if !trusted {
			return nil, hkErr.HostKeyError
		}
		if err := appendKnownHost(khFile, t.Addr(), hkErr.remote, hkErr.offered, cfg.SecretEnv); err != nil {
			return nil, err
		}
		// A fresh, strict check against the file as it is now.
		client, hkErr, err = dialOnce(ctx, t, khFile, timeout, auth)
	}
	if hkErr != nil {
		return nil, hkErr.HostKeyError
	}
	if err != nil {
		return nil, err
	}
	tr := &sshTransport{label: hostLabel(t), client: client}
	return newHost(tr, cfg.Prompter, t.Addr(), t.User), nil
}

// hostLabel is how messages name an SSH host: "node3", or "node3:2222"
// when the port is not the default.
func hostLabel(t Target) string {
	if t.Port == 22 {
		return t.Host
	}
	return t.Addr()
}

// hostKeyFailure is a *HostKeyError plus what a TOFU re-dial needs.
type hostKeyFailure struct {
	*HostKeyError
	offered ssh.PublicKey
	remote  net.Addr
}

// deadlineConn is a TCP connection whose handshake deadline can be paused
// while a person answers a prompt.
type deadlineConn struct {
	net.Conn
	timeout time.Duration
}

func (c *deadlineConn) pause()  { _ = c.Conn.SetDeadline(time.Time{}) }
func (c *deadlineConn) resume() { _ = c.Conn.SetDeadline(time.Now().Add(c.timeout)) }

// dialOnce makes one connection attempt and checks the host key strictly
// against the file as it is now.
func dialOnce(ctx context.Context, t Target, khFile string, timeout time.Duration, auth *authenticator) (*goph.Client, *hostKeyFailure, error) {
	d := net.Dialer{Timeout: timeout}
	raw, err := d.DialContext(ctx, "tcp", t.Addr())
	if err != nil {
		return nil, nil, explainDialError(t, timeout, err)
	}
	conn := &deadlineConn{Conn: raw, timeout: timeout}
	conn.resume()
	auth.pause, auth.resume = conn.pause, conn.resume

	// The host's known keys decide the algorithms we accept, and whether a
	// different key is unknown or a mismatch.
	known, cas, err := knownKeys(khFile, t.Addr(), raw.RemoteAddr())
	if err != nil {
		_ = raw.Close()
		return nil, &hostKeyFailure{HostKeyError: &HostKeyError{Problem: HostKeyFileError, Host: t.Addr(), KnownHosts: khFile, Err: err}}, nil
	}
	var failure *hostKeyFailure
	var reachedAuth bool
	checkHostKey := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		cb, err := knownhosts.New(khFile)
		if err != nil {
			failure = &hostKeyFailure{HostKeyError: &HostKeyError{Problem: HostKeyFileError, Host: t.Addr(), KnownHosts: khFile, Err: err}}
			return errHostKeyRefused
		}
		err = cb(t.Addr(), remote, key)
		if cert, ok := key.(*ssh.Certificate); ok {
			// Never trusted on first use: no offered key for a re-dial.
			if e := checkCertificate(cb, t.Addr(), remote, cert, err, khFile, cas); e != nil {
				failure = &hostKeyFailure{HostKeyError: e}
				return errHostKeyRefused
			}
			reachedAuth = true
			return nil
		}
		if err == nil {
			reachedAuth = true
			return nil
		}
		e := &HostKeyError{Host: t.Addr(), KeyType: key.Type(), Fingerprint: ssh.FingerprintSHA256(key), KnownHosts: khFile}
		var keyErr *knownhosts.KeyError
		var revoked *knownhosts.RevokedError
		switch {
		case errors.As(err, &revoked):
			e.Problem, e.Line, e.KnownHosts = HostKeyRevoked, revoked.Revoked.Line, revoked.Revoked.Filename
		case errors.As(err, &keyErr) && len(plainKeys(keyErr.Want, cas)) > 0:
			line := mismatchLine(plainKeys(keyErr.Want, cas), key)
			e.Problem, e.Line, e.KnownHosts = HostKeyMismatch, line.Line, line.Filename
		case errors.As(err, &keyErr):
			e.Problem = HostKeyUnknown
		default:
			// Anything else: refuse, naming it.
			e.Problem, e.Err = HostKeyFileError, err
		}
		failure = &hostKeyFailure{HostKeyError: e, offered: key, remote: remote}
		return errHostKeyRefused
	}

	config := &ssh.ClientConfig{
		User:              t.User,
		Auth:              auth.methods(),
		HostKeyCallback:   checkHostKey,
		HostKeyAlgorithms: hostKeyAlgorithms(known, cas),
		Timeout:           timeout,
	}
	// Cancelling ctx closes the connection, which ends the handshake.
	stop := context.AfterFunc(ctx, func() { _ = raw.Close() })
	c, chans, reqs, err := ssh.NewClientConn(conn, t.Addr(), config)
	stop()
	if err != nil {
		_ = raw.Close()
		if failure != nil {
			return nil, failure, nil
		}
		if ctx.Err() != nil {
			return nil, nil, i18n.Errorf("remote.ssh.connecting", "Addr", hostLabel(t), "Err", ctx.Err())
		}
		return nil, nil, explainHandshakeError(t, timeout, reachedAuth, auth, err)
	}
	_ = raw.SetDeadline(time.Time{})
	client := &goph.Client{
		Client: ssh.NewClient(c, chans, reqs),
		Config: &goph.Config{User: t.User, Addr: t.Host, Port: uint(t.Port), Timeout: timeout, Callback: checkHostKey},
	}
	return client, nil, nil
}

// explainDialError turns a TCP failure into what to check.
func explainDialError(t Target, timeout time.Duration, err error) error {
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return i18n.Errorf("remote.ssh.refused", "Addr", t.Addr(), "Err", err)
	case errors.As(err, &dnsErr):
		return i18n.Errorf("remote.ssh.resolve", "Host", t.Host, "Err", err)
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		return i18n.Errorf("remote.ssh.no_route", "Addr", t.Addr(), "Err", err)
	case errors.As(err, &netErr) && netErr.Timeout():
		return i18n.Errorf("remote.ssh.no_answer", "Addr", t.Addr(), "Timeout", timeout.String(), "Err", err)
	}
	return i18n.Errorf("remote.ssh.connecting", "Addr", t.Addr(), "Err", err)
}

// explainHandshakeError turns a failed SSH handshake into what to do.
func explainHandshakeError(t Target, timeout time.Duration, reachedAuth bool, auth *authenticator, err error) error {
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		if !reachedAuth {
			return i18n.Errorf("remote.ssh.handshake_stalled", "Addr", t.Addr(), "Timeout", timeout.String(), "Err", err)
		}
		return i18n.Errorf("remote.ssh.login_stalled", "Addr", t.Addr(), "Timeout", timeout.String(), "Err", err)
	}
	if reachedAuth {
		methods := "publickey"
		if i := strings.Index(err.Error(), "attempted methods ["); i >= 0 {
			rest := err.Error()[i+len("attempted methods ["):]
			if j := strings.Index(rest, "]"); j >= 0 {
				methods = strings.Join(strings.Fields(strings.ReplaceAll(rest[:j], "none", "")), ",")
			}
		}
		return i18n.Errorf("remote.ssh.permission_denied", "Methods", methods, "User", t.User, "Addr", t.Addr(), "Why", auth.describeRefusal(t.Host), "Err", err)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return i18n.Errorf("remote.ssh.handshake_timeout", "Addr", t.Addr(), "Timeout", timeout.String(), "Err", err)
	}
	return i18n.Errorf("remote.ssh.handshake_failed", "Addr", t.Addr(), "Err", err)
}

// sshTransport runs commands over SSH sessions and moves files over SFTP,
// all on one connection.
type sshTransport struct {
	label  string
	client *goph.Client

	mu   sync.Mutex
	sftp *sftp.Client
}

func (s *sshTransport) name() string { return s.label }
