package remote_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/remote"
)

// sudoSSHD starts an sshd the test users can log in to.
func sudoSSHD(t *testing.T) *testlab.SSHD {
	testlab.EnsureUsers(t)
	isolate(t)
	return testlab.StartSSHD(t, testlab.SSHDOptions{})
}

// rootOwnedDir is a root-owned 0755 directory, like /etc/docker.
func rootOwnedDir(t *testing.T) string {
	d := filepath.Join(sharedDir(t), "etc-docker")
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSudoWithPassword(t *testing.T) {
	s := sudoSSHD(t)
	p := &countingPrompter{secrets: map[remote.SecretKind]string{remote.SecretSudoPassword: testlab.SudoPassword}}
	h := openSSH(t, s, testlab.UserSudoPassword, p)
	dir := rootOwnedDir(t)

	if got := runOut(t, h, remote.Command{Args: []string{"id", "-u"}, Sudo: true}); got != "0" {
		t.Fatalf("id -u with sudo: %q", got)
	}
	// stdin reaches the command; the password line does not.
	got := runOut(t, h, remote.Command{Args: []string{"cat"}, Stdin: strings.NewReader("payload\n"), Sudo: true})
	if got != "payload" {
		t.Fatalf("stdin through sudo: %q", got)
	}
	// No stdin: the command must not see the password either.
	if got := runOut(t, h, remote.Command{Args: []string{"cat"}, Sudo: true}); got != "" {
		t.Fatalf("a sudo command without stdin read %q", got)
	}
	key := filepath.Join(dir, "server-key.pem")
	if err := h.WriteFile(ctxT(t), key, []byte("secret key"), remote.WriteOptions{Mode: 0o400, Sudo: true}); err != nil {
		t.Fatal(err)
	}
	st, err := h.Stat(ctxT(t), key, true)
	if err != nil || st.Owner != "root" || st.Mode.Perm() != 0o400 {
		t.Fatalf("root-owned key: %+v, %v", st, err)
	}
	if data, err := h.ReadFile(ctxT(t), key, true); err != nil || string(data) != "secret key" {
		t.Fatalf("ReadFile with sudo: %q, %v", data, err)
	}
	// Without sudo the user cannot read it: the write really was root's.
	if _, err := h.ReadFile(ctxT(t), key, false); !errors.Is(err, os.ErrPermission) {
		t.Fatalf("ReadFile without sudo: %v, want permission denied", err)
	}
	if err := h.MkdirAll(ctxT(t), filepath.Join(dir, "tls"), remote.WriteOptions{Mode: 0o755, Sudo: true}); err != nil {
		t.Fatal(err)
	}
	cancelAndCheckGone(t, h, true)
	if n := p.count(remote.SecretSudoPassword); n != 1 {
		t.Fatalf("sudo password asked %d times, want once per host", n)
	}
	// The password is nowhere in what the commands or sshd printed.
	res, err := h.Run(ctxT(t), remote.Command{Args: []string{"sh", "-c", "ps -eo args; cat /proc/self/cmdline"}, Sudo: true})
	if err != nil || bytes.Contains(res.Stdout, []byte(testlab.SudoPassword)) || bytes.Contains(res.Stderr, []byte(testlab.SudoPassword)) {
		t.Fatalf("password visible: %v\n%s%s", err, res.Stdout, res.Stderr)
	}
	if strings.Contains(s.Log(), testlab.SudoPassword) {
		t.Fatal("password in the sshd log")
	}
	assertNoTemps(t, dir)
}

func TestSudoWrongPassword(t *testing.T) {
	s := sudoSSHD(t)
	p := &countingPrompter{secrets: map[remote.SecretKind]string{remote.SecretSudoPassword: "not the password"}}
	h := openSSH(t, s, testlab.UserSudoPassword, p)
	dir := rootOwnedDir(t)
	err := h.WriteFile(ctxT(t), filepath.Join(dir, "k.pem"), []byte("x"), remote.WriteOptions{Mode: 0o400, Sudo: true})
	if !errors.Is(err, remote.ErrSudoPasswordWrong) {
		t.Fatalf("wrong sudo password: %v, want ErrSudoPasswordWrong", err)
	}
	for _, want := range []string{"writing " + filepath.Join(dir, "k.pem"), h.Name(), remote.EnvSudoPassword} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
	// No retry loop: the next step fails the same way without asking.
	_, err = h.Run(ctxT(t), remote.Command{Args: []string{"true"}, Sudo: true})
	if !errors.Is(err, remote.ErrSudoPasswordWrong) || p.count(remote.SecretSudoPassword) != 1 {
		t.Fatalf("second sudo: %v, asked %d times", err, p.count(remote.SecretSudoPassword))
	}
	// Nothing was staged or left behind.
	assertNoTemps(t, dir)
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files left in %s: %v", dir, entries)
	}
}

