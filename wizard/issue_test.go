package wizard

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/pki"
)

// issuePlan is a plan with a CA and a daemon certificate for 127.0.0.1:port
// (made by the ca and daemon-cert steps), ready for `issue client`.
func issuePlan(t testing.TB, dir, port string) *Session {
	t.Helper()
	text := fmt.Sprintf("ca: {key: ecdsa-p256, days: 365}\ndaemon:\n  ssh: local\n  sans: [127.0.0.1]\n  address: tcp://127.0.0.1:%s\nclient:\n  key: ecdsa-p256\n", port)
	p := loadPlanText(t, dir, text)
	s := NewSession(p, headlessYes{}, Options{Yes: true})
	t.Cleanup(func() { s.Close() })
	r := newRunnerWith(s, allSteps())
	for _, st := range []StepName{StepCA, StepDaemonCert} {
		if err := r.Apply(context.Background(), st, func(Event) {}); err != nil {
			t.Fatalf("apply %s: %v", st, err)
		}
	}
	return s
}

// dockerVersion runs a docker CLI with only the given DOCKER_* variables
// (none of the test's own) and returns the server version it printed.
func dockerVersion(t *testing.T, cmd *exec.Cmd, env ...string) string {
	t.Helper()
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DOCKER_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestIssuedBundlesWorkWithTheRealDockerCLI issues two clients and uses
// their bundles as a participant would against a real mutual-TLS dockerd:
// env.sh sourced by bash from the unpacked tarball somewhere else, env.fish
// by fish, and the .dockercontext imported into a fresh docker config with
// the docker CLI 20.10 (and the newer one when present).
func TestIssuedBundlesWorkWithTheRealDockerCLI(t *testing.T) {
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	d := testlab.NewDockerd(t, testlab.DockerdOptions{TLS: &testlab.DockerdTLS{Verify: true, CACert: filepath.Join(pkiDir, pki.FileCA),
		Cert: filepath.Join(pkiDir, pki.FileDaemonCert), Key: filepath.Join(pkiDir, pki.FileDaemonKey)}})
	_, port, _ := strings.Cut(d.TCPAddr, ":")
	s := issuePlan(t, dir, port)
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	bash := testlab.RequireBinary(t, "bash", "bash")
	docker20 := "/usr/bin/docker"
	if _, err := os.Stat(docker20); err != nil {
		testlab.Unavailable(t, "the docker CLI 20.10", "apt-get install docker.io")
	}

	results, err := s.IssueClients(context.Background(), IssueOptions{Names: []string{"alice", "bob"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil || r.Kept {
			t.Fatalf("%s: kept=%v err=%v", r.Name, r.Kept, r.Err)
		}
	}
	alice, bob := results[0].Paths, results[1].Paths
	if want := filepath.Join(pkiDir, "clients", "alice"); alice.Dir != want {
		t.Errorf("alice's bundle is at %s, want %s (clients/ in the PKI directory)", alice.Dir, want)
	}
	for name, mode := range map[string]os.FileMode{"ca.pem": 0o444, "cert.pem": 0o444, "key.pem": 0o400} {
		if m, err := statMode(filepath.Join(alice.Dir, name)); err != nil || m != mode {
			t.Errorf("%s: mode %04o (%v), want %04o", name, m, err, mode)
		}
	}

	// bash: unpack the tarball elsewhere, source env.sh from outside the folder.
	elsewhere := t.TempDir()
	if out, err := exec.Command("tar", "xzf", alice.Tarball, "-C", elsewhere).CombinedOutput(); err != nil {
		t.Fatalf("tar xzf: %v\n%s", err, out)
	}
	sh := exec.Command(bash, "-c", `. ./alice/env.sh && echo "$DOCKER_CERT_PATH" && docker version --format '{{.Server.Version}}'`)
	sh.Dir = elsewhere
	got := dockerVersion(t, sh, "PATH=/usr/bin:/bin")
	if !strings.HasPrefix(got, filepath.Join(elsewhere, "alice")+"\n") || !strings.HasSuffix(got, "20.10.24+dfsg1") {
		t.Errorf("bash with env.sh printed %q, want the unpacked folder and the server version", got)
	}

	// fish, where installed.
	if fish, err := exec.LookPath("fish"); err == nil {
		got := dockerVersion(t, exec.Command(fish, "-c", `source `+filepath.Join(alice.Dir, "env.fish")+`; and docker version --format '{{.Server.Version}}'`), "PATH=/usr/bin:/bin")
		if !strings.Contains(got, "20.10") {
			t.Errorf("fish with env.fish printed %q", got)
		}
	} else {
		t.Log("fish is not installed: env.fish not tried")
	}

	// docker context import, with each docker CLI there is.
	for _, cli := range []string{docker20, "/usr/local/bin/docker"} {
		if _, err := os.Stat(cli); err != nil {
			continue
		}
		cfg := t.TempDir()
		dockerVersion(t, exec.Command(cli, "context", "import", "bob", bob.Context), "DOCKER_CONFIG="+cfg)
		got := dockerVersion(t, exec.Command(cli, "--context", "bob", "version", "--format", "{{.Server.Version}}"), "DOCKER_CONFIG="+cfg)
		if got != "20.10.24+dfsg1" {
			t.Errorf("%s --context bob version printed %q", cli, got)
		}
	}

	// Without a certificate the daemon refuses: the bundle is what lets them in.
	cmd := exec.Command(docker20, "version")
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "DOCKER_HOST=tcp://127.0.0.1:" + port, "DOCKER_TLS_VERIFY=1"}
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("the daemon let in a client without the bundle:\n%s", out)
	}
}

// TestIssueClientKeepsRebuildsAndRenews: a second run changes nothing; a
// lost archive is written again from the kept certificate; --renew issues
// a new one and the inventory calls the old one superseded.
func TestIssueClientKeepsRebuildsAndRenews(t *testing.T) {
	dir := t.TempDir()
	s := issuePlan(t, dir, "2376")
	ctx := context.Background()
	issue := func(renew bool) Issued {
		t.Helper()
		rs, err := s.IssueClients(ctx, IssueOptions{Names: []string{"alice"}, Renew: renew})
		if err != nil || rs[0].Err != nil {
			t.Fatalf("issue: %v %v", err, rs)
		}
		return rs[0]
	}
	first := issue(false)
	keyBefore, _ := os.ReadFile(filepath.Join(first.Paths.Dir, "key.pem"))
	second := issue(false)
	if !second.Kept || second.Rebuilt || pki.Fingerprint(second.Cert) != pki.Fingerprint(first.Cert) {
		t.Fatalf("second run: kept=%v rebuilt=%v, same cert=%v; want it kept as it was", second.Kept, second.Rebuilt, pki.Fingerprint(second.Cert) == pki.Fingerprint(first.Cert))
	}
	if err := os.Remove(first.Paths.Tarball); err != nil {
		t.Fatal(err)
	}
	third := issue(false)
	if !third.Rebuilt || pki.Fingerprint(third.Cert) != pki.Fingerprint(first.Cert) {
		t.Fatalf("after the tarball was lost: rebuilt=%v; want the bundle written again with the same certificate", third.Rebuilt)
	}
	if _, err := os.Stat(first.Paths.Tarball); err != nil {
		t.Fatalf("the tarball was not written again: %v", err)
	}
	keyAfter, _ := os.ReadFile(filepath.Join(first.Paths.Dir, "key.pem"))
	if string(keyAfter) != string(keyBefore) {
		t.Fatal("rebuilding the bundle changed the key")
	}
	renewed := issue(true)
	if renewed.Kept || pki.Fingerprint(renewed.Cert) == pki.Fingerprint(first.Cert) {
		t.Fatal("--renew kept the old certificate")
	}
	d, _ := s.existingPKI()
	recs, err := d.Certificates()
	if err != nil {
		t.Fatal(err)
	}
	var statuses []string
	for i, r := range recs {
		if r.Kind == pki.KindWorkshop {
			statuses = append(statuses, string(pki.StatusOf(recs, i, time.Now(), 30*24*time.Hour)))
		}
	}
	if strings.Join(statuses, ",") != "superseded,valid" {
		t.Errorf("alice's certificates in the inventory: %v, want superseded,valid", statuses)
	}
	entries, _ := os.ReadDir(filepath.Dir(first.Paths.Dir))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("a temporary file was left in the bundle directory: %s", e.Name())
		}
	}
}

