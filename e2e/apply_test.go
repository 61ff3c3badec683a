//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab/node"
	"github.com/dockertls/dockertls/pki"
)

// applyRun is one plan against one booted node, run with the real binary
// in a private HOME (docker contexts, shell files) on this machine.
type applyRun struct {
	t    *testing.T
	bin  string
	node *node.Node
	dir  string
	plan string
	home string
}

func newApplyRun(t *testing.T) *applyRun {
	t.Helper()
	n := bootNode(t)
	dir := t.TempDir()
	a := &applyRun{t: t, bin: dockertlsBinary(t), node: n, dir: dir, plan: filepath.Join(dir, "plan.yaml"), home: filepath.Join(dir, "home")}
	if err := os.MkdirAll(a.home, 0o755); err != nil {
		t.Fatal(err)
	}
	// known_hosts starts empty: the first contact is trusted only with
	// --accept-new-host-keys (and shows the fingerprint).
	plan := fmt.Sprintf(`# e2e plan: node3 over SSH as ubuntu (passwordless sudo), client here
dir: ./pki
ca:
  common_name: e2e CA
  key: ecdsa-p256
daemon:
  ssh: %[1]s
  identity: %[2]s
  known_hosts: ./known_hosts
  sans: [node3, %[3]s]
  address: tcp://%[3]s:2376
client:
  target: local
  cert_dir: ./client
  context: node3-e2e
`, n.Target("ubuntu"), n.UbuntuKey, n.IP)
	if err := os.WriteFile(a.plan, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	return a
}

// env is the environment of every command: a private HOME, no DOCKER_*.
func (a *applyRun) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "DOCKER_") || strings.HasPrefix(kv, "HOME=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+a.home, "SHELL=/bin/bash")
}

// dockertls runs the binary and returns its output and exit status.
func (a *applyRun) dockertls(args ...string) (string, int) {
	a.t.Helper()
	cmd := exec.Command(a.bin, args...)
	cmd.Env = a.env()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		a.t.Fatalf("running dockertls %v: %v", args, err)
	}
	a.t.Logf("$ dockertls %s  (exit %d)\n%s", strings.Join(args, " "), code, out.String())
	return out.String(), code
}

// doctor runs `doctor --json` and returns the failing findings by step.
func (a *applyRun) doctor() map[string][]string {
	a.t.Helper()
	out, _ := a.dockertls("doctor", "-f", a.plan, "--json")
	var findings []struct{ Step, Status, Code, Message string }
	if err := json.Unmarshal([]byte(out[strings.Index(out, "["):]), &findings); err != nil {
		a.t.Fatalf("doctor --json is not a JSON list: %v\n%s", err, out)
	}
	fails := map[string][]string{}
	for _, f := range findings {
		if f.Status == "fail" {
			fails[f.Step] = append(fails[f.Step], f.Code)
		}
	}
	return fails
}

// requireGreen: doctor exits 0 with nothing failing.
func (a *applyRun) requireGreen(when string) {
	a.t.Helper()
	if out, code := a.dockertls("doctor", "-f", a.plan); code != 0 {
		a.t.Fatalf("doctor %s: exit %d\n%s", when, code, out)
	}
}

// requireDockerCLIs: both docker CLIs, with the variables of `dockertls
// env` eval'd in bash, show the server; and the docker context works.
func (a *applyRun) requireDockerCLIs() {
	a.t.Helper()
	for _, cli := range []string{"/usr/bin/docker", "/usr/local/bin/docker"} {
		if _, err := os.Stat(cli); err != nil {
			a.t.Logf("skipping %s: not installed", cli)
			continue
		}
		script := fmt.Sprintf(`set -e; eval "$(%s env -f %s)"; %s version --format '{{.Server.Version}}'`, a.bin, a.plan, cli)
		cmd := exec.Command("bash", "-c", script)
		cmd.Env = a.env()
		out, err := cmd.CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) == "" {
			a.t.Fatalf("%s version with the env of dockertls: %v\n%s", cli, err, out)
		}
		a.t.Logf("%s reaches the daemon: server %s", cli, strings.TrimSpace(string(out)))
		ctxCmd := exec.Command(cli, "--context", "node3-e2e", "version", "--format", "{{.Server.Version}}")
		ctxCmd.Env = a.env()
		if out, err := ctxCmd.CombinedOutput(); err != nil {
			a.t.Errorf("%s --context node3-e2e version: %v\n%s", cli, err, out)
		}
	}
}

