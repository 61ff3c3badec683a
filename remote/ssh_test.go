package remote_test

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/remote"
	"golang.org/x/crypto/ssh/knownhosts"
)

// sshImplementations adds SSH to the behaviour suite: as the current user
// (works without root), and, on a disposable root machine, as a user with
// passwordless sudo.
func sshImplementations(t *testing.T) []hostUnderTest {
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	open := func(user string) func(t *testing.T) remote.Host {
		return func(t *testing.T) remote.Host { return openSSH(t, s, user, remote.EnvPrompter{}) }
	}
	impls := []hostUnderTest{{name: "ssh", open: open(currentUser(t)), user: currentUser(t)}}
	if os.Geteuid() == 0 && testlab.Disposable() {
		testlab.EnsureUsers(t)
		impls = append(impls, hostUnderTest{name: "ssh-sudo-nopw", open: open(testlab.UserSudoNoPassword), user: testlab.UserSudoNoPassword})
	}
	return impls
}

// openSSH connects to s as user with the harness's key and known_hosts.
func openSSH(t *testing.T, s *testlab.SSHD, user string, p remote.Prompter) remote.Host {
	t.Helper()
	h, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(user), Identity: s.ClientKey, KnownHosts: s.KnownHosts, Prompter: p})
	if err != nil {
		t.Fatalf("Open %s: %v\nsshd log:\n%s", s.Target(user), err, s.Log())
	}
	t.Cleanup(func() { _ = h.Close() })
	return h
}

// isolate points HOME at an empty directory and removes ssh-agent, so only
// the credentials a test sets up are offered.
func isolate(t *testing.T) string {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("SSH_AUTH_SOCK", "")
	return home
}

// countingPrompter answers from fixed values and counts the questions.
type countingPrompter struct {
	mu      sync.Mutex
	trust   bool
	secrets map[remote.SecretKind]string
	asked   map[remote.SecretKind]int
	trusts  int
}

func (p *countingPrompter) TrustHostKey(context.Context, remote.HostKeyRequest) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.trusts++
	return p.trust, nil
}

func (p *countingPrompter) Secret(_ context.Context, req remote.SecretRequest) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.asked == nil {
		p.asked = map[remote.SecretKind]int{}
	}
	p.asked[req.Kind]++
	if v, ok := p.secrets[req.Kind]; ok {
		return v, nil
	}
	return "", errors.New("no answer in this test")
}

func (p *countingPrompter) count(k remote.SecretKind) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.asked[k]
}

func runOut(t *testing.T, h remote.Host, cmd remote.Command) string {
	t.Helper()
	res, err := h.Run(ctxT(t), cmd)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("%v: exit %d: %s", cmd.Args, res.ExitCode, res.Stderr)
	}
	return strings.TrimSpace(string(res.Stdout))
}

func TestSSHKeyAuth(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	me := currentUser(t)
	h := openSSH(t, s, me, nil)
	if got := runOut(t, h, remote.Command{Args: []string{"id", "-un"}}); got != me {
		t.Fatalf("logged in as %q, want %q", got, me)
	}
	if n := s.Count("Accepted publickey for " + me); n != 1 {
		t.Fatalf("%d public key logins, want 1:\n%s", n, s.Log())
	}
}

func TestSSHDefaultKeyAuth(t *testing.T) {
	home := isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	testlab.GenerateSSHKey(t, filepath.Join(home, ".ssh", "id_rsa"), "ed25519", "") // an unauthorized key first
	s.Authorize(t, testlab.GenerateSSHKey(t, filepath.Join(home, ".ssh", "id_ecdsa"), "ecdsa", ""))
	h, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), KnownHosts: s.KnownHosts})
	if err != nil {
		t.Fatalf("Open with ~/.ssh/id_ecdsa: %v\n%s", err, s.Log())
	}
	defer h.Close()
	runOut(t, h, remote.Command{Args: []string{"true"}})
}

