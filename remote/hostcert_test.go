package remote_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/remote"
)

// sshCA is a host CA made by ssh-keygen.
type sshCA struct {
	key string // private key file
	pub string // "ssh-ed25519 AAAA..."
}

func newSSHCA(t *testing.T, name string) sshCA {
	t.Helper()
	key := filepath.Join(t.TempDir(), name)
	return sshCA{key: key, pub: testlab.GenerateSSHKey(t, key, "ed25519", "")}
}

// signer returns a testlab HostCert that signs the host key with ca the
// way an admin does: ssh-keygen -s CA -h -I ID -n PRINCIPALS [-V VALIDITY].
func (ca sshCA) signer(t *testing.T, principals, validity string) func(string) string {
	return func(pubFile string) string {
		args := []string{"-q", "-s", ca.key, "-h", "-I", "test-host", "-z", "42", "-n", principals}
		if validity != "" {
			args = append(args, "-V", validity)
		}
		if out, err := exec.Command("ssh-keygen", append(args, pubFile)...).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen -s: %v: %s", err, out)
		}
		return strings.TrimSuffix(pubFile, ".pub") + "-cert.pub"
	}
}

// knownHostsFileWith writes a known_hosts file holding lines.
func knownHostsFileWith(t *testing.T, lines ...string) (string, string) {
	t.Helper()
	kh := filepath.Join(t.TempDir(), "known_hosts")
	content := strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(kh, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return kh, content
}

// A host certificate signed by a CA that an @cert-authority line trusts
// for the host is accepted, whether the host offers its certificate next
// to its key or only the certificate, and whether known_hosts also holds
// the bare key: no question, no known_hosts change.
func TestSSHHostCertificateAccepted(t *testing.T) {
	isolate(t)
	testlab.RequireBinary(t, "ssh-keygen", "openssh-client")
	ca := newSSHCA(t, "host_ca")
	certOnly := []string{"HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com"}
	cases := []struct {
		name   string
		config []string
		lines  func(s *testlab.SSHD) []string
	}{
		{"cert and key, CA for the host", nil, func(s *testlab.SSHD) []string {
			return []string{"@cert-authority [127.0.0.1]:" + port(s) + " " + ca.pub}
		}},
		{"only the cert, CA for every host", certOnly, func(s *testlab.SSHD) []string {
			// Go's knownhosts, unlike OpenSSH, reads a pattern without a
			// port as port 22: another port is named.
			return []string{"# hosts of the lab", "@cert-authority [*]:" + port(s) + " " + ca.pub}
		}},
		{"cert and key, CA and the bare key known", nil, func(s *testlab.SSHD) []string {
			return []string{s.KnownHostsLine, "@cert-authority 127.0.0.* " + ca.pub, "@cert-authority [127.0.0.1]:" + port(s) + " " + ca.pub}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := testlab.StartSSHD(t, testlab.SSHDOptions{Config: c.config, HostCert: ca.signer(t, "127.0.0.1,node3", "")})
			kh, content := knownHostsFileWith(t, c.lines(s)...)
			p := &countingPrompter{}
			h, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: p})
			if err != nil {
				t.Fatalf("Open with a trusted host certificate: %v", err)
			}
			if got := runOut(t, h, remote.Command{Args: []string{"echo", "ok"}}); got != "ok" {
				t.Fatalf("echo: %q", got)
			}
			h.Close()
			if p.trusts != 0 {
				t.Error("a certified host key was put to the prompter")
			}
			if got, _ := os.ReadFile(kh); string(got) != content {
				t.Errorf("known_hosts changed: %q", got)
			}
		})
	}
}

