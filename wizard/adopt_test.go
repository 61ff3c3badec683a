package wizard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/wizard/plan"
)

// tutorialPass is the CA passphrase the tutorial's admin typed.
const tutorialPass = "tutorial passphrase"

// openssl runs the openssl CLI in dir, as the tutorial does.
func openssl(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(testlab.RequireBinary(t, "openssl", "openssl"), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CA_PASS="+tutorialPass)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// tutorialLeaf issues a key and a certificate with the tutorial's
// commands: genrsa, req with -subj, an extfile, x509 -req -CAcreateserial.
func tutorialLeaf(t *testing.T, dir, name, cn, ext string, days int, digest string) {
	t.Helper()
	openssl(t, dir, "genrsa", "-out", name+"-key.pem", "2048")
	openssl(t, dir, "req", "-subj", "/CN="+cn, "-sha256", "-new", "-key", name+"-key.pem", "-out", name+".csr")
	if err := os.WriteFile(filepath.Join(dir, "extfile.cnf"), []byte(ext), 0o644); err != nil {
		t.Fatal(err)
	}
	openssl(t, dir, "x509", "-req", "-days", fmt.Sprint(days), "-"+digest, "-in", name+".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
		"-passin", "env:CA_PASS", "-CAcreateserial", "-out", name+"-cert.pem", "-extfile", "extfile.cnf")
}

// tutorialSetup is a setup made by hand with the tutorial's commands
// (seeds 000): an encrypted CA (genrsa -aes256), the daemon's and the
// client's certificates, keys chmod 0400 and certificates left 0644, the
// files copied to ~/.docker/{ca,cert,key}.pem on the daemon node and on
// the client (the renaming matters), and daemon.json naming them; then a
// real dockerd started on it.
type tutorialSetup struct {
	dir        string // the tutorial's working directory (the CA's)
	nodeDocker string // ~/.docker of the daemon node's user
	client     string // ~/.docker on the client
	d          *testlab.Dockerd
	plan       *plan.Plan
}

func newTutorialSetup(t *testing.T) *tutorialSetup {
	t.Helper()
	d := testlab.NewDockerd(t, testlab.DockerdOptions{NoHostFlags: true})
	root := t.TempDir()
	ts := &tutorialSetup{dir: filepath.Join(root, "ca"), nodeDocker: filepath.Join(root, "node-home", ".docker"), client: filepath.Join(root, "client-home", ".docker"), d: d}
	for _, p := range []string{ts.dir, ts.nodeDocker, ts.client} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	openssl(t, ts.dir, "genrsa", "-aes256", "-passout", "env:CA_PASS", "-out", "ca-key.pem", "2048")
	openssl(t, ts.dir, "req", "-new", "-x509", "-days", "730", "-key", "ca-key.pem", "-passin", "env:CA_PASS", "-sha256", "-out", "ca.pem", "-subj", "/CN=Tutorial CA")
	tutorialLeaf(t, ts.dir, "daemon", "localhost", "subjectAltName = DNS:localhost,IP:127.0.0.1\nextendedKeyUsage = serverAuth\n", 730, "sha256")
	tutorialLeaf(t, ts.dir, "client", "node1", "extendedKeyUsage = clientAuth\n", 730, "sha256")
	for _, f := range []string{"ca-key.pem", "client-key.pem", "daemon-key.pem"} {
		if err := os.Chmod(filepath.Join(ts.dir, f), 0o400); err != nil {
			t.Fatal(err)
		}
	}
	copyAs(t, filepath.Join(ts.dir, "ca.pem"), filepath.Join(ts.nodeDocker, "ca.pem"))
	copyAs(t, filepath.Join(ts.dir, "daemon-cert.pem"), filepath.Join(ts.nodeDocker, "cert.pem"))
	copyAs(t, filepath.Join(ts.dir, "daemon-key.pem"), filepath.Join(ts.nodeDocker, "key.pem"))
	copyAs(t, filepath.Join(ts.dir, "ca.pem"), filepath.Join(ts.client, "ca.pem"))
	copyAs(t, filepath.Join(ts.dir, "client-cert.pem"), filepath.Join(ts.client, "cert.pem"))
	copyAs(t, filepath.Join(ts.dir, "client-key.pem"), filepath.Join(ts.client, "key.pem"))
	daemonJSON := fmt.Sprintf(`{
    "hosts": ["unix://%s", "tcp://%s"],
    "tls": true,
    "tlsverify": true,
    "tlscacert": "%[3]s/ca.pem",
    "tlscert": "%[3]s/cert.pem",
    "tlskey": "%[3]s/key.pem"
}
`, d.Socket, d.TCPAddr, ts.nodeDocker)
	if err := os.WriteFile(d.ConfigPath, []byte(daemonJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(d.TCPAddr, ":")
	ts.plan = loadPlanText(t, root, fmt.Sprintf(`dir: %[1]s
ca: {common_name: Tutorial CA, key: rsa-2048, passphrase_env: TUTORIAL_CA_PASS}
daemon:
  ssh: local
  common_name: localhost
  sans: [localhost, 127.0.0.1]
  listen: tcp://127.0.0.1:%[2]s
  address: tcp://127.0.0.1:%[2]s
  cert_dir: %[3]s/daemon-tls
  config: %[4]s
  restart: %[5]q
client:
  target: local
  cert_dir: %[6]s
  common_name: node1
`, ts.dir, port, root, d.ConfigPath, d.RestartCommand(), ts.client))
	return ts
}

// copyAs copies a file the way scp does for a new file: the source's mode.
func copyAs(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, fi.Mode().Perm()); err != nil {
		t.Fatal(err)
	}
}

// runner is a headless --yes runner whose CA passphrase comes from the
// plan's variable.
func (ts *tutorialSetup) runner() *Runner {
	env := func(k string) string {
		if k == "TUTORIAL_CA_PASS" {
			return tutorialPass
		}
		return ""
	}
	return NewRunner(ts.plan, headlessYes{}, Options{Yes: true, Getenv: env, HealthTimeout: 60 * time.Second})
}

// treeState is every file under the given roots: path → mode and sha256.
func treeState(t *testing.T, roots ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			fi, err := e.Info()
			if err != nil {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[p] = fmt.Sprintf("%04o %x", fi.Mode().Perm(), sha256.Sum256(data))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func diffStates(before, after map[string]string) []string {
	var d []string
	for p, v := range before {
		if after[p] != v {
			d = append(d, fmt.Sprintf("%s: %s → %s", p, v, after[p]))
		}
	}
	for p, v := range after {
		if _, ok := before[p]; !ok {
			d = append(d, fmt.Sprintf("%s: new (%s)", p, v))
		}
	}
	sort.Strings(d)
	return d
}

// On a setup made with the tutorial's own commands, doctor reports no
// failure (the names ~/.docker/{ca,cert,key}.pem and certificates at 0644
// are information, not faults), and apply changes no file and restarts
// nothing.
func TestTutorialSetupIsAdoptedAsItIs(t *testing.T) {
	ts := newTutorialSetup(t)
	ctx := context.Background()
	r := ts.runner()
	defer r.Close()
	for _, f := range r.Doctor(ctx) {
		t.Logf("doctor: %s %s %s: %s", f.Step, f.Status, f.Code, f.Message)
		if f.Status == StatusFail {
			t.Errorf("doctor fails a working tutorial setup: %+v", f)
		}
	}
	before := treeState(t, ts.dir, ts.nodeDocker, ts.client, ts.d.ConfigPath)
	pid := ts.d.Pid()
	var out bytes.Buffer
	if err := r.Run(ctx, nil, NewPrinter(&out, nil)); err != nil {
		t.Fatalf("apply on the tutorial setup: %v\n%s", err, out.String())
	}
	t.Logf("apply:\n%s", out.String())
	if d := diffStates(before, treeState(t, ts.dir, ts.nodeDocker, ts.client, ts.d.ConfigPath)); len(d) > 0 {
		t.Errorf("apply changed files of a working setup:\n%s", strings.Join(d, "\n"))
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(ts.client), "..", "daemon-tls")); err == nil {
		t.Errorf("apply made a second set of daemon files")
	}
	if ts.d.Pid() != pid {
		t.Errorf("apply restarted a working daemon (pid %d → %d)", pid, ts.d.Pid())
	}
	for _, step := range []string{"ca", "daemon-cert", "client-cert", "distribute", "daemon-config"} {
		if !strings.Contains(out.String(), "= "+fmt.Sprintf("%-13s", step)) {
			t.Errorf("apply did something in step %s:\n%s", step, out.String())
		}
	}
}