func TestSSHAgentAuth(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	key := filepath.Join(t.TempDir(), "agent_key")
	s.Authorize(t, testlab.GenerateSSHKey(t, key, "ed25519", ""))
	target := s.Target(currentUser(t))

	// Without the agent the key is not found, and the error says what to do.
	_, err := remote.Open(ctxT(t), remote.Config{Target: target, KnownHosts: s.KnownHosts, Prompter: remote.EnvPrompter{Getenv: func(string) string { return "" }}})
	if err == nil || !strings.Contains(err.Error(), "permission denied") || !strings.Contains(err.Error(), "authorized_keys") {
		t.Fatalf("Open without any key: %v", err)
	}

	sock := testlab.StartAgent(t, key)
	t.Setenv("SSH_AUTH_SOCK", sock)
	if err := os.Remove(key); err != nil { // the agent alone holds it now
		t.Fatal(err)
	}
	h, err := remote.Open(ctxT(t), remote.Config{Target: target, KnownHosts: s.KnownHosts})
	if err != nil {
		t.Fatalf("Open through ssh-agent: %v\n%s", err, s.Log())
	}
	defer h.Close()
	runOut(t, h, remote.Command{Args: []string{"true"}})
}

func TestSSHEncryptedIdentity(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	key := filepath.Join(t.TempDir(), "id_enc")
	s.Authorize(t, testlab.GenerateSSHKey(t, key, "ed25519", "right passphrase"))
	target := s.Target(currentUser(t))

	p := &countingPrompter{secrets: map[remote.SecretKind]string{remote.SecretKeyPassphrase: "right passphrase"}}
	h, err := remote.Open(ctxT(t), remote.Config{Target: target, Identity: key, KnownHosts: s.KnownHosts, Prompter: p})
	if err != nil {
		t.Fatalf("Open with an encrypted key: %v", err)
	}
	h.Close()
	if n := p.count(remote.SecretKeyPassphrase); n != 1 {
		t.Fatalf("passphrase asked %d times, want 1", n)
	}

	p = &countingPrompter{secrets: map[remote.SecretKind]string{remote.SecretKeyPassphrase: "wrong"}}
	_, err = remote.Open(ctxT(t), remote.Config{Target: target, Identity: key, KnownHosts: s.KnownHosts, Prompter: p})
	if err == nil || !strings.Contains(err.Error(), "passphrase") || !strings.Contains(err.Error(), key) {
		t.Fatalf("Open with a wrong passphrase: %v", err)
	}
	if n := p.count(remote.SecretKeyPassphrase); n != 1 {
		t.Fatalf("wrong passphrase asked %d times, want 1 (no retry loop)", n)
	}
}

func TestSSHPasswordAuth(t *testing.T) {
	testlab.EnsureUsers(t)
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{Password: true})
	target := s.Target(testlab.UserSudoPassword)
	env := func(v string) func(string) string {
		return func(name string) string {
			if name == remote.EnvSSHPassword {
				return v
			}
			return ""
		}
	}
	h, err := remote.Open(ctxT(t), remote.Config{Target: target, KnownHosts: s.KnownHosts, Prompter: remote.EnvPrompter{Getenv: env(testlab.SudoPassword)}})
	if err != nil {
		t.Fatalf("Open with a password: %v\n%s", err, s.Log())
	}
	if got := runOut(t, h, remote.Command{Args: []string{"id", "-un"}}); got != testlab.UserSudoPassword {
		t.Fatalf("logged in as %q", got)
	}
	h.Close()
	if n := s.Count("Accepted password for " + testlab.UserSudoPassword); n != 1 {
		t.Fatalf("%d password logins, want 1:\n%s", n, s.Log())
	}

	p := &countingPrompter{secrets: map[remote.SecretKind]string{remote.SecretSSHPassword: "wrong"}}
	_, err = remote.Open(ctxT(t), remote.Config{Target: target, KnownHosts: s.KnownHosts, Prompter: p})
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("Open with a wrong password: %v", err)
	}
	if n := p.count(remote.SecretSSHPassword); n != 1 {
		t.Fatalf("password asked %d times, want 1", n)
	}
	// Headless without the variable: the error names it.
	_, err = remote.Open(ctxT(t), remote.Config{Target: target, KnownHosts: s.KnownHosts, Prompter: remote.EnvPrompter{Getenv: env("")}})
	if err == nil || !strings.Contains(err.Error(), remote.EnvSSHPassword) {
		t.Fatalf("Open without a password: %v", err)
	}
}

