//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
)

// tuiSession is the real dockertls binary in a detached 80x24 tmux session,
// driven by send-keys and read by capture-pane, as a user would see it.
type tuiSession struct {
	t    *testing.T
	name string
	last string // the last screen captured
}

func startTUI(t *testing.T, bin, dir string, env []string) *tuiSession {
	t.Helper()
	testlab.RequireBinary(t, "tmux", "tmux")
	name := fmt.Sprintf("dockertls-tui-%d", os.Getpid())
	// env(1) gives the program exactly this environment; the pane stays
	// open after the program ends so that its last screen can be read.
	args := []string{"new-session", "-d", "-s", name, "-x", "80", "-y", "24", "-c", dir, "--", "env", "-i"}
	args = append(args, env...)
	args = append(args, "sh", "-c", bin+` wizard; echo "[exit $?]"; sleep 600`)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	s := &tuiSession{t: t, name: name}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last screen:\n%s", s.capture())
		}
		_ = exec.Command("tmux", "kill-session", "-t", name).Run()
	})
	return s
}

func (s *tuiSession) capture() string {
	out, err := exec.Command("tmux", "capture-pane", "-p", "-t", s.name).Output()
	if err != nil {
		s.t.Fatalf("tmux capture-pane: %v", err)
	}
	return string(out)
}

// keys sends tmux key names (Enter, Tab, C-u, y …).
func (s *tuiSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		if out, err := exec.Command("tmux", "send-keys", "-t", s.name, k).CombinedOutput(); err != nil {
			s.t.Fatalf("tmux send-keys %s: %v\n%s", k, err, out)
		}
	}
}

// typ types text literally.
func (s *tuiSession) typ(text string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", "send-keys", "-t", s.name, "-l", text).CombinedOutput(); err != nil {
		s.t.Fatalf("tmux send-keys -l: %v\n%s", err, out)
	}
}

