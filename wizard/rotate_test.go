package wizard

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/pki"
)

// rotationLab is a working setup on a real sshd and a real dockerd: the
// daemon node reached over SSH as root, the client on this machine; the
// CA key encrypted with a passphrase from ca.passphrase_env.
type rotationLab struct {
	dir    string // the plan's directory: pki/, daemon-tls/, client/
	d      *testlab.Dockerd
	docker string // the docker CLI 20.10
	port   string
	failM  string // while this file exists, the next restart fails once
	runner func() *Runner
}

const rotationPass = "rotation passphrase"

func newRotationLab(t *testing.T) *rotationLab { return newRotationLabWith(t, false) }

// newRotationLabWith builds the lab; with weak, the setup is the
// tutorial's, made by hand with openssl around an RSA-1024 CA (encrypted
// with -aes256), then distributed and configured by dockertls.
func newRotationLabWith(t *testing.T, weak bool) *rotationLab {
	t.Helper()
	testlab.RequireRoot(t)
	sshd := testlab.StartSSHD(t, testlab.SSHDOptions{})
	d := testlab.NewDockerd(t, testlab.DockerdOptions{NoHostFlags: true})
	if err := os.WriteFile(d.ConfigPath, []byte(`{"hosts": ["unix://`+d.Socket+`"]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	lab := &rotationLab{dir: t.TempDir(), d: d, docker: "/usr/bin/docker"}
	if _, err := os.Stat(lab.docker); err != nil {
		testlab.Unavailable(t, "the docker CLI 20.10", "apt-get install docker.io")
	}
	_, lab.port, _ = strings.Cut(d.TCPAddr, ":")
	lab.failM = filepath.Join(lab.dir, "fail-next-restart")
	// A restart that fails once when asked to: the failure injected into a
	// phase (the daemon is left running on its old files, as a failed
	// systemctl restart may leave it).
	restart := fmt.Sprintf("if [ -e %[1]s ]; then rm -f %[1]s; echo injected restart failure >&2; exit 1; fi; %[2]s", lab.failM, d.RestartCommand())
	planText := fmt.Sprintf(`ca: {key: ecdsa-p256, days: 365, passphrase_env: DOCKERTLS_TEST_ROTATION}
daemon:
  ssh: root@%[5]s
  identity: %[6]s
  known_hosts: %[7]s
  sans: [localhost, 127.0.0.1]
  listen: tcp://127.0.0.1:%[1]s
  address: tcp://127.0.0.1:%[1]s
  cert_dir: %[2]s/daemon-tls
  config: %[3]s
  restart: %[4]q
client:
  cert_dir: %[2]s/client
`, lab.port, lab.dir, d.ConfigPath, restart, sshd.Addr, sshd.ClientKey, sshd.KnownHosts)
	p := loadPlanText(t, lab.dir, planText)
	pass := rotationPass
	var steps []StepName // all
	if weak {
		pass = tutorialPass
		pkiDir := filepath.Join(lab.dir, "pki")
		if err := os.Mkdir(pkiDir, 0o700); err != nil {
			t.Fatal(err)
		}
		openssl(t, pkiDir, "genrsa", "-aes256", "-passout", "env:CA_PASS", "-out", "ca-key.pem", "1024")
		openssl(t, pkiDir, "req", "-new", "-x509", "-days", "730", "-key", "ca-key.pem", "-passin", "env:CA_PASS", "-sha256", "-out", "ca.pem", "-subj", "/CN=Old Weak CA")
		tutorialLeaf(t, pkiDir, "daemon", "localhost", "subjectAltName = DNS:localhost,IP:127.0.0.1\nextendedKeyUsage = serverAuth\n", 365, "sha256")
		tutorialLeaf(t, pkiDir, "client", "client", "extendedKeyUsage = clientAuth\n", 365, "sha256")
		steps = []StepName{StepDistribute, StepDaemonConfig}
	}
	lab.runner = func() *Runner {
		r := NewRunner(p, headlessYes{}, Options{Yes: true, HealthTimeout: 60 * time.Second, Getenv: func(n string) string {
			if n == "DOCKERTLS_TEST_ROTATION" {
				return pass
			}
			return ""
		}})
		t.Cleanup(func() { _ = r.Close() })
		return r
	}
	var out bytes.Buffer
	if err := lab.runner().Run(context.Background(), steps, NewPrinter(&out, nil)); err != nil {
		t.Fatalf("apply failed: %v\n%s\ndockerd log:\n%s", err, out.String(), d.LogTail(30))
	}
	return lab
}

// dockerCLI runs `docker version` with the files in certDir, as a user of
// that client would, and returns its error and output.
func (lab *rotationLab) dockerCLI(certDir string) (string, error) {
	cmd := exec.Command(lab.docker, "version", "--format", "{{.Server.Version}}")
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + certDir, "DOCKER_CONFIG=" + filepath.Join(certDir, ".cfg"),
		"DOCKER_HOST=tcp://127.0.0.1:" + lab.port, "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=" + certDir}
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func (lab *rotationLab) mustReach(t *testing.T, who, certDir string) {
	t.Helper()
	if out, err := lab.dockerCLI(certDir); err != nil || !strings.Contains(out, "20.10") {
		t.Errorf("%s (%s) does not reach the daemon with the docker CLI: %v\n%s", who, certDir, err, out)
	}
}

func (lab *rotationLab) mustBeRefused(t *testing.T, who, certDir string) {
	t.Helper()
	if out, err := lab.dockerCLI(certDir); err == nil {
		t.Errorf("%s (%s) still reaches the daemon: %s", who, certDir, out)
	} else if _, refused := lab.d.CertificateRefused(out); !refused && !strings.Contains(out, "certificate signed by unknown authority") {
		t.Errorf("%s is refused, but not for a certificate:\n%s", who, out)
	}
}

// rotate runs one phase and returns its printed output.
func (lab *rotationLab) rotate(o RotateOptions) (string, error) {
	var out bytes.Buffer
	err := lab.runner().RotateCA(context.Background(), o, NewPrinter(&out, nil))
	return out.String(), err
}

// copyDir copies a directory's files (a client's ca.pem, cert.pem, key.pem).
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// treeSnapshot is every file under dirs, by path, for byte-for-byte
// comparisons (backups named *.dockertls-backup-* and *.rotated-* left out:
// a rollback may leave those, listed).
func treeSnapshot(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || strings.Contains(p, ".dockertls-backup-") || strings.Contains(p, ".rotated-") || strings.HasPrefix(e.Name(), ".") {
				return err
			}
			b, err := os.ReadFile(p)
			out[p] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func sameTree(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for p, b := range before {
		if a, ok := after[p]; !ok {
			t.Errorf("%s: %s is gone", what, p)
		} else if a != b {
			t.Errorf("%s: %s changed", what, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s: %s appeared", what, p)
		}
	}
}

func doctorFindings(t *testing.T, r *Runner) (fails []Finding, rotating bool) {
	t.Helper()
	for _, f := range r.Doctor(context.Background()) {
		if f.Status == StatusFail {
			fails = append(fails, f)
		}
		if f.Code == "rotation-in-progress" {
			rotating = true
		}
	}
	return fails, rotating
}

// TestRotateCANobodyCutOff is issue 14's contract on a real sshd and
// dockerd with the real docker CLI as the oracle: after phase 1 a client
// holding the OLD files and the plan's re-issued client both get in, and
// doctor says the rotation is in progress; --finish refuses while a
// workshop client hangs on the old CA, and after `issue client --renew`
// and --finish the old client is refused and the new ones work.
func TestRotateCANobodyCutOff(t *testing.T) {
	lab := newRotationLab(t)
	ctx := context.Background()
	client := filepath.Join(lab.dir, "client")
	oldFiles := filepath.Join(t.TempDir(), "old-client")
	copyDir(t, client, oldFiles)
	lab.mustReach(t, "the client before the rotation", oldFiles)
	issued, err := lab.runner().Session().IssueClients(ctx, IssueOptions{Names: []string{"alice"}})
	if err != nil || issued[0].Err != nil {
		t.Fatalf("issue client alice: %v %v", err, issued)
	}
	pkiDir := filepath.Join(lab.dir, "pki")
	oldCA, _ := os.ReadFile(filepath.Join(pkiDir, pki.FileCA))

	out, err := lab.rotate(RotateOptions{})
	t.Logf("rotate-ca:\n%s", out)
	if err != nil {
		t.Fatalf("rotate-ca: %v\ndockerd log:\n%s", err, lab.d.LogTail(30))
	}
	if prev, _ := os.ReadFile(filepath.Join(pkiDir, pki.FileCAPrevious)); !bytes.Equal(prev, oldCA) {
		t.Error("ca-previous.pem is not the old ca.pem byte for byte")
	}
	if !strings.Contains(out, "backed up") {
		t.Errorf("phase 1 listed no backup:\n%s", out)
	}
	lab.mustReach(t, "a client holding the OLD files", oldFiles)
	lab.mustReach(t, "the plan's re-issued client", client)
	lab.mustReach(t, "alice's bundle of the old CA", issued[0].Paths.Dir)
	daemonCA, _ := os.ReadFile(filepath.Join(lab.dir, "daemon-tls", DaemonCAFile))
	if certs, err := pki.ParseCertsPEM(daemonCA); err != nil || len(certs) != 2 {
		t.Errorf("the daemon's ca.pem holds %d certificates (%v), want the bundle of both CAs", len(certs), err)
	}
	fails, rotating := doctorFindings(t, lab.runner())
	if len(fails) > 0 || !rotating {
		t.Errorf("doctor during the rotation: fails %+v, rotation-in-progress said: %v", fails, rotating)
	}
	certs, err := lab.runner().Session().Certificates()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range certs {
		if c.Kind == pki.KindWorkshop && c.Name == "alice" && c.IssuedBy != issuerPrevious {
			t.Errorf("certs says alice was issued by %q, want %q", c.IssuedBy, issuerPrevious)
		}
	}
	if again, err := lab.rotate(RotateOptions{}); err != nil || !strings.Contains(again, "phase 1 is done already") {
		t.Errorf("rotate-ca again: %v\n%s", err, again)
	}

	// --finish refuses while alice still hangs on the old CA, and says how.
	out, err = lab.rotate(RotateOptions{Finish: true})
	if err == nil || !strings.Contains(err.Error(), `"alice"`) || !strings.Contains(err.Error(), "issue client alice -f") || !strings.Contains(err.Error(), "--renew") {
		t.Fatalf("--finish with alice on the old CA: %v\n%s", err, out)
	}
	// The refusal in Chinese: its words translated, the name and the
	// commands as the user types them.
	inLanguage(t, "the refused --finish in zh", i18n.New(i18n.Chinese).Error(err), []string{"仍有 1 个证书依赖上一个 CA", "强行完成"},
		[]string{`"alice"`, "issue client alice -f", "--renew", "--force"}, []string{"still hang on", "would be cut off", "finish anyway"})
	if _, err := os.Stat(filepath.Join(pkiDir, pki.FileCAPrevious)); err != nil {
		t.Fatalf("the refused --finish changed the PKI directory: %v", err)
	}
	renewed, err := lab.runner().Session().IssueClients(ctx, IssueOptions{Names: []string{"alice"}, Renew: true})
	if err != nil || renewed[0].Err != nil {
		t.Fatalf("issue client alice --renew: %v %v", err, renewed)
	}
	lab.mustReach(t, "alice's renewed bundle during the rotation", renewed[0].Paths.Dir)

	out, err = lab.rotate(RotateOptions{Finish: true})
	t.Logf("rotate-ca --finish:\n%s", out)
	if err != nil {
		t.Fatalf("rotate-ca --finish: %v\ndockerd log:\n%s", err, lab.d.LogTail(30))
	}
	lab.mustBeRefused(t, "a client holding the OLD files", oldFiles)
	// The daemon itself refuses the old CA's client certificate, even from
	// a client that trusts the new CA.
	oldCertNewCA := filepath.Join(t.TempDir(), "old-cert-new-ca")
	copyDir(t, oldFiles, oldCertNewCA)
	newCA, _ := os.ReadFile(filepath.Join(pkiDir, pki.FileCA))
	if err := os.WriteFile(filepath.Join(oldCertNewCA, ClientCAFile), newCA, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := lab.dockerCLI(oldCertNewCA); err == nil {
		t.Errorf("the old CA's client certificate with the new ca.pem still reaches the daemon:\n%s", out)
	} else if _, refused := lab.d.CertificateRefused(out); !refused {
		t.Errorf("the old CA's client certificate with the new ca.pem: %v\n%s", err, out)
	}
	lab.mustReach(t, "the plan's client", client)
	lab.mustReach(t, "alice's renewed bundle", renewed[0].Paths.Dir)
	if _, err := os.Stat(filepath.Join(pkiDir, pki.FileCAPrevious)); err == nil {
		t.Error("ca-previous.pem is still there after --finish")
	}
	if retired, _ := filepath.Glob(filepath.Join(pkiDir, pki.FileCAPrevious+".retired-*")); len(retired) != 1 {
		t.Errorf("the retired CA was not kept: %v", retired)
	}
	fails, rotating = doctorFindings(t, lab.runner())
	if len(fails) > 0 || rotating {
		t.Errorf("doctor after --finish: fails %+v, rotation still said: %v", fails, rotating)
	}
	if again, err := lab.rotate(RotateOptions{Finish: true}); err != nil || !strings.Contains(again, "nothing to finish") {
		t.Errorf("--finish again: %v\n%s", err, again)
	}
}

// TestRotateCARollsBackAFailedPhase injects a failed daemon restart into
// each phase: the phase is rolled back (the PKI directory and the hosts'
// files byte for byte, the daemon restarted on them), the backups are
// listed, and every client that worked before still works.
func TestRotateCARollsBackAFailedPhase(t *testing.T) {
	lab := newRotationLab(t)
	client := filepath.Join(lab.dir, "client")
	oldFiles := filepath.Join(t.TempDir(), "old-client")
	copyDir(t, client, oldFiles)
	carol, err := lab.runner().Session().IssueClients(context.Background(), IssueOptions{Names: []string{"carol"}})
	if err != nil || carol[0].Err != nil {
		t.Fatalf("issue client carol: %v %v", err, carol)
	}
	dirs := []string{filepath.Join(lab.dir, "pki"), filepath.Join(lab.dir, "daemon-tls"), client}
	inject := func() {
		if err := os.WriteFile(lab.failM, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	before := treeSnapshot(t, dirs...)
	inject()
	out, err := lab.rotate(RotateOptions{})
	t.Logf("rotate-ca with a failing restart:\n%s", out)
	if err == nil || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("phase 1 with a failing restart: %v", err)
	}
	if !strings.Contains(out, "backed up") {
		t.Errorf("the failed phase listed no backup:\n%s", out)
	}
	sameTree(t, "after the rolled-back phase 1", before, treeSnapshot(t, dirs...))
	lab.mustReach(t, "the client after the rolled-back phase 1", oldFiles)
	lab.mustReach(t, "the plan's client after the rolled-back phase 1", client)

	if out, err := lab.rotate(RotateOptions{}); err != nil {
		t.Fatalf("rotate-ca: %v\n%s", err, out)
	}
	during := treeSnapshot(t, dirs...)
	inject()
	// --force: carol still hangs on the old CA; she is named, and the
	// failed phase gives her back her access with everything else.
	out, err = lab.rotate(RotateOptions{Finish: true, Force: true})
	t.Logf("rotate-ca --finish --force with a failing restart:\n%s", out)
	if err == nil || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("--finish with a failing restart: %v", err)
	}
	if !strings.Contains(out, `--force: these certificates of the previous CA stop working now: workshop "carol"`) {
		t.Errorf("--finish --force did not name carol:\n%s", out)
	}
	lab.mustReach(t, "carol's bundle of the old CA after the rolled-back --finish", carol[0].Paths.Dir)
	sameTree(t, "after the rolled-back --finish", during, treeSnapshot(t, dirs...))
	lab.mustReach(t, "a client holding the OLD files after the rolled-back --finish", oldFiles)
	lab.mustReach(t, "the plan's client after the rolled-back --finish", client)
}

// TestCertsSaysWhichCAIssuedEach: certs labels a CA renewed with its key
// as a renewal, the CA a rotation replaces as previous, and each leaf by
// the CA that signed it (the current one, the previous one).
func TestCertsSaysWhichCAIssuedEach(t *testing.T) {
	dir := t.TempDir()
	s := NewSession(loadPlanText(t, dir, "ca: {key: ecdsa-p256}\n"), nil, Options{})
	d, err := pki.OpenDir(filepath.Join(dir, "pki"))
	if err != nil {
		t.Fatal(err)
	}
	key, _ := pki.GenerateKey(pki.ECDSAP256)
	first, _ := pki.NewCA(pki.CAOptions{CommonName: "Class CA", Key: key, Days: 10})
	renewed, _ := pki.RenewCA(first, 365)
	if err := d.SaveCA(renewed, "", false); err != nil {
		t.Fatal(err)
	}
	leafKey, _ := pki.GenerateKey(pki.ECDSAP256)
	old, _ := renewed.IssueClient(pki.LeafOptions{CommonName: "bob", Key: leafKey, Days: 30})
	if err := d.SaveLeaf("client-bob-cert.pem", "client-bob-key.pem", old, leafKey); err != nil {
		t.Fatal(err)
	}
	// bob's record names the first CA certificate: renewal kept the key.
	if err := d.Record(pki.NewRecord(pki.KindCA, "Class CA", first.Cert, first.Cert), pki.NewRecord(pki.KindCA, "Class CA", renewed.Cert, renewed.Cert, pki.FileCA),
		pki.NewRecord(pki.KindWorkshop, "bob", old, first.Cert, "client-bob-cert.pem")); err != nil {
		t.Fatal(err)
	}
	next, _ := pki.NewCA(pki.CAOptions{CommonName: "Class CA", Days: 365})
	if _, err := d.BeginRotation(next, ""); err != nil {
		t.Fatal(err)
	}
	if err := d.Record(pki.NewRecord(pki.KindCA, "Class CA", next.Cert, next.Cert, pki.FileCA)); err != nil {
		t.Fatal(err)
	}
	certs, err := s.Certificates()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range certs {
		got[c.SHA256] = c.IssuedBy
	}
	want := map[string]string{
		pki.Fingerprint(first.Cert):   "itself",
		pki.Fingerprint(renewed.Cert): "itself, previous CA (rotation in progress), renewed with the same key",
		pki.Fingerprint(next.Cert):    "itself, current CA",
		pki.Fingerprint(old):          issuerPrevious,
	}
	for fp, w := range want {
		if got[fp] != w {
			t.Errorf("issued_by of %s… = %q, want %q", fp[:11], got[fp], w)
		}
	}
	left, err := s.onPreviousCA(d)
	if err != nil || len(left) != 1 || left[0].Name != "bob" {
		t.Errorf("certificates on the previous CA: %v %v", left, err)
	}
}

// TestRotateCAAwayFromAWeakCA: the tutorial's setup around an RSA-1024 CA
// (which dockertls refuses to issue from) is rotated to a strong CA: the
// old client keeps working through phase 1, doctor fails nothing while the
// rotation runs, and after --finish only the new CA's clients get in.
func TestRotateCAAwayFromAWeakCA(t *testing.T) {
	lab := newRotationLabWith(t, true)
	client := filepath.Join(lab.dir, "client")
	oldFiles := filepath.Join(t.TempDir(), "old-client")
	copyDir(t, client, oldFiles)
	lab.mustReach(t, "the weak CA's client before the rotation", oldFiles)
	out, err := lab.rotate(RotateOptions{})
	t.Logf("rotate-ca:\n%s", out)
	if err != nil {
		t.Fatalf("rotate-ca away from a weak CA: %v\ndockerd log:\n%s", err, lab.d.LogTail(30))
	}
	lab.mustReach(t, "a client holding the weak CA's files", oldFiles)
	lab.mustReach(t, "the plan's re-issued client", client)
	if fails, rotating := doctorFindings(t, lab.runner()); len(fails) > 0 || !rotating {
		t.Errorf("doctor during the rotation: fails %+v, rotation-in-progress said: %v", fails, rotating)
	}
	out, err = lab.rotate(RotateOptions{Finish: true})
	t.Logf("rotate-ca --finish:\n%s", out)
	if err != nil {
		t.Fatalf("rotate-ca --finish: %v", err)
	}
	lab.mustBeRefused(t, "a client holding the weak CA's files", oldFiles)
	lab.mustReach(t, "the plan's client", client)
	cur, err := pki.ParseCertsPEM([]byte(treeSnapshot(t, filepath.Join(lab.dir, "daemon-tls"))[filepath.Join(lab.dir, "daemon-tls", DaemonCAFile)]))
	if err != nil || len(cur) != 1 || pki.Inspect(cur[0], time.Time{}).KeyType != pki.ECDSAP256 {
		t.Errorf("the daemon's ca.pem after --finish: %v %v", cur, err)
	}
}

// TestRotateCAOfAFleet: a plan with daemons: rotates all of them together
// (each trusts both CAs during the rotation): a client holding the OLD
// files reaches every daemon after phase 1 and none after --finish, the
// plan's client reaches every one throughout.
func TestRotateCAOfAFleet(t *testing.T) {
	testlab.RequireRoot(t)
	var fleet []benchFleet
	for range 2 {
		d := testlab.NewDockerd(t, testlab.DockerdOptions{NoHostFlags: true})
		cfg := `{"hosts": ["unix://` + d.Socket + `"]}` + "\n"
		if err := os.WriteFile(d.ConfigPath, []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := d.Start(); err != nil {
			t.Fatal(err)
		}
		_, port, _ := strings.Cut(d.TCPAddr, ":")
		fleet = append(fleet, benchFleet{d, port, cfg})
	}
	dir := t.TempDir()
	// client-env makes a docker context per daemon: not in this user's own.
	t.Setenv("DOCKER_CONFIG", filepath.Join(dir, "docker-config"))
	p := loadPlanText(t, dir, fleetPlanText(dir, fleet))
	newFleet := func() *Fleet {
		f, err := NewFleet(p, headlessYes{}, Options{Yes: true, HealthTimeout: 60 * time.Second}, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = f.Close() })
		return f
	}
	ctx := context.Background()
	// The daemons run at once: each writes its lines under one lock, as the
	// CLI's grouped output does, so the shared buffer sees no concurrent write.
	var (
		out   bytes.Buffer
		outMu sync.Mutex
	)
	sink := func(string) func(Event) {
		print := NewPrinter(&out, nil)
		return func(e Event) {
			outMu.Lock()
			defer outMu.Unlock()
			print(e)
		}
	}
	errs := newFleet().Run(ctx, nil, 2, sink, func(string, error) {})
	if len(errs) > 0 {
		t.Fatalf("apply to the fleet: %v\n%s", errs, out.String())
	}
	client := filepath.Join(dir, "client")
	oldFiles := filepath.Join(t.TempDir(), "old-client")
	copyDir(t, client, oldFiles)
	labs := make([]*rotationLab, len(fleet))
	for i, f := range fleet {
		labs[i] = &rotationLab{d: f.d, docker: "/usr/bin/docker", port: f.port}
		labs[i].mustReach(t, fmt.Sprintf("d%d: the client before the rotation", i), oldFiles)
	}
	rotate := func(o RotateOptions) string {
		var out bytes.Buffer
		if err := newFleet().RotateCA(ctx, o, NewPrinter(&out, nil)); err != nil {
			t.Fatalf("rotate-ca %+v: %v\n%s", o, err, out.String())
		}
		return out.String()
	}
	t.Logf("rotate-ca:\n%s", rotate(RotateOptions{}))
	for i, lab := range labs {
		lab.mustReach(t, fmt.Sprintf("d%d: a client holding the OLD files", i), oldFiles)
		lab.mustReach(t, fmt.Sprintf("d%d: the plan's re-issued client", i), client)
	}
	t.Logf("rotate-ca --finish:\n%s", rotate(RotateOptions{Finish: true}))
	for i, lab := range labs {
		lab.mustBeRefused(t, fmt.Sprintf("d%d: a client holding the OLD files", i), oldFiles)
		lab.mustReach(t, fmt.Sprintf("d%d: the plan's client", i), client)
	}
}