// fingerprint asks the real ssh-keygen, the oracle users are told to use.
func fingerprint(t *testing.T, pubLine string) string {
	f := filepath.Join(t.TempDir(), "k.pub")
	if err := os.WriteFile(f, []byte(pubLine+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ssh-keygen", "-lf", f).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(out))[1]
}

func TestSSHUnknownHostRefusedHeadless(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte("# nothing yet\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: remote.EnvPrompter{}})
	var hk *remote.HostKeyError
	if !errors.As(err, &hk) || hk.Problem != remote.HostKeyUnknown {
		t.Fatalf("Open of an unknown host: %v, want *HostKeyError (unknown)", err)
	}
	fp := fingerprint(t, s.HostPubKey)
	for _, want := range []string{fp, "ssh-ed25519", "ssh-keygen -lf", kh, "--accept-new-host-keys"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
	if got, _ := os.ReadFile(kh); string(got) != "# nothing yet\n" {
		t.Fatalf("known_hosts changed: %q", got)
	}
	if strings.Contains(s.Log(), "Accepted") || strings.Contains(s.Log(), "Failed") {
		t.Fatalf("credentials were sent to an unverified host:\n%s", s.Log())
	}
	// A prompter that refuses with its own explanation: still typed.
	refusal := errors.New("the user said no")
	_, err = remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: refusingPrompter{refusal}})
	if !errors.As(err, &hk) || hk.Problem != remote.HostKeyUnknown || !errors.Is(err, refusal) || !strings.Contains(err.Error(), fp) {
		t.Fatalf("Open with a refusing prompter: %v", err)
	}
	// nil Prompter: refused the same way.
	_, err = remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh})
	if !errors.As(err, &hk) || hk.Problem != remote.HostKeyUnknown {
		t.Fatalf("Open with no prompter: %v", err)
	}
}

func TestSSHTrustOnFirstUse(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	// Neither the directory nor the file exists yet.
	sshDir := filepath.Join(t.TempDir(), "dot-ssh")
	kh := filepath.Join(sshDir, "known_hosts")
	p := &countingPrompter{trust: true}
	target := s.Target(currentUser(t))
	h, err := remote.Open(ctxT(t), remote.Config{Target: target, Identity: s.ClientKey, KnownHosts: kh, Prompter: p})
	if err != nil {
		t.Fatalf("Open accepting the new key: %v", err)
	}
	runOut(t, h, remote.Command{Args: []string{"true"}})
	h.Close()
	if p.trusts != 1 {
		t.Fatalf("asked %d times to trust, want 1", p.trusts)
	}
	if fi, err := os.Stat(sshDir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("known_hosts directory: %v, %v; want 0700", fi.Mode(), err)
	}
	if fi, err := os.Stat(kh); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("known_hosts file: %v, %v; want 0600", fi.Mode(), err)
	}
	data, err := os.ReadFile(kh)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], keyOnly(s.HostPubKey)) {
		t.Fatalf("known_hosts after TOFU: %q", data)
	}
	// Hashed exactly when OpenSSH itself would hash (its effective config).
	if hashed, want := strings.HasPrefix(lines[0], "|1|"), sshHashes(t, s); hashed != want {
		t.Fatalf("known_hosts line hashed=%v, but ssh -G says hashknownhosts=%v: %q", hashed, want, lines[0])
	} else if !hashed && !strings.HasPrefix(lines[0], "[127.0.0.1]:") {
		t.Fatalf("known_hosts line does not name [127.0.0.1]:port: %q", lines[0])
	}
	// OpenSSH itself finds the host in the line.
	port := s.Addr[strings.LastIndex(s.Addr, ":")+1:]
	if out, err := exec.Command("ssh-keygen", "-F", "[127.0.0.1]:"+port, "-f", kh).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -F does not find the new line: %v: %s", err, out)
	}
	// Strict from now on: no question, no new line.
	p2 := &countingPrompter{}
	h, err = remote.Open(ctxT(t), remote.Config{Target: target, Identity: s.ClientKey, KnownHosts: kh, Prompter: p2})
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	h.Close()
	if again, _ := os.ReadFile(kh); string(again) != string(data) || p2.trusts != 0 {
		t.Fatalf("second Open changed known_hosts (%q) or asked (%d)", again, p2.trusts)
	}
}

