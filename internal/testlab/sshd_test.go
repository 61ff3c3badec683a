package testlab

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// The harness itself: sshd answers, accepts the client key with the real
// ssh client, and logs the connection.
func TestStartSSHD(t *testing.T) {
	s := StartSSHD(t, SSHDOptions{})
	sshBin := RequireBinary(t, "ssh", "openssh-client")
	u := currentUserName(t)
	out, err := exec.Command(sshBin, "-i", s.ClientKey, "-p", strings.TrimPrefix(s.Addr[strings.LastIndex(s.Addr, ":"):], ":"),
		"-o", "UserKnownHostsFile="+s.KnownHosts, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
		"-o", "IdentitiesOnly=yes", u+"@127.0.0.1", "echo", "hello").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "hello" {
		t.Fatalf("ssh: %v: %s\nsshd log:\n%s", err, out, s.Log())
	}
	if n := s.Count("Accepted publickey for " + u); n != 1 {
		t.Fatalf("log counts %d logins, want 1:\n%s", n, s.Log())
	}
	s.Stop()
	if greeting(s.Addr) {
		t.Fatal("sshd still answers after Stop")
	}
}

// An encrypted key's passphrase never reaches a command line: a recording
// ssh-keygen first in PATH sees every argument, and the key still opens
// with the passphrase (and only with it).
func TestGenerateSSHKeyPassphraseNotInArgv(t *testing.T) {
	real := RequireBinary(t, "ssh-keygen", "openssh-client")
	bin := t.TempDir()
	argvLog := filepath.Join(bin, "argv")
	wrapper := "#!/bin/sh\nprintf '%s\\n' \"$@\" >>" + argvLog + "\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "ssh-keygen"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	const pass = "secret passphrase 42"
	key := filepath.Join(t.TempDir(), "id_ed25519")
	GenerateSSHKey(t, key, "ed25519", pass)
	argv, err := os.ReadFile(argvLog)
	if err != nil {
		t.Fatalf("the recording ssh-keygen did not run: %v", err)
	}
	if strings.Contains(string(argv), pass) {
		t.Fatalf("the passphrase was on ssh-keygen's command line:\n%s", argv)
	}
	data, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	var missing *ssh.PassphraseMissingError
	if _, err := ssh.ParsePrivateKey(data); !errors.As(err, &missing) {
		t.Fatalf("the key opens without its passphrase: %v", err)
	}
	if _, err := ssh.ParsePrivateKeyWithPassphrase(data, []byte(pass)); err != nil {
		t.Fatalf("the key does not open with its passphrase: %v", err)
	}
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v; want 0600", fi.Mode(), err)
	}
	// The public half ssh-keygen wrote is still there and readable.
	out, err := exec.Command(real, "-l", "-f", key+".pub").CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen -l: %v: %s", err, out)
	}
}

func TestEnsureUsers(t *testing.T) {
	EnsureUsers(t)
	EnsureUsers(t) // idempotent
	out, err := exec.Command("sudo", "-u", UserSudoNoPassword, "sudo", "-n", "id", "-u").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "0" {
		t.Fatalf("%s cannot sudo without a password: %v: %s", UserSudoNoPassword, err, out)
	}
	out, err = exec.Command("sudo", "-u", UserSudoPassword, "sudo", "-n", "true").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "password is required") {
		t.Fatalf("%s's sudo does not ask for a password: %v: %s", UserSudoPassword, err, out)
	}
	cmd := exec.Command("sudo", "-u", UserSudoPassword, "sudo", "-k", "-S", "-p", "", "id", "-u")
	cmd.Stdin = strings.NewReader(SudoPassword + "\n")
	out, err = cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != "0" {
		t.Fatalf("%s's sudo with the password: %v: %s", UserSudoPassword, err, out)
	}
}

func currentUserName(t *testing.T) string {
	t.Helper()
	if u := os.Getenv("USER"); u != "" && os.Geteuid() != 0 {
		return u
	}
	out, err := exec.Command("id", "-un").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}