// A certificate from another CA, expired, not yet valid, for another
// name, from a revoked CA, or with no @cert-authority line at all is
// refused with exactly that cause: not as a corrupt known_hosts, and
// never put to the prompter (no trust on first use).
func TestSSHHostCertificateRefused(t *testing.T) {
	isolate(t)
	testlab.RequireBinary(t, "ssh-keygen", "openssh-client")
	ca, other := newSSHCA(t, "host_ca"), newSSHCA(t, "other_ca")
	caFP, otherFP := fingerprint(t, ca.pub), fingerprint(t, other.pub)
	certOnly := []string{"HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com"}
	trustCA := func(s *testlab.SSHD) []string {
		return []string{"@cert-authority [127.0.0.1]:" + port(s) + " " + ca.pub}
	}
	cases := []struct {
		name    string
		config  []string
		signer  func(string) string
		lines   func(s *testlab.SSHD) []string
		line    int
		want    []string
		wantFix string
	}{
		{"another CA", nil, other.signer(t, "127.0.0.1", ""), trustCA, 0,
			[]string{"signed by CA " + otherFP, "trusts only " + caFP + " (line 1) to sign host keys for 127.0.0.1"}, "@cert-authority [127.0.0.1]:"},
		{"expired", nil, ca.signer(t, "127.0.0.1", "20200101:20200102"), trustCA, 0,
			[]string{"it expired on 2020-01-02 00:00:00 UTC"}, "ssh-keygen -s CA_KEY -h -I 127.0.0.1 -n 127.0.0.1"},
		{"not yet valid", nil, ca.signer(t, "127.0.0.1", "20990101:20990102"), trustCA, 0,
			[]string{"it is valid only from 2099-01-01 00:00:00 UTC"}, "HostCertificate"},
		{"wrong principal", nil, ca.signer(t, "node3,node3.example.com", ""), trustCA, 0,
			[]string{"it is valid for node3, node3.example.com only, not for 127.0.0.1"}, "/etc/ssh/ssh_host_ed25519_key.pub"},
		{"revoked CA", nil, ca.signer(t, "127.0.0.1", ""), func(s *testlab.SSHD) []string {
			return append(trustCA(s), "@revoked * "+ca.pub)
		}, 2, []string{"its CA key " + caFP + " is marked @revoked in", "line 2"}, "Do not connect"},
		{"revoked host key", nil, ca.signer(t, "127.0.0.1", ""), func(s *testlab.SSHD) []string {
			return append(trustCA(s), "@revoked * "+s.HostPubKey)
		}, 2, []string{"the host key inside it is marked @revoked in", "line 2"}, "Do not connect"},
		{"no CA line, only the cert offered", certOnly, ca.signer(t, "127.0.0.1", ""), func(*testlab.SSHD) []string {
			return []string{"example.org " + other.pub}
		}, 0, []string{"signed by CA " + caFP + ", and", "has no @cert-authority line for 127.0.0.1"}, "add its public key to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := testlab.StartSSHD(t, testlab.SSHDOptions{Config: c.config, HostCert: c.signer})
			kh, content := knownHostsFileWith(t, c.lines(s)...)
			p := &countingPrompter{trust: true}
			_, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: p})
			var hk *remote.HostKeyError
			if !errors.As(err, &hk) || hk.Problem != remote.HostKeyCertificate {
				t.Fatalf("Open: %v, want a refused host certificate", err)
			}
			if c.line != 0 && hk.Line != c.line {
				t.Errorf("Line = %d, want %d", hk.Line, c.line)
			}
			msg := err.Error()
			for _, want := range append(c.want, c.wantFix, kh, `ID "test-host", serial 42`, fingerprint(t, s.HostPubKey)) {
				if !strings.Contains(msg, want) {
					t.Errorf("error does not say %q:\n%s", want, msg)
				}
			}
			if strings.Contains(msg, "corrupt") || strings.Contains(msg, "move the file") {
				t.Errorf("a refused certificate is reported as a corrupt known_hosts:\n%s", msg)
			}
			if p.trusts != 0 || s.Count("Accepted publickey") != 0 {
				t.Fatalf("refused certificate: %d prompts, %d logins", p.trusts, s.Count("Accepted publickey"))
			}
			if got, _ := os.ReadFile(kh); string(got) != content {
				t.Errorf("known_hosts changed: %q", got)
			}
		})
	}
}

// A host that offers a certificate next to its key, with no
// @cert-authority line for it, is a host like any other: its bare key is
// put to the prompter on first contact and remembered as a plain line.
func TestSSHHostCertificateWithoutCAIsPlainFirstContact(t *testing.T) {
	isolate(t)
	testlab.RequireBinary(t, "ssh-keygen", "openssh-client")
	ca := newSSHCA(t, "host_ca")
	s := testlab.StartSSHD(t, testlab.SSHDOptions{HostCert: ca.signer(t, "127.0.0.1", "")})
	kh, _ := knownHostsFileWith(t, "# empty")
	p := &countingPrompter{trust: true}
	h, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: p})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	h.Close()
	got := string(mustRead(t, kh))
	if p.trusts != 1 || strings.Contains(got, "cert") || !strings.Contains(got, strings.Fields(s.HostPubKey)[1]) {
		t.Fatalf("first contact: %d prompts, known_hosts %q", p.trusts, got)
	}
}

// An @cert-authority line for a host that offers no certificate: the CA's
// key is not the host's, so its bare key is unknown (put to the prompter),
// not a "mismatch" with the CA line.
func TestSSHHostWithoutCertificateUnderACALine(t *testing.T) {
	isolate(t)
	testlab.RequireBinary(t, "ssh-keygen", "openssh-client")
	ca := newSSHCA(t, "host_ca")
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	kh, _ := knownHostsFileWith(t, "@cert-authority [127.0.0.1]:"+port(s)+" "+ca.pub)
	p := &countingPrompter{trust: true}
	h, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: p})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	h.Close()
	if p.trusts != 1 {
		t.Fatalf("the bare key was put to the prompter %d times, want once", p.trusts)
	}
}

func port(s *testlab.SSHD) string { return s.Addr[strings.LastIndex(s.Addr, ":")+1:] }