func TestSSHHostKeyMismatch(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	kh, content := knownHostsWithOtherKey(t, s)
	p := &countingPrompter{trust: true}
	_, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: p})
	var hk *remote.HostKeyError
	if !errors.As(err, &hk) || hk.Problem != remote.HostKeyMismatch || hk.Line != 3 || hk.KnownHosts != kh {
		t.Fatalf("Open with a changed host key: %v (%+v), want mismatch at %s line 3", err, hk, kh)
	}
	for _, want := range []string{kh, "line 3", "man-in-the-middle", "ssh-keygen -R", fingerprint(t, s.HostPubKey)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
	if p.trusts != 0 {
		t.Fatal("a mismatch was put to the prompter")
	}
	if got, _ := os.ReadFile(kh); string(got) != content {
		t.Fatalf("known_hosts changed: %q", got)
	}
}

// knownHostsWithOtherKey writes a known_hosts file, as an editor would,
// whose third line holds another key for s (a reinstalled host, or an
// attacker), and returns its path and content.
func knownHostsWithOtherKey(t *testing.T, s *testlab.SSHD) (string, string) {
	t.Helper()
	other := testlab.GenerateSSHKey(t, filepath.Join(t.TempDir(), "other"), "ed25519", "")
	kh := filepath.Join(t.TempDir(), "known_hosts")
	port := s.Addr[strings.LastIndex(s.Addr, ":")+1:]
	content := "# a comment\nexample.org " + other + "\n[127.0.0.1]:" + port + " " + other + "\n"
	if err := os.WriteFile(kh, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return kh, content
}

// A host key that known_hosts marks @revoked is refused as revoked (not as
// a corrupt file, whose fix would be to move the file away), even next to a
// line that trusts it, and never put to the prompter.
func TestSSHRevokedHostKey(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	content := string(mustRead(t, s.KnownHosts)) + "@revoked * " + s.HostPubKey + "\n"
	if err := os.WriteFile(kh, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	p := &countingPrompter{trust: true}
	_, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: p})
	var hk *remote.HostKeyError
	if !errors.As(err, &hk) || hk.Problem != remote.HostKeyRevoked || hk.KnownHosts != kh || hk.Line != 2 {
		t.Fatalf("Open with a revoked host key: %v (%+v), want revoked at %s line 2", err, hk, kh)
	}
	for _, want := range []string{"revoked", kh + " line 2", fingerprint(t, s.HostPubKey)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "corrupt") {
		t.Errorf("a revoked key is reported as a corrupt file: %v", err)
	}
	if p.trusts != 0 || s.Count("Accepted publickey") != 0 {
		t.Fatalf("revoked key: %d prompts, %d logins", p.trusts, s.Count("Accepted publickey"))
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sshHashes asks OpenSSH whether it hashes known_hosts names for s.
func sshHashes(t *testing.T, s *testlab.SSHD) bool {
	t.Helper()
	host, port, _ := net.SplitHostPort(s.Addr)
	out, err := exec.Command("ssh", "-G", "-p", port, host).Output()
	if err != nil {
		t.Fatalf("ssh -G: %v", err)
	}
	return strings.Contains(string(out), "\nhashknownhosts yes\n")
}

// A known_hosts file that already hashes its names gets hashed lines too
// (one per name, as OpenSSH writes them): the host is not listed in clear.
func TestSSHTrustOnFirstUseKeepsHashing(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	other := testlab.GenerateSSHKey(t, filepath.Join(t.TempDir(), "other"), "ed25519", "")
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(knownhosts.HashHostname("elsewhere.example")+" "+other), 0o600); err != nil { // no final newline
		t.Fatal(err)
	}
	h, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: &countingPrompter{trust: true}})
	if err != nil {
		t.Fatalf("Open accepting the new key: %v", err)
	}
	h.Close()
	data := string(mustRead(t, kh))
	lines := strings.Split(strings.TrimSpace(data), "\n")
	if len(lines) < 2 || strings.Contains(data, "127.0.0.1") {
		t.Fatalf("known_hosts after TOFU: %q", data)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "|1|") {
			t.Errorf("unhashed line %q", l)
		}
	}
	_, port, _ := net.SplitHostPort(s.Addr)
	if out, err := exec.Command("ssh-keygen", "-F", "[127.0.0.1]:"+port, "-f", kh).CombinedOutput(); err != nil || !strings.Contains(string(out), keyOnly(s.HostPubKey)) {
		t.Fatalf("ssh-keygen -F does not find the hashed line: %v: %s", err, out)
	}
	// And dockertls finds it: strict from now on, no question.
	p := &countingPrompter{}
	h, err = remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: p})
	if err != nil || p.trusts != 0 {
		t.Fatalf("second Open: %v, %d questions", err, p.trusts)
	}
	h.Close()
}

