package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/pki"
)

// safetyPlan is a plan whose PKI steps are fast (ecdsa-p256) and need no
// other host.
const safetyPlan = `dir: pki
ca:
  common_name: Race CA
  key: ecdsa-p256
daemon:
  ssh: ubuntu@node3
  sans: [node3, 127.0.0.1]
client:
  common_name: alice
`

// buildDockertls builds the real binary once for a test (the go build
// cache makes a second build of the same sources cheap).
func buildDockertls(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dockertls")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeSafetyPlan makes a directory with plan.yaml and returns the plan's path.
func writeSafetyPlan(t *testing.T, dir string) string {
	t.Helper()
	plan := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(plan, []byte(safetyPlan), 0o644); err != nil {
		t.Fatal(err)
	}
	return plan
}

// requirePairs checks what a finished run must leave: every certificate
// with its own key, the leaves signed by the CA, no temp file, no journal.
func requirePairs(t *testing.T, dir string, leaves bool) {
	t.Helper()
	d, err := pki.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := d.LoadCA(nil) // fails when ca-key.pem is not ca.pem's key
	if err != nil {
		t.Fatalf("the CA: %v", err)
	}
	if leaves {
		for _, pair := range [][2]string{{pki.FileDaemonCert, pki.FileDaemonKey}, {pki.FileClientCert, pki.FileClientKey}} {
			cert, err := d.LoadCert(pair[0])
			if err != nil {
				t.Fatal(err)
			}
			key, err := d.LoadKey(pair[1])
			if err != nil {
				t.Fatal(err)
			}
			if !pki.KeyMatches(cert, key) {
				t.Errorf("%s is not %s's key", pair[1], pair[0])
			}
			if err := cert.CheckSignatureFrom(ca.Cert); err != nil {
				t.Errorf("%s is not signed by the CA in ca.pem: %v", pair[0], err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") || e.Name() == ".dockertls-commit" {
			t.Errorf("left behind in the PKI directory: %s", e.Name())
		}
	}
}

// Two `apply --step ca` at once on the same directory, 100 times: exactly
// one of them creates the CA (the other waits for the lock and finds it),
// and ca.pem and ca-key.pem are always one pair.
func TestConcurrentApplyCreatesOneCA(t *testing.T) {
	bin := buildDockertls(t)
	for round := range 100 {
		dir := t.TempDir()
		plan := writeSafetyPlan(t, dir)
		var outs [2]bytes.Buffer
		var cmds [2]*exec.Cmd
		for i := range cmds {
			cmds[i] = exec.Command(bin, "apply", "-f", plan, "--step", "ca")
			cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
		}
		for _, c := range cmds {
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
		}
		for i, c := range cmds {
			if err := c.Wait(); err != nil {
				t.Fatalf("round %d: run %d: %v\n%s", round, i, err, outs[i].String())
			}
		}
		created := strings.Count(outs[0].String()+outs[1].String(), "created CA")
		if created != 1 {
			t.Errorf("round %d: %d runs said they created the CA, want exactly 1:\n%s\n%s", round, created, outs[0].String(), outs[1].String())
		}
		requirePairs(t, filepath.Join(dir, "pki"), false)
		if t.Failed() {
			return
		}
	}
}

// A run killed at any rename of `apply --step ca,daemon-cert,client-cert`
// (strace injects SIGKILL into it) leaves a directory that the next run
// completes: every certificate with its own key, no temp file, no journal.
//
// strace counts a syscall per thread, and Go renames from whichever thread
// runs the goroutine, so "the Nth rename" is not stable. Instead each kill
// point is the first rename touching one file (-P), after the steps before
// it were run normally. The test checks on a traced run that every rename
// goes to a file killed at. (Each step commits its pair, then the
// inventory in a second commit; the second commit's journal rename is the
// one rename not killed at by itself: a kill just before it leaves only
// the inventory's temp file, the state the inventory.json kill point's
// rollback also covers.)
func TestKillAtEveryRenameIsCompletedByTheNextRun(t *testing.T) {
	strace := testlab.RequireBinary(t, "strace", "strace")
	bin := buildDockertls(t)
	const steps = "ca,daemon-cert,client-cert"
	type stage struct {
		done  string   // steps run normally first
		files []string // the files the next step's commits rename to, in order
	}
	stages := []stage{
		{"", []string{".dockertls-commit", pki.FileCAKey, pki.FileCA, pki.FileInventory}},
		{"ca", []string{".dockertls-commit", pki.FileDaemonKey, pki.FileDaemonCert, pki.FileCASerial, pki.FileInventory}},
		{"ca,daemon-cert", []string{".dockertls-commit", pki.FileClientKey, pki.FileClientCert, pki.FileCASerial, pki.FileInventory}},
	}
	points := 0
	for _, st := range stages {
		for _, file := range st.files {
			points++
			dir := t.TempDir()
			plan := writeSafetyPlan(t, dir)
			if st.done != "" {
				if out, err := exec.Command(bin, "apply", "-f", plan, "--step", st.done).CombinedOutput(); err != nil {
					t.Fatalf("apply --step %s: %v\n%s", st.done, err, out)
				}
			}
			target := filepath.Join(dir, "pki", file)
			out, err := exec.Command(strace, "-f", "-qq", "-o", "/dev/null", "-P", target,
				"-e", "trace=rename,renameat,renameat2",
				"-e", "inject=rename,renameat,renameat2:signal=KILL:when=1",
				bin, "apply", "-f", plan, "--step", steps).CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 137 && !strings.Contains(exit.String(), "killed") {
				t.Fatalf("after %q, the run was not killed at the rename to %s (%v):\n%s", st.done, file, err, out)
			}
			again, err := exec.Command(bin, "apply", "-f", plan, "--step", steps).CombinedOutput()
			if err != nil {
				t.Fatalf("killed at the rename to %s (after %q), the next run fails: %v\n%s", file, st.done, err, again)
			}
			requirePairs(t, filepath.Join(dir, "pki"), true)
			if t.Failed() {
				t.Fatalf("killed at the rename to %s (after %q); the next run said:\n%s", file, st.done, again)
			}
		}
	}
	// Every rename of a full run goes to a file killed at above.
	dir := t.TempDir()
	plan := writeSafetyPlan(t, dir)
	trace := filepath.Join(t.TempDir(), "trace")
	if out, err := exec.Command(strace, "-f", "-qq", "-o", trace, "-e", "trace=rename,renameat,renameat2", "-e", "signal=none",
		bin, "apply", "-f", plan, "--step", steps).CombinedOutput(); err != nil {
		t.Fatalf("traced run: %v\n%s", err, out)
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	renames := regexp.MustCompile(`rename\w*\(.*/([^"/]+)"\) = `).FindAllStringSubmatch(string(data), -1)
	if len(renames) < points {
		t.Fatalf("a run makes %d renames, fewer than the %d kill points:\n%s", len(renames), points, data)
	}
	for _, m := range renames {
		if !slices.ContainsFunc(stages, func(st stage) bool { return slices.Contains(st.files, m[1]) }) {
			t.Errorf("a run renames to %s, which no kill point covers", m[1])
		}
	}
}

// Re-issuing a certificate (here: the plan gained a SAN) keeps the old pair
// in place until the new one is whole: with ENOSPC injected at the rename
// of the new key, daemon-cert.pem and daemon-key.pem are still the old,
// matching pair, and the next run puts the new pair in place.
func TestReissueKeepsTheOldPairOnAWriteFailure(t *testing.T) {
	strace := testlab.RequireBinary(t, "strace", "strace")
	bin := buildDockertls(t)
	dir := t.TempDir()
	plan := writeSafetyPlan(t, dir)
	if out, err := exec.Command(bin, "apply", "-f", plan, "--step", "ca,daemon-cert").CombinedOutput(); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	pkiDir := filepath.Join(dir, "pki")
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(pkiDir, name))
		if err != nil {
			t.Fatalf("after the failed re-issue: %v", err)
		}
		return data
	}
	oldCert, oldKey := read(pki.FileDaemonCert), read(pki.FileDaemonKey)
	more := strings.Replace(safetyPlan, "sans: [node3, 127.0.0.1]", "sans: [node3, 127.0.0.1, 10.0.0.12]", 1)
	if err := os.WriteFile(plan, []byte(more), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(strace, "-f", "-qq", "-o", "/dev/null", "-P", filepath.Join(pkiDir, pki.FileDaemonKey),
		"-e", "trace=rename,renameat,renameat2",
		"-e", "inject=rename,renameat,renameat2:error=ENOSPC:when=1",
		bin, "apply", "-f", plan, "--step", "daemon-cert").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "no space left on device") {
		t.Fatalf("the re-issue with ENOSPC injected: %v\n%s", err, out)
	}
	if !bytes.Equal(read(pki.FileDaemonCert), oldCert) || !bytes.Equal(read(pki.FileDaemonKey), oldKey) {
		t.Fatalf("the failed re-issue changed the old pair:\n%s", out)
	}
	again, err := exec.Command(bin, "apply", "-f", plan, "--step", "ca,daemon-cert,client-cert").CombinedOutput()
	if err != nil {
		t.Fatalf("the next run: %v\n%s", err, again)
	}
	requirePairs(t, pkiDir, true)
	d, _ := pki.OpenDir(pkiDir)
	cert, err := d.LoadCert(pki.FileDaemonCert)
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.VerifyHostname("10.0.0.12"); err != nil {
		t.Errorf("after the next run daemon-cert.pem is not the re-issued one: %v", err)
	}
}

// Run by a user who may not enter the PKI directory (root's, 0700),
// doctor and apply say "permission denied" and whose directory it is —
// not "no CA yet" with advice to create one.
func TestPKIDirOfAnotherUserIsPermissionDenied(t *testing.T) {
	testlab.RequireRoot(t)
	bin := buildDockertls(t)
	dir := t.TempDir()
	plan := writeSafetyPlan(t, dir)
	if out, err := exec.Command(bin, "apply", "-f", plan, "--step", "ca").CombinedOutput(); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	// The plan is readable by everybody, the PKI directory only by root.
	for _, p := range []string{filepath.Dir(dir), dir, bin, filepath.Dir(bin)} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	asNobody := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = []string{"HOME=/nonexistent", "PATH=/usr/bin:/bin"}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("dockertls %s as nobody succeeded:\n%s", strings.Join(args, " "), out)
		}
		return string(out)
	}
	out := asNobody("doctor", "-f", plan)
	if !regexp.MustCompile(`(?m)^ca +fail +permission denied: the PKI directory \S+/pki belongs to root, mode 0700, and you are nobody`).MatchString(out) || strings.Contains(out, "no CA yet") {
		t.Errorf("doctor as nobody:\n%s", out)
	}
	out = asNobody("apply", "-f", plan, "--step", "ca,daemon-cert")
	if !strings.Contains(out, "permission denied: the PKI directory") || strings.Contains(out, "created CA") {
		t.Errorf("apply as nobody:\n%s", out)
	}
	// Opened up (0755), the directory is readable: doctor now names both
	// of its problems, the mode and the owner.
	if err := os.Chmod(filepath.Join(dir, "pki"), 0o755); err != nil {
		t.Fatal(err)
	}
	out = asNobody("doctor", "-f", plan)
	if !strings.Contains(out, "has mode 0755: other users of this machine can list it") ||
		!strings.Contains(out, "belongs to root, not to you (nobody): that user can read and replace the CA key") {
		t.Errorf("doctor as nobody on a 0755 directory of root's:\n%s", out)
	}
}