// TestApplyDoctorFix is the whole tool on a real systemd node: apply, the
// real docker CLIs, doctor green; then faults from the doctor list are
// injected one at a time, doctor names the step, and doctor --fix repairs.
func TestApplyDoctorFix(t *testing.T) {
	a := newApplyRun(t)

	// Headless never trusts a new host key on its own.
	out, code := a.dockertls("apply", "-f", a.plan, "--yes")
	if code != 1 || !strings.Contains(out, "--accept-new-host-keys") {
		t.Fatalf("apply without --accept-new-host-keys: exit %d, want 1 and a hint\n%s", code, out)
	}

	start := time.Now()
	out, code = a.dockertls("apply", "-f", a.plan, "--yes", "--accept-new-host-keys")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, out)
	}
	t.Logf("full apply took %s", time.Since(start).Round(time.Millisecond))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var stepLines []string
	for _, l := range lines {
		if strings.HasPrefix(l, "✓ ") || strings.HasPrefix(l, "= ") {
			stepLines = append(stepLines, l)
		}
	}
	if len(stepLines) != 7 || !strings.Contains(stepLines[6], "Docker Engine") {
		t.Fatalf("apply should print one line per step, ending with the server version:\n%s", out)
	}

	// Re-run: nothing changes, the daemon is not restarted.
	before := strings.TrimSpace(a.node.Exec(t, "systemctl show docker -p ActiveEnterTimestampMonotonic"))
	out, code = a.dockertls("apply", "-f", a.plan)
	if code != 0 || strings.Count(out, "\n= ") < 5 {
		t.Errorf("second apply (no --yes needed when nothing changes): exit %d\n%s", code, out)
	}
	if after := strings.TrimSpace(a.node.Exec(t, "systemctl show docker -p ActiveEnterTimestampMonotonic")); after != before {
		t.Errorf("the second apply restarted docker (%s → %s)", before, after)
	}

	a.requireDockerCLIs()
	a.requireGreen("after apply")

	pkiDir := filepath.Join(a.dir, "pki")
	faults := []struct {
		name   string
		inject func(t *testing.T)
		step   string // doctor must name this step as failing
		after  func(t *testing.T)
		remote bool // the repair changes the node: headless needs --yes
	}{
		{"client cert deleted on the client", func(t *testing.T) {
			if err := os.Remove(filepath.Join(a.dir, "client", "cert.pem")); err != nil {
				t.Fatal(err)
			}
		}, "distribute", nil, false},
		{"client certificate expired", func(t *testing.T) {
			d, err := pki.OpenDir(pkiDir)
			if err != nil {
				t.Fatal(err)
			}
			ca, err := d.LoadCA(nil)
			if err != nil {
				t.Fatal(err)
			}
			key, err := pki.GenerateKey(pki.ECDSAP256)
			if err != nil {
				t.Fatal(err)
			}
			cert, err := ca.IssueClient(pki.LeafOptions{CommonName: "client", Key: key, Days: 1, Now: time.Now().AddDate(0, 0, -10)})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{pki.FileClientCert, pki.FileClientKey} {
				_ = os.Remove(d.Path(f))
			}
			if err := d.SaveLeaf(pki.FileClientCert, pki.FileClientKey, cert, key); err != nil {
				t.Fatal(err)
			}
		}, "client-cert", nil, false},
		{"tlsverify off in daemon.json", func(t *testing.T) {
			cfg := a.node.ReadFile(t, "/etc/docker/daemon.json")
			off := strings.Replace(cfg, `"tlsverify": true`, `"tlsverify": false`, 1)
			if off == cfg {
				t.Fatalf("daemon.json has no \"tlsverify\": true:\n%s", cfg)
			}
			a.node.WriteFile(t, "/etc/docker/daemon.json", []byte(off), 0o644)
			a.node.Exec(t, "systemctl restart docker")
		}, "daemon-config", func(t *testing.T) {
			if cfg := a.node.ReadFile(t, "/etc/docker/daemon.json"); !strings.Contains(cfg, `"tlsverify": true`) {
				t.Errorf("doctor --fix did not turn tlsverify back on:\n%s", cfg)
			}
		}, true},
		{"daemon key readable by everyone", func(t *testing.T) {
			a.node.Exec(t, "chmod 0644 /etc/docker/tls/server-key.pem")
		}, "distribute", func(t *testing.T) {
			if mode := strings.TrimSpace(a.node.Exec(t, "stat -c %a /etc/docker/tls/server-key.pem")); mode != "400" {
				t.Errorf("server-key.pem mode is %s after the fix, want 400", mode)
			}
		}, true},
		{"the daemon's tlscacert replaced by another CA's; docker restarted", func(t *testing.T) {
			other := t.TempDir()
			tutorialOpenssl(t, other, "genrsa", "-out", "ca-key.pem", "2048")
			tutorialOpenssl(t, other, "req", "-new", "-x509", "-days", "365", "-key", "ca-key.pem", "-sha256", "-out", "ca.pem", "-subj", "/CN=Someone Else CA")
			data, _ := os.ReadFile(filepath.Join(other, "ca.pem"))
			a.node.WriteFile(t, "/etc/docker/tls/ca.pem", data, 0o444)
			a.node.Exec(t, "systemctl restart docker")
		}, "distribute", func(t *testing.T) {
			a.node.Exec(t, "grep -l 'BEGIN CERTIFICATE' /etc/docker/tls/ca.pem.dockertls-backup-*")
		}, true},
		{"daemon certificate signed by the plan's CA with SHA-1, in the PKI and on the node", func(t *testing.T) {
			cert, key := signWithCA(t, pkiDir, "node3", fmt.Sprintf("subjectAltName = DNS:node3,IP:%s\nextendedKeyUsage = serverAuth\n", a.node.IP), "-sha1")
			replaceFile(t, filepath.Join(pkiDir, pki.FileDaemonCert), cert, 0o444)
			replaceFile(t, filepath.Join(pkiDir, pki.FileDaemonKey), key, 0o400)
			a.node.WriteFile(t, "/etc/docker/tls/server-cert.pem", cert, 0o444)
			a.node.WriteFile(t, "/etc/docker/tls/server-key.pem", key, 0o400)
			a.node.Exec(t, "systemctl restart docker")
		}, "daemon-cert", nil, true},
		{"client certificate expiring in 9 days", func(t *testing.T) {
			cert, key := signWithCA(t, pkiDir, "client", "extendedKeyUsage = clientAuth\n", "-days", "9")
			replaceFile(t, filepath.Join(pkiDir, pki.FileClientCert), cert, 0o444)
			replaceFile(t, filepath.Join(pkiDir, pki.FileClientKey), key, 0o400)
			replaceFile(t, filepath.Join(a.dir, "client", "cert.pem"), cert, 0o444)
			replaceFile(t, filepath.Join(a.dir, "client", "key.pem"), key, 0o400)
		}, "", func(t *testing.T) {
			if out, _ := a.dockertls("doctor", "-f", a.plan); strings.Contains(out, "expires in") {
				t.Errorf("the client certificate was not renewed:\n%s", out)
			}
		}, false},
		{"an override.conf passing -H while daemon.json has hosts (the tutorial's conflict); docker down", func(t *testing.T) {
			a.node.WriteFile(t, "/etc/systemd/system/docker.service.d/override.conf",
				[]byte("[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// -H tcp://0.0.0.0:2376 --containerd=/run/containerd/containerd.sock\n"), 0o644)
			_, _, _ = a.node.Run("systemctl daemon-reload; systemctl restart docker")
		}, "daemon-config", func(t *testing.T) {
			a.node.Exec(t, "systemctl is-active docker")
			if out := a.node.Exec(t, "systemctl show docker.service -p ExecStart --value"); strings.Contains(out, "-H") {
				t.Errorf("docker.service still passes -H: %s", out)
			}
		}, true},
		{"daemon.json with a trailing comma; docker restarted and down", func(t *testing.T) {
			cfg := strings.TrimRight(a.node.ReadFile(t, "/etc/docker/daemon.json"), "\n }")
			a.node.WriteFile(t, "/etc/docker/daemon.json", []byte(cfg+",\n}\n"), 0o644)
			_, _, _ = a.node.Run("systemctl restart docker")
		}, "daemon-config", func(t *testing.T) {
			a.node.Exec(t, "systemctl is-active docker && grep -q '\"tlsverify\": true' /etc/docker/daemon.json")
			a.node.Exec(t, "ls /etc/docker/daemon.json.dockertls-backup-*")
		}, true},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			a.t = t
			f.inject(t)
			fails := a.doctor()
			if f.step != "" && len(fails[f.step]) == 0 {
				t.Fatalf("doctor did not name step %s; failing: %v", f.step, fails)
			}
			t.Logf("doctor names %v", fails)
			if f.remote {
				if out, code := a.dockertls("doctor", "-f", a.plan, "--fix"); code == 0 || !strings.Contains(out, "--yes") {
					t.Errorf("doctor --fix without --yes repaired the node headless (exit %d):\n%s", code, out)
				}
			}
			if out, code := a.dockertls("doctor", "-f", a.plan, "--fix", "--yes"); code != 0 {
				t.Fatalf("doctor --fix --yes: exit %d\n%s", code, out)
			}
			if f.after != nil {
				f.after(t)
			}
			a.requireGreen("after the fix")
		})
	}
	a.t = t
	a.requireDockerCLIs()
}