// A server with ECDSA and Ed25519 host keys, known_hosts with only the
// Ed25519 one (what OpenSSH records): no false mismatch.
func TestSSHPinsHostKeyAlgorithm(t *testing.T) {
	isolate(t)
	ecdsaKey := filepath.Join(t.TempDir(), "host_ecdsa")
	testlab.GenerateSSHKey(t, ecdsaKey, "ecdsa", "")
	s := testlab.StartSSHD(t, testlab.SSHDOptions{Config: []string{"HostKey " + ecdsaKey}})
	h := openSSH(t, s, currentUser(t), nil)
	runOut(t, h, remote.Command{Args: []string{"true"}})
}

func TestSSHCorruptKnownHosts(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte("good.example ssh-ed25519 !!!notbase64!!!\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: &countingPrompter{trust: true}})
	var hk *remote.HostKeyError
	if !errors.As(err, &hk) || hk.Problem != remote.HostKeyFileError || !strings.Contains(err.Error(), kh) {
		t.Fatalf("Open with a corrupt known_hosts: %v, want a file error naming it", err)
	}
}

func TestSSHSilentPortTimesOut(t *testing.T) {
	isolate(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // accept, never speak
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	// The guard context is far longer than the connect timeout: ending by
	// the guard would mean the timeout did not cover the handshake.
	guard, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = remote.Open(guard, remote.Config{Target: "ssh://u@" + l.Addr().String(), KnownHosts: filepath.Join(t.TempDir(), "kh"), Timeout: 300 * time.Millisecond})
	if err == nil || errors.Is(err, context.DeadlineExceeded) || guard.Err() != nil {
		t.Fatalf("Open of a silent port: %v (guard: %v)", err, guard.Err())
	}
	if !strings.Contains(err.Error(), "SSH handshake") || !strings.Contains(err.Error(), l.Addr().String()) {
		t.Fatalf("error does not explain the silent port: %v", err)
	}
}

func TestSSHConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = remote.Open(ctxT(t), remote.Config{Target: "ssh://u@" + addr, KnownHosts: filepath.Join(t.TempDir(), "kh")})
	if err == nil || !strings.Contains(err.Error(), "connection refused on "+addr) || !strings.Contains(err.Error(), "is sshd running") {
		t.Fatalf("Open of a closed port: %v", err)
	}
}

func TestSSHKeyNotAccepted(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	key := filepath.Join(t.TempDir(), "id_ed25519")
	testlab.GenerateSSHKey(t, key, "ed25519", "")
	_, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: key, KnownHosts: s.KnownHosts, Prompter: remote.EnvPrompter{Getenv: func(string) string { return "" }}})
	if err == nil {
		t.Fatal("an unauthorized key was accepted")
	}
	for _, want := range []string{"permission denied (publickey)", "did not accept " + key, "authorized_keys", remote.EnvSSHPassword} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
}

