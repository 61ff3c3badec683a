//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
)

// TestTUINewcomerMistakes is issue 11's walk: a newcomer sets up a real
// dockerd that no systemd unit or service script runs (started by hand,
// reached over a real sshd), in the real binary in tmux, and makes three
// ordinary mistakes without ever quitting:
//   - a wrong passphrase for the CA key (made with the tutorial's openssl
//     commands): the retry asks again, the right one works;
//   - the SSH host key refused: the retry shows it again, y trusts it;
//   - the default restart (auto) cannot restart a dockerd started by hand:
//     the screen names daemon.restart, e jumps there, the restart command is
//     typed, and the step succeeds.
//
// It ends on the final screen with the live test passed, and the real
// docker CLI then works with the client certificate.
func TestTUINewcomerMistakes(t *testing.T) {
	bin := dockertlsBinary(t)
	testlab.RequireRoot(t)
	testlab.RequireBinary(t, "openssl", "openssl")
	testlab.RequireBinary(t, "curl", "curl")
	sshd := testlab.StartSSHD(t, testlab.SSHDOptions{})
	d := testlab.NewDockerd(t, testlab.DockerdOptions{NoHostFlags: true, StartTimeout: 60 * time.Second})
	if err := os.WriteFile(d.ConfigPath, []byte(`{"hosts": ["unix://`+d.Socket+`"]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	daemonDir := filepath.Join(dir, "daemon-tls")
	for _, p := range []string{home, filepath.Join(dir, "pki")} {
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// The CA as the tutorial makes it: an encrypted key and its certificate.
	const right, wrong = "the right passphrase", "a wrong one"
	openssl := func(args ...string) {
		t.Helper()
		cmd := exec.Command("openssl", args...)
		cmd.Dir = filepath.Join(dir, "pki")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	openssl("genrsa", "-aes256", "-passout", "pass:"+right, "-out", "ca-key.pem", "2048")
	openssl("req", "-new", "-x509", "-days", "365", "-key", "ca-key.pem", "-passin", "pass:"+right,
		"-sha256", "-subj", "/CN=Docker TLS CA", "-out", "ca.pem")
	for name, mode := range map[string]os.FileMode{"ca-key.pem": 0o400, "ca.pem": 0o444} {
		if err := os.Chmod(filepath.Join(dir, "pki", name), mode); err != nil {
			t.Fatal(err)
		}
	}

	env := []string{"HOME=" + home, "TERM=xterm-256color", "PATH=" + os.Getenv("PATH"), "SHELL=/bin/bash", "LANG=C.UTF-8"}
	s := startTUI(t, bin, dir, env)
	var keys []string // every key pressed, for the report
	press := func(k ...string) { keys = append(keys, k...); s.keys(k...) }
	typ := func(text string) { keys = append(keys, "«"+text+"»"); s.typ(text) }
	wait := func(limit time.Duration, tokens ...string) string { return s.waitFor(limit, tokens...) }

	// 1 ca: the CA is there; checking it needs its key's passphrase.
	// Mistake 1: a wrong one. The retry asks again.
	wait(30*time.Second, "New setup")
	press("Enter")
	wait(10*time.Second, "PKI directory")
	press("Enter", "Enter", "Enter", "Enter")
	wait(30*time.Second, "runs this step")
	press("Enter")
	wait(60*time.Second, "Passphrase of the CA key")
	s.shot("CA passphrase")
	typ(wrong)
	press("Enter")
	wait(60*time.Second, "r retry")
	s.shot("wrong passphrase")
	if !strings.Contains(s.last, "asks for the CA key's passphrase again") {
		t.Errorf("the failure does not say a retry asks for the passphrase again:\n%s", s.last)
	}
	press("r")
	wait(60*time.Second, "Passphrase of the CA key")
	typ(right)
	press("Enter")
	wait(60*time.Second, "enter next step")
	s.shot("ca result")
	press("Enter")

	// 2 daemon-cert: the node over SSH; its host key is refused first.
	wait(10*time.Second, "Daemon node (SSH)")
	press("C-u")
	typ("root@127.0.0.1:" + strconv.Itoa(sshd.Port))
	press("Tab", "C-u")
	typ(sshd.ClientKey)
	press("Tab")
	wait(60*time.Second, "First connection to")
	s.shot("host key")
	press("Enter") // Enter means no: mistake 2
	wait(60*time.Second, "ctrl+r connects again")
	s.shot("host key refused")
	press("C-r") // retry: the key is shown again
	wait(60*time.Second, "First connection to")
	s.shot("host key asked again")
	press("y")
	wait(60*time.Second, "suggested by", "also answers to")
	s.shot("names suggested")
	press("C-u")
	typ("127.0.0.1")
	press("Tab", "C-u")
	typ("tcp://" + d.TCPAddr)
	press("Enter")
	wait(60*time.Second, "runs this step")
	press("Enter")
	wait(180*time.Second, "enter next step", "r retry")
	if !strings.Contains(s.last, "enter next step") {
		t.Fatalf("daemon-cert failed:\n%s", s.last)
	}
	press("Enter")

	// 3 client-cert, 4 distribute (the daemon's files in a directory of
	// this test)
	wait(10*time.Second, "Client name")
	press("Enter", "Enter")
	wait(60*time.Second, "runs this step")
	press("Enter")
	wait(120*time.Second, "enter next step")
	press("Enter")
	wait(10*time.Second, "Daemon certificate directory")
	press("C-u")
	typ(daemonDir)
	press("Enter", "Enter")
	wait(60*time.Second, "runs this step")
	press("Enter")
	wait(120*time.Second, "enter next step", "y make the changes")
	if strings.Contains(s.last, "y make the changes") {
		press("y")
		wait(120*time.Second, "enter next step")
	}
	press("Enter")

	// 5 daemon-config: listen where the test daemon's port is, its own
	// daemon.json; restart stays auto: mistake 3.
	wait(10*time.Second, "Daemon listens on")
	press("C-u")
	typ("tcp://" + d.TCPAddr)
	press("Tab", "C-u")
	typ(d.ConfigPath)
	press("Enter", "Enter")
	wait(60*time.Second, "runs this step")
	s.shot("daemon-config describe")
	press("Enter")
	wait(120*time.Second, "r retry", "y make the changes")
	s.shot("restart refused")
	for _, w := range []string{"daemon.restart", "started by hand"} {
		if !strings.Contains(s.last, w) {
			t.Errorf("the failure does not name %q:\n%s", w, s.last)
		}
	}
	press("e")
	wait(10*time.Second, "Restart with")
	press("C-u")
	typ(d.RestartCommand())
	press("Enter")
	wait(60*time.Second, "runs this step")
	s.shot("daemon-config describe with the restart command")
	// the step text names the restart the confirmation will name
	if !strings.Contains(strings.Join(strings.Fields(s.last), " "), "restart (your command (daemon.restart): sudo sh -c") {
		t.Errorf("the step text does not name the restart command:\n%s", s.last)
	}
	press("Enter")
	wait(60*time.Second, "y make the changes")
	s.shot("confirm with the restart command")
	if !strings.Contains(s.last, "your command") {
		t.Errorf("the confirmation does not name the restart command:\n%s", s.last)
	}
	press("y")
	wait(180*time.Second, "enter next step", "r retry")
	s.shot("daemon-config result")
	if !strings.Contains(s.last, "enter next step") {
		t.Fatalf("daemon-config failed with the restart command:\n%s", s.last)
	}
	press("Enter")

	// 6 client-env, 7 verify → the final screen
	wait(10*time.Second, "docker context")
	press("Enter")
	wait(60*time.Second, "runs this step")
	press("Enter")
	wait(120*time.Second, "enter next step")
	press("Enter")
	wait(60*time.Second, "runs this step")
	press("Enter")
	wait(120*time.Second, "answers over mutual TLS", "✗ INSECURE", "r retry")
	s.shot("final")
	if !strings.Contains(s.last, "answers over mutual TLS") {
		t.Fatalf("the walk did not end on the final screen:\n%s", s.last)
	}
	t.Logf("keys pressed (%d): %s", len(keys), strings.Join(keys, " "))

	// The real docker CLI works with what the wizard set up.
	out, err := exec.Command("docker", "--tlsverify", "-H", "tcp://"+d.TCPAddr,
		"--tlscacert", filepath.Join(home, ".docker", "ca.pem"), "--tlscert", filepath.Join(home, ".docker", "cert.pem"),
		"--tlskey", filepath.Join(home, ".docker", "key.pem"), "version", "--format", "{{.Server.Version}}").CombinedOutput()
	if err != nil {
		t.Fatalf("docker version over mutual TLS: %v\n%s", err, out)
	}
}
