package testlab

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// SSHDOptions choose an sshd variant.
type SSHDOptions struct {
	// Password turns on PasswordAuthentication. sshd checks passwords in
	// /etc/shadow, so this only works when the tests run as root (see
	// EnsureUsers for a user with a password).
	Password bool
	// KeyboardInteractive turns on PAM and keyboard-interactive login (the
	// password is asked by PAM, as on stock Debian/Ubuntu servers). Root only.
	KeyboardInteractive bool
	// LogLevel is sshd's LogLevel; default VERBOSE, which logs every
	// connection ("Connection from ...") and login ("Accepted publickey").
	LogLevel string
	// HostKeyType is the host key's type for ssh-keygen -t; default ed25519.
	HostKeyType string
	// Config holds extra sshd_config lines.
	Config []string
	// HostCert, when set, gets the host key's .pub file before sshd starts
	// and returns a certificate for it (made by ssh-keygen -s), which sshd
	// then offers too (HostCertificate).
	HostCert func(hostPubFile string) string
}

// SSHD is a real OpenSSH server on 127.0.0.1 with its own host key,
// config and authorized_keys, stopped when the test ends. As root it can
// log in any user (EnsureUsers); otherwise only the current user.
type SSHD struct {
	Dir            string // holds everything; readable by other users (public data only)
	Port           int
	Addr           string // "127.0.0.1:port"
	ClientKey      string // private key (ed25519, no passphrase) authorized for every user
	ClientPubKey   string // its authorized_keys line
	HostPubKey     string // "ssh-ed25519 AAAA..." of the server
	KnownHostsLine string // "[127.0.0.1]:port ssh-ed25519 AAAA..."
	KnownHosts     string // a file holding just KnownHostsLine
	LogFile        string // sshd's log (-e)

	authorizedKeys string
	cmd            *exec.Cmd
	exited         chan struct{}
}