// One connection serves a whole run: three files and two commands.
func TestSSHOneConnectionPerRun(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{LogLevel: "VERBOSE"})
	before := s.Count("Connection from")
	h := openSSH(t, s, currentUser(t), nil)
	dir := sharedDir(t)
	for _, n := range []string{"ca.pem", "cert.pem", "key.pem"} {
		if err := h.WriteFile(ctxT(t), filepath.Join(dir, n), []byte(n), remote.WriteOptions{Mode: 0o600}); err != nil {
			t.Fatal(err)
		}
	}
	runOut(t, h, remote.Command{Args: []string{"ls", dir}})
	runOut(t, h, remote.Command{Args: []string{"cat", filepath.Join(dir, "ca.pem")}})
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if n := s.Count("Connection from") - before; n != 1 {
		t.Fatalf("%d connections for one run, want 1:\n%s", n, s.Log())
	}
	if n := s.Count("Accepted publickey"); n != 1 {
		t.Fatalf("%d logins for one run, want 1:\n%s", n, s.Log())
	}
}

// keyOnly drops the comment of a public key line: "type base64".
func keyOnly(pub string) string {
	f := strings.Fields(pub)
	return f[0] + " " + f[1]
}

// OpenSSH hashes known_hosts on Debian (HashKnownHosts yes): such lines
// verify too.
func TestSSHHashedKnownHosts(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(s.KnownHostsLine+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("ssh-keygen", "-H", "-f", kh).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -H: %v: %s", err, out)
	}
	if data, _ := os.ReadFile(kh); !strings.HasPrefix(string(data), "|1|") {
		t.Fatalf("not hashed: %q", data)
	}
	h, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh})
	if err != nil {
		t.Fatalf("Open with a hashed known_hosts: %v", err)
	}
	h.Close()
}

func TestSSHMissingIdentity(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	missing := filepath.Join(t.TempDir(), "id_nope")
	_, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: missing, KnownHosts: s.KnownHosts})
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "identity") {
		t.Fatalf("Open with a missing identity file: %v", err)
	}
	if s.Count("Connection from") > 1 { // the harness's readiness probe
		t.Fatalf("connected although the identity file is missing:\n%s", s.Log())
	}
}

// refusingPrompter says no to everything, with a reason.
type refusingPrompter struct{ err error }

func (p refusingPrompter) TrustHostKey(context.Context, remote.HostKeyRequest) (bool, error) {
	return false, p.err
}

func (p refusingPrompter) Secret(context.Context, remote.SecretRequest) (string, error) {
	return "", p.err
}

// Stock Debian/Ubuntu servers ask for the password through PAM's
// keyboard-interactive prompt.
func TestSSHKeyboardInteractive(t *testing.T) {
	testlab.EnsureUsers(t)
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{KeyboardInteractive: true})
	p := &countingPrompter{secrets: map[remote.SecretKind]string{remote.SecretSSHPassword: testlab.SudoPassword}}
	h, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(testlab.UserSudoPassword), KnownHosts: s.KnownHosts, Prompter: p})
	if err != nil {
		t.Fatalf("Open with keyboard-interactive: %v\n%s", err, s.Log())
	}
	defer h.Close()
	if got := runOut(t, h, remote.Command{Args: []string{"id", "-un"}}); got != testlab.UserSudoPassword {
		t.Fatalf("logged in as %q", got)
	}
	if n := p.count(remote.SecretSSHPassword); n != 1 {
		t.Fatalf("password asked %d times, want 1", n)
	}
	if n := s.Count("Accepted keyboard-interactive/pam for " + testlab.UserSudoPassword); n != 1 {
		t.Fatalf("%d keyboard-interactive logins, want 1:\n%s", n, s.Log())
	}
}