// TestIssueClientRefusesBadInput: every bad name at once, a name twice, no
// CA yet; nothing is written.
func TestIssueClientRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	p := loadPlanText(t, dir, "ca: {key: ecdsa-p256}\ndaemon: {ssh: local, sans: [127.0.0.1]}\n")
	s := NewSession(p, headlessYes{}, Options{})
	ctx := context.Background()
	_, err := s.IssueClients(ctx, IssueOptions{Names: []string{"alice"}})
	if err == nil || !strings.Contains(err.Error(), "no CA") || !strings.Contains(err.Error(), "--step ca") {
		t.Errorf("without a CA: %v; want the command that creates it", err)
	}
	_, err = s.IssueClients(ctx, IssueOptions{Names: []string{"ok", "a/b", "../x", "bob", "bob"}})
	for _, want := range []string{`"a/b" contains '/'`, `"../x" contains '/'`, `"bob" is given twice`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad names: %v; want it to say %s", err, want)
		}
	}
	_, err = s.IssueClients(ctx, IssueOptions{Names: []string{"alice"}, Key: "dsa-1024"})
	if err == nil || !strings.Contains(err.Error(), "--key") {
		t.Errorf("a bad key type: %v", err)
	}
	if _, statErr := os.Stat(filepath.Join(dir, "pki", "clients")); statErr == nil {
		t.Error("a refused run created the bundle directory")
	}
}

// BenchmarkIssue30Clients issues 30 ecdsa-p256 client bundles (keys,
// certificates, PKI files, folders, contexts, tarballs, inventory).
func BenchmarkIssue30Clients(b *testing.B) {
	dir := b.TempDir()
	s := issuePlan(b, dir, "2376")
	names := make([]string, 30)
	for i := range names {
		names[i] = fmt.Sprintf("student%02d", i)
	}
	b.ResetTimer()
	for b.Loop() {
		rs, err := s.IssueClients(context.Background(), IssueOptions{Names: names, Renew: true})
		if err != nil || rs[29].Err != nil {
			b.Fatal(err, rs[29].Err)
		}
	}
}