// StartSSHD starts sshd for the test. A missing sshd or ssh-keygen stops
// the test via Unavailable.
func StartSSHD(t testing.TB, opts SSHDOptions) *SSHD {
	t.Helper()
	sshd := RequireBinary(t, "sshd", "openssh-server")
	RequireBinary(t, "ssh-keygen", "openssh-client")
	if opts.LogLevel == "" {
		opts.LogLevel = "VERBOSE"
	}
	if opts.HostKeyType == "" {
		opts.HostKeyType = "ed25519"
	}
	if opts.KeyboardInteractive && os.Geteuid() != 0 {
		Unavailable(t, "sshd keyboard-interactive authentication", "it needs PAM, which needs sshd as root: run the tests as root")
	}
	if opts.Password && os.Geteuid() != 0 {
		Unavailable(t, "sshd password authentication", "sshd checks passwords in /etc/shadow: run the tests as root")
	}
	if os.Geteuid() == 0 {
		// Privilege separation needs its empty directory.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatalf("creating /run/sshd for sshd's privilege separation: %v", err)
		}
	}
	// Not t.TempDir: its 0700 directories would keep other users from
	// reading authorized_keys, which sshd opens as the logging-in user.
	dir, err := os.MkdirTemp("", "dockertls-sshd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &SSHD{Dir: dir, LogFile: filepath.Join(dir, "sshd.log"), authorizedKeys: filepath.Join(dir, "authorized_keys")}
	hostKey := filepath.Join(dir, "host_key")
	s.ClientKey = filepath.Join(dir, "client_key")
	s.HostPubKey = GenerateSSHKey(t, hostKey, opts.HostKeyType, "")
	s.ClientPubKey = GenerateSSHKey(t, s.ClientKey, "ed25519", "")
	if err := os.WriteFile(s.authorizedKeys, []byte(s.ClientPubKey+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if opts.HostCert != nil {
		opts.Config = append(opts.Config, "HostCertificate "+opts.HostCert(hostKey+".pub"))
	}

	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			t.Fatalf("finding a free port for sshd: %v", err)
		}
		if lastErr = s.start(sshd, hostKey, port, opts); lastErr == nil {
			break
		}
	}
	if lastErr != nil {
		t.Fatalf("starting sshd: %v", lastErr)
	}
	t.Cleanup(s.Stop)
	s.KnownHostsLine = fmt.Sprintf("[127.0.0.1]:%d %s", s.Port, s.HostPubKey)
	s.KnownHosts = filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(s.KnownHosts, []byte(s.KnownHostsLine+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *SSHD) start(sshd, hostKey string, port int, opts SSHDOptions) error {
	yesno := map[bool]string{true: "yes", false: "no"}
	config := []string{
		"Port " + strconv.Itoa(port),
		"ListenAddress 127.0.0.1",
		"HostKey " + hostKey,
		"PidFile " + filepath.Join(s.Dir, "sshd.pid"),
		"AuthorizedKeysFile " + s.authorizedKeys,
		"StrictModes no",
		"UsePAM " + yesno[opts.KeyboardInteractive],
		"PubkeyAuthentication yes",
		"PasswordAuthentication " + yesno[opts.Password],
		"KbdInteractiveAuthentication " + yesno[opts.KeyboardInteractive],
		"PermitRootLogin prohibit-password",
		"LogLevel " + opts.LogLevel,
		"Subsystem sftp internal-sftp",
		"MaxStartups 50",
		"MaxSessions 50",
	}
	config = append(config, opts.Config...)
	cfgFile := filepath.Join(s.Dir, "sshd_config")
	if err := os.WriteFile(cfgFile, []byte(strings.Join(config, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	logf, err := os.OpenFile(s.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(sshd, "-D", "-e", "-f", cfgFile)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		_ = logf.Close()
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); _ = logf.Close(); close(exited) }()
	s.cmd, s.exited, s.Port = cmd, exited, port
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	// Ready when it accepts a connection and greets with "SSH-".
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("sshd exited: %s", s.Log())
		default:
		}
		if greeting(s.Addr) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.Stop()
	return fmt.Errorf("sshd did not answer on %s within 15s: %s", s.Addr, s.Log())
}

func greeting(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 4)
	n, _ := c.Read(buf)
	return n == 4 && string(buf) == "SSH-"
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Stop ends sshd (and its per-connection children, which exit when their
// clients go). Called automatically at cleanup.
func (s *SSHD) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// Target is the address to connect to as user: "ssh://user@127.0.0.1:port".
func (s *SSHD) Target(user string) string {
	return "ssh://" + user + "@" + s.Addr
}

// Authorize adds an authorized_keys line for every user.
func (s *SSHD) Authorize(t testing.TB, pubKeyLine string) {
	t.Helper()
	f, err := os.OpenFile(s.authorizedKeys, os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(strings.TrimSpace(pubKeyLine) + "\n"); err != nil {
		t.Fatal(err)
	}
}

// Log returns sshd's log so far.
func (s *SSHD) Log() string {
	b, _ := os.ReadFile(s.LogFile)
	return string(b)
}

// Count is how many log lines contain substr, e.g. "Connection from" or
// "Accepted publickey for alice".
func (s *SSHD) Count(substr string) int {
	n := 0
	for _, line := range strings.Split(s.Log(), "\n") {
		if strings.Contains(line, substr) {
			n++
		}
	}
	return n
}

// GenerateSSHKey makes a key pair with the real ssh-keygen (keyType
// "ed25519", "ecdsa", "rsa"; an empty passphrase leaves it unencrypted) and
// returns the public key line. ssh-keygen takes a passphrase only in argv
// (-N) or from a terminal, so an encrypted key is made unencrypted first
// and then encrypted here, in OpenSSH's own format (bcrypt KDF, what
// ssh-keygen -N writes): the passphrase never appears in a process list.
func GenerateSSHKey(t testing.TB, path, keyType, passphrase string) string {
	t.Helper()
	keygen := RequireBinary(t, "ssh-keygen", "openssh-client")
	out, err := exec.Command(keygen, "-q", "-t", keyType, "-N", "", "-C", "dockertls-test", "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen -t %s: %v: %s", keyType, err, out)
	}
	if passphrase != "" {
		encryptSSHKey(t, path, passphrase)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(pub))
}

// encryptSSHKey rewrites an unencrypted OpenSSH private key file encrypted
// with passphrase, keeping its 0600 mode.
func encryptSSHKey(t testing.TB, path, passphrase string) {
	t.Helper()
	plain, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ssh.ParseRawPrivateKey(plain)
	if err != nil {
		t.Fatalf("reading the key ssh-keygen wrote to %s: %v", path, err)
	}
	block, err := ssh.MarshalPrivateKeyWithPassphrase(key, "dockertls-test", []byte(passphrase))
	if err != nil {
		t.Fatalf("encrypting %s: %v", path, err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
}

// StartAgent runs a real ssh-agent for the test with the given keys added
// (ssh-add) and returns its socket, for SSH_AUTH_SOCK.
func StartAgent(t testing.TB, keys ...string) string {
	t.Helper()
	agentBin := RequireBinary(t, "ssh-agent", "openssh-client")
	add := RequireBinary(t, "ssh-add", "openssh-client")
	dir, err := os.MkdirTemp("", "dockertls-agent-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	sock := filepath.Join(dir, "agent.sock")
	ctx, cancel := context.WithCancel(context.Background())
	var logBuf bytes.Buffer
	cmd := exec.CommandContext(ctx, agentBin, "-D", "-a", sock)
	cmd.Stdout, cmd.Stderr = &logBuf, &logBuf
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("starting ssh-agent: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for i := 0; ; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		select {
		case <-done:
			t.Fatalf("ssh-agent exited: %s", logBuf.String())
		case <-time.After(20 * time.Millisecond):
		}
		if i > 500 {
			t.Fatal("ssh-agent did not create its socket within 10s")
		}
	}
	for _, k := range keys {
		c := exec.Command(add, k)
		c.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock)
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("ssh-add %s: %v: %s", k, err, out)
		}
	}
	return sock
}
