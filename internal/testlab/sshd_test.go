package testlab

import (
	"os"
	"os/exec"
	"strings"
	"testing"
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