// waitFor waits until one of the tokens is on the screen and returns it.
// The limit only guards against a hang; nothing asserts on how long it took.
func (s *tuiSession) waitFor(limit time.Duration, tokens ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		s.last = s.capture()
		for _, tok := range tokens {
			if strings.Contains(s.last, tok) {
				return tok
			}
		}
		if strings.Contains(s.last, "[exit ") || time.Now().After(deadline) {
			s.t.Fatalf("waiting for %q; the screen shows:\n%s", tokens, s.last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tuiCAPassphrase is what the walk types as the new CA's passphrase (twice),
// and again if a step has to load the encrypted key.
const tuiCAPassphrase = "e2e CA passphrase"

// runStep presses enter on a step's description and answers what the run
// asks (a new CA's passphrase: typed twice; changes to the node: yes) until
// the step's result is on the screen.
func (s *tuiSession) runStep(title string, limit time.Duration) {
	s.t.Helper()
	s.keys("Enter")
	for {
		switch s.waitFor(limit, "y make the changes", "Passphrase for the new CA key", "Passphrase of the CA key", "enter next step", "r retry") {
		case "y make the changes":
			s.shot(title + ": confirmation")
			s.keys("y")
		case "Passphrase for the new CA key":
			s.shot(title + ": CA passphrase")
			s.typ(tuiCAPassphrase)
			s.keys("Enter")
			s.typ(tuiCAPassphrase)
			s.keys("Enter")
		case "Passphrase of the CA key":
			s.typ(tuiCAPassphrase)
			s.keys("Enter")
		case "r retry":
			s.t.Fatalf("step %s failed:\n%s", title, s.last)
		default:
			return
		}
		// wait for the question to be gone before looking again
		for screen := s.capture(); strings.Contains(screen, "y make the changes") || strings.Contains(screen, "Passphrase for the new") || strings.Contains(screen, "Passphrase of the CA"); screen = s.capture() {
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// acceptAnswers keeps every answer of the step on the screen (they come
// from the plan) and waits for the step's description: one enter per field.
func (s *tuiSession) acceptAnswers() {
	s.t.Helper()
	fields := map[string]int{"Step 1 of 7": 4, "Step 2 of 7": 4, "Step 3 of 7": 2, "Step 4 of 7": 2, "Step 5 of 7": 3, "Step 6 of 7": 1, "Step 7 of 7": 0}
	screen := s.capture()
	for step, n := range fields {
		if strings.Contains(screen, step) {
			for i := 0; i < n; i++ {
				s.keys("Enter")
			}
			s.waitFor(60*time.Second, "runs this step")
			return
		}
	}
	s.t.Fatalf("no step screen:\n%s", screen)
}

// shot logs the current 80x24 screen under a title (for the README).
func (s *tuiSession) shot(title string) {
	s.t.Logf("screen %q:\n%s", title, strings.TrimRight(s.capture(), "\n"))
}

// TestTUINewSetup types a whole new setup into the real binary against the
// real systemd node, from the start screen to the final server version, and
// then checks with the real docker CLI that the client works.
func TestTUINewSetup(t *testing.T) {
	bin := dockertlsBinary(t)
	n := bootNode(t)
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "TERM=xterm-256color", "PATH=" + os.Getenv("PATH"), "SHELL=/bin/bash", "LANG=C.UTF-8"}

	started := time.Now()
	s := startTUI(t, bin, dir, env)
	s.waitFor(30*time.Second, "New setup")
	t.Logf("first frame after %s (tmux start to the start screen on the pane)", time.Since(started).Round(time.Millisecond))
	s.shot("start")

	// 1 ca: ed25519 (three to the right of rsa-4096) keeps the run quick.
	s.keys("Enter")
	s.waitFor(10*time.Second, "PKI directory")
	s.keys("Tab", "Tab", "Right", "Right", "Right")
	s.shot("ca form")
	s.keys("Enter", "Enter")
	s.waitFor(30*time.Second, "runs this step")
	s.shot("ca describe")
	s.runStep("ca", 60*time.Second)
	s.shot("ca result")
	s.keys("Enter")

	// 2 daemon-cert: the node over SSH as root; the host key is new.
	s.waitFor(10*time.Second, "Daemon node (SSH)")
	s.keys("C-u")
	s.typ("root@" + n.IP + ":22")
	s.keys("Tab", "C-u")
	s.typ(n.RootKey)
	s.keys("Tab")
	s.waitFor(60*time.Second, "First connection to")
	s.shot("host key")
	if !strings.Contains(s.last, "SHA256:") {
		t.Errorf("the host key question shows no SHA256 fingerprint:\n%s", s.last)
	}
	s.keys("y")
	s.waitFor(60*time.Second, "suggested by", "could not gather")
	s.shot("daemon-cert form")
	if !strings.Contains(s.last, n.IP) {
		t.Errorf("the suggested SANs lack the node's address %s:\n%s", n.IP, s.last)
	}
	s.keys("Enter", "Enter")
	s.waitFor(60*time.Second, "runs this step")
	s.runStep("step", 180*time.Second)
	s.keys("Enter")

	// 3 client-cert, 4 distribute
	s.waitFor(10*time.Second, "Client name")
	s.keys("Enter", "Enter")
	s.waitFor(60*time.Second, "runs this step")
	s.runStep("step", 180*time.Second)
	s.keys("Enter")
	s.waitFor(10*time.Second, "Daemon certificate directory")
	s.keys("Enter", "Enter")
	s.waitFor(60*time.Second, "runs this step")
	s.runStep("step", 180*time.Second)
	s.shot("distribute result")
	s.keys("Enter")

	// 5 daemon-config: the confirmation shows the daemon.json diff.
	s.waitFor(10*time.Second, "Daemon listens on")
	s.keys("Enter", "Enter", "Enter")
	s.waitFor(60*time.Second, "runs this step")
	s.shot("daemon-config describe")
	s.keys("Enter")
	s.waitFor(60*time.Second, "y make the changes")
	s.shot("confirm")
	if !strings.Contains(s.last, "tlsverify") {
		t.Errorf("the confirmation does not show the daemon.json change:\n%s", s.last)
	}
	s.keys("y")
	s.waitFor(180*time.Second, "enter next step", "r retry")
	s.shot("daemon-config result")
	s.keys("Enter")

	// 6 client-env with a docker context, 7 verify → the final screen.
	s.waitFor(10*time.Second, "docker context")
	s.typ("node3")
	s.keys("Enter")
	s.waitFor(60*time.Second, "runs this step")
	s.runStep("step", 180*time.Second)
	s.keys("Enter")
	s.waitFor(60*time.Second, "runs this step")
	s.keys("Enter")
	s.waitFor(120*time.Second, "answers over mutual TLS", "INSECURE: the daemon at", "r retry")
	s.shot("final")
	final := s.last
	if !strings.Contains(final, "answers over mutual TLS") || !strings.Contains(final, "20.10") {
		t.Fatalf("the final screen does not show the server version over mutual TLS:\n%s", final)
	}
	s.keys("NPage")
	s.waitFor(10*time.Second, "↑ more")
	s.shot("final, scrolled")
	s.keys("Enter")
	s.waitFor(10*time.Second, "[exit 0]")

	// The real docker CLI, with what the wizard set up, reaches the node.
	docker := testlab.RequireBinary(t, "docker", "docker.io")
	cmd := exec.Command(docker, "version", "--format", "{{.Server.Version}}")
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"),
		"DOCKER_HOST=tcp://" + n.IP + ":2376", "DOCKER_TLS_VERIFY=1"}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(strings.TrimSpace(string(out)), "20.10") {
		t.Fatalf("docker version with the wizard's client files: %v\n%s", err, out)
	}
	plan, err := os.ReadFile(filepath.Join(dir, "dockertls.yaml"))
	if err != nil || !strings.Contains(string(plan), "root@"+n.IP) {
		t.Fatalf("the answers were not saved to dockertls.yaml: %v\n%s", err, plan)
	}
	// The passphrase typed for the new CA encrypts its key, and only that
	// passphrase opens it (the later steps signed with it in the same run).
	caKey := filepath.Join(dir, "pki", "ca-key.pem")
	if out, err := exec.Command("openssl", "pkey", "-in", caKey, "-passin", "pass:wrong", "-noout").CombinedOutput(); err == nil {
		t.Errorf("ca-key.pem opens with a wrong passphrase (not encrypted?):\n%s", out)
	}
	if out, err := exec.Command("openssl", "pkey", "-in", caKey, "-passin", "pass:"+tuiCAPassphrase, "-noout").CombinedOutput(); err != nil {
		t.Errorf("ca-key.pem does not open with the typed passphrase: %v\n%s", err, out)
	}
}

// TestTUIRepair: a setup made headless, then the client certificate lost;
// the wizard's repair runs doctor, lists the problem, opens its step, runs
// it, and doctor comes back clean.
func TestTUIRepair(t *testing.T) {
	bin := dockertlsBinary(t)
	n := bootNode(t)
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	plan := fmt.Sprintf(`dir: ./pki
ca:
  key: ed25519
daemon:
  ssh: root@%[1]s:22
  identity: %[2]s
  known_hosts: %[3]s
  sans: [%[1]s, node3]
  address: tcp://%[1]s:2376
client:
  cert_dir: %[4]s/.docker
`, n.IP, n.RootKey, n.KnownHosts, home)
	if err := os.WriteFile(filepath.Join(dir, "dockertls.yaml"), []byte(plan), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "TERM=xterm-256color", "PATH=" + os.Getenv("PATH"), "SHELL=/bin/bash", "LANG=C.UTF-8"}
	apply := exec.Command(bin, "apply", "-f", "dockertls.yaml", "--yes")
	apply.Dir, apply.Env = dir, env
	if out, err := apply.CombinedOutput(); err != nil {
		t.Fatalf("dockertls apply (the setup to break): %v\n%s", err, out)
	}
	// The user keeps the variables for new shells (without a docker context
	// or this, doctor warns that nothing points the docker CLI at the node).
	persist := exec.Command(bin, "env", "--persist")
	persist.Dir, persist.Env = dir, env
	if out, err := persist.CombinedOutput(); err != nil {
		t.Fatalf("dockertls env --persist: %v\n%s", err, out)
	}
	// The fault: the client's certificate is gone.
	if err := os.Remove(filepath.Join(home, ".docker", "cert.pem")); err != nil {
		t.Fatal(err)
	}

	s := startTUI(t, bin, dir, env)
	s.waitFor(30*time.Second, "Repair an existing setup")
	s.keys("2")
	s.waitFor(120*time.Second, "Doctor found")
	s.shot("doctor")
	if !strings.Contains(s.last, "✗") {
		t.Fatalf("doctor lists no failure for a missing client certificate:\n%s", s.last)
	}
	s.keys("Enter")
	s.waitFor(30*time.Second, " of 7 · ")
	s.shot("repair: the chosen step")
	s.acceptAnswers()
	s.runStep("repair", 180*time.Second)
	s.shot("repair: result")
	s.keys("Enter")
	tok := s.waitFor(120*time.Second, "Doctor found nothing to repair", "Doctor found")
	s.shot("doctor again")
	if tok != "Doctor found nothing to repair" {
		// another step may need a second pass (the cert changed): fix it too
		s.keys("Enter")
		s.waitFor(30*time.Second, " of 7 · ")
		s.acceptAnswers()
		s.runStep("repair 2", 180*time.Second)
		s.keys("Enter")
		s.waitFor(120*time.Second, "Doctor found nothing to repair")
	}
	if _, err := os.Stat(filepath.Join(home, ".docker", "cert.pem")); err != nil {
		t.Fatalf("the repair did not bring the client certificate back: %v", err)
	}
	s.keys("C-c")
	s.waitFor(10*time.Second, "[exit 0]")
}