func TestSudoPasswordHeadless(t *testing.T) {
	s := sudoSSHD(t)
	env := map[string]string{}
	h := openSSH(t, s, testlab.UserSudoPassword, remote.EnvPrompter{Getenv: func(k string) string { return env[k] }})
	_, err := h.Run(ctxT(t), remote.Command{Args: []string{"true"}, Sudo: true})
	if err == nil || !strings.Contains(err.Error(), remote.EnvSudoPassword) {
		t.Fatalf("sudo without a password headless: %v, want it to name %s", err, remote.EnvSudoPassword)
	}
	env[remote.EnvSudoPassword] = testlab.SudoPassword
	h = openSSH(t, s, testlab.UserSudoPassword, remote.EnvPrompter{Getenv: func(k string) string { return env[k] }})
	if got := runOut(t, h, remote.Command{Args: []string{"id", "-u"}, Sudo: true}); got != "0" {
		t.Fatalf("id -u with DOCKERTLS_SUDO_PASSWORD: %q", got)
	}
}

func TestNoSudo(t *testing.T) {
	s := sudoSSHD(t)
	p := &countingPrompter{secrets: map[remote.SecretKind]string{remote.SecretSudoPassword: testlab.SudoPassword}}
	h := openSSH(t, s, testlab.UserNoSudo, p)
	dir := rootOwnedDir(t)
	target := filepath.Join(dir, "daemon.json")
	err := h.WriteFile(ctxT(t), target, []byte("{}"), remote.WriteOptions{Mode: 0o644, Sudo: true})
	if !errors.Is(err, remote.ErrNoSudo) {
		t.Fatalf("a user without sudo: %v, want ErrNoSudo", err)
	}
	for _, want := range []string{"writing " + target, "needs root on " + h.Name(), testlab.UserNoSudo} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
	// Work that needs no root still works.
	if got := runOut(t, h, remote.Command{Args: []string{"id", "-un"}}); got != testlab.UserNoSudo {
		t.Fatalf("id -un: %q", got)
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("target exists after a refused write: %v", err)
	}
}

// On this machine as root: sudo is not used at all.
func TestLocalSudoAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("runs as root; the SSH sudo tests cover other users")
	}
	if _, err := os.Stat("/usr/bin/sudo"); err == nil {
		// Prove sudo is not involved: a PATH without it still works.
		t.Setenv("PATH", t.TempDir()+":/usr/sbin:/sbin")
		// id lives in /usr/bin; link just it.
		if err := os.Symlink("/usr/bin/id", filepath.Join(filepath.SplitList(os.Getenv("PATH"))[0], "id")); err != nil {
			t.Fatal(err)
		}
	}
	h := localHost(t)
	if got := runOut(t, h, remote.Command{Args: []string{"id", "-u"}, Sudo: true}); got != "0" {
		t.Fatalf("id -u: %q", got)
	}
}

// A NOPASSWD rule for sh only: `sudo -n true` still needs a password, so
// dockertls asks for it, but sudo then runs the command without reading
// it. The password must go to sudo only after sudo's own prompt, never to
// the command's input.
func TestSudoPasswordNeverReachesACommandSudoRunsWithoutAsking(t *testing.T) {
	s := sudoSSHD(t)
	p := &countingPrompter{secrets: map[remote.SecretKind]string{remote.SecretSudoPassword: testlab.SudoPassword}}
	h := openSSH(t, s, testlab.UserSudoShOnly, p)

	got := runOut(t, h, remote.Command{Args: []string{"sh", "-c", "cat"}, Stdin: strings.NewReader("payload\n"), Sudo: true})
	if got != "payload" {
		t.Fatalf("a command sudo ran without a password read %q, want only its own input", got)
	}
	res, err := h.Run(ctxT(t), remote.Command{Args: []string{"sh", "-c", "cat; id -u"}, Sudo: true})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("sudo sh: %v, exit %d: %s", err, res.ExitCode, res.Stderr)
	}
	if out := strings.TrimSpace(string(res.Stdout)); out != "0" {
		t.Fatalf("without input the command read %q (want only id's 0)", out)
	}
	if bytes.Contains(res.Stderr, []byte("dockertls-sudo")) {
		t.Fatalf("sudo's prompt or marker left in stderr: %q", res.Stderr)
	}
	// Writes go through sh as root too: the file holds the data, nothing else.
	dir := rootOwnedDir(t)
	f := filepath.Join(dir, "daemon.json")
	if err := h.WriteFile(ctxT(t), f, []byte("{}\n"), remote.WriteOptions{Mode: 0o644, Sudo: true}); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(f); err != nil || string(data) != "{}\n" {
		t.Fatalf("written as root: %q, %v", data, err)
	}
}