// signWithCA issues a key and certificate with the tutorial's openssl
// commands, signed by the CA in dir; extra goes on `openssl x509 -req`.
func signWithCA(t *testing.T, dir, cn, ext string, extra ...string) (cert, key []byte) {
	t.Helper()
	w := t.TempDir()
	tutorialOpenssl(t, w, "genrsa", "-out", "key.pem", "2048")
	tutorialOpenssl(t, w, "req", "-subj", "/CN="+cn, "-new", "-key", "key.pem", "-out", "x.csr")
	if err := os.WriteFile(filepath.Join(w, "extfile.cnf"), []byte(ext), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"x509", "-req", "-days", "365", "-sha256", "-in", "x.csr", "-CA", filepath.Join(dir, "ca.pem"), "-CAkey", filepath.Join(dir, "ca-key.pem"),
		"-CAcreateserial", "-CAserial", filepath.Join(w, "ca.srl"), "-out", "cert.pem", "-extfile", "extfile.cnf"}
	tutorialOpenssl(t, w, append(args, extra...)...)
	cert, _ = os.ReadFile(filepath.Join(w, "cert.pem"))
	key, _ = os.ReadFile(filepath.Join(w, "key.pem"))
	return cert, key
}

// replaceFile writes a file as `cp -f` would over a read-only one.
func replaceFile(t *testing.T, p string, data []byte, mode os.FileMode) {
	t.Helper()
	_ = os.Remove(p)
	if err := os.WriteFile(p, data, mode); err != nil {
		t.Fatal(err)
	}
}
