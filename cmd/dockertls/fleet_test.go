package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
)

// fleetDaemon is one dockerd of a fleet test: its own config (holding only
// its unix socket) and restart command, as daemon.restart allows.
type fleetDaemon struct {
	name string
	d    *testlab.Dockerd
	port string
}

func startFleet(t testing.TB, names ...string) []fleetDaemon {
	t.Helper()
	var out []fleetDaemon
	for _, n := range names {
		d := testlab.NewDockerd(t, testlab.DockerdOptions{NoHostFlags: true})
		if err := os.WriteFile(d.ConfigPath, []byte(`{"hosts": ["unix://`+d.Socket+`"]}`+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := d.Start(); err != nil {
			t.Fatal(err)
		}
		_, port, _ := strings.Cut(d.TCPAddr, ":")
		out = append(out, fleetDaemon{n, d, port})
	}
	return out
}

// fleetPlan writes a plan with a daemons: entry per daemon, all on this
// machine; restart overrides a daemon's restart command when given.
func fleetPlan(t testing.TB, dir string, fleet []fleetDaemon, restart map[string]string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "ca: {key: ecdsa-p256, days: 365}\nclient:\n  cert_dir: %s/client\ndaemons:\n", dir)
	for _, f := range fleet {
		cmd := f.d.RestartCommand()
		if r, ok := restart[f.name]; ok {
			cmd = r
		}
		fmt.Fprintf(&b, "  - name: %s\n    ssh: local\n    sans: [127.0.0.1]\n    listen: tcp://127.0.0.1:%[2]s\n    address: tcp://127.0.0.1:%[2]s\n    cert_dir: %[3]s/tls-%[1]s\n    config: %[4]s\n    restart: %[5]q\n",
			f.name, f.port, dir, f.d.ConfigPath, cmd)
	}
	p := filepath.Join(dir, "fleet.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCLI(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestFleetOfThreeDaemons: one apply sets up three real dockerds (one CA,
// a certificate and a docker context each), output grouped per daemon;
// verify and doctor show each; the docker CLI reaches each through its
// context; a second apply restarts nothing.
func TestFleetOfThreeDaemons(t *testing.T) {
	dockerCLI := testlab.RequireBinary(t, "docker", "docker.io")
	fleet := startFleet(t, "alpha", "beta", "gamma")
	dir := t.TempDir()
	t.Setenv("DOCKER_CONFIG", filepath.Join(dir, "docker-config"))
	planPath := fleetPlan(t, dir, fleet, nil)

	code, out, errOut := runCLI("apply", "-f", planPath, "--yes", "--parallel", "2")
	if code != exitOK {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("apply:\n%s", out)
	if strings.Count(out, "== shared by every daemon (CA, client certificate): done") != 1 {
		t.Errorf("the CA and client steps did not run once, first:\n%s", out)
	}
	for _, f := range fleet {
		block := daemonBlock(t, out, f.name)
		for _, want := range []string{"✓ daemon-cert", "daemon-" + f.name + "-cert.pem", "✓ daemon-config", "✓ verify", "127.0.0.1:" + f.port} {
			if !strings.Contains(block, want) {
				t.Errorf("daemon %s's block lacks %q:\n%s", f.name, want, block)
			}
		}
		for _, other := range fleet {
			if other.name != f.name && strings.Contains(block, "127.0.0.1:"+other.port) {
				t.Errorf("daemon %s's block mentions %s's port: the output is not grouped:\n%s", f.name, other.name, block)
			}
		}
		ctxOut, err := exec.Command(dockerCLI, "--context", f.name, "version", "--format", "{{.Server.Version}}").CombinedOutput()
		if err != nil || !strings.Contains(string(ctxOut), "20.10") {
			t.Errorf("docker --context %s version: %v\n%s", f.name, err, ctxOut)
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(out), "all 3 daemons done") {
		t.Errorf("apply does not end with the summary:\n%s", out)
	}
	pids := map[string]int{}
	for _, f := range fleet {
		pids[f.name] = f.d.Pid()
	}

	code, out, _ = runCLI("verify", "-f", planPath)
	if code != exitOK || strings.Count(out, "Server:") != 3 {
		t.Errorf("verify: exit %d, want 3 Server blocks:\n%s", code, out)
	}
	code, out, _ = runCLI("doctor", "-f", planPath)
	for _, f := range fleet {
		if !strings.Contains(out, "== daemon "+f.name+"\n") {
			t.Errorf("doctor does not show daemon %s:\n%s", f.name, out)
		}
	}
	if fails := regexp.MustCompile(`(?m)^\S+ +fail .*$`).FindAllString(out, -1); code != exitOK || len(fails) > 0 {
		t.Errorf("doctor after apply: exit %d, failures: %q", code, fails)
	}
	code, out, _ = runCLI("env", "-f", planPath, "--daemon", "beta", "--shell", "bash")
	if code != exitOK || !strings.Contains(out, "export DOCKER_HOST=tcp://127.0.0.1:"+fleet[1].port+"\n") || !strings.Contains(out, "--daemon beta") {
		t.Errorf("env --daemon beta: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCLI("env", "-f", planPath); code != exitUsage || !strings.Contains(errOut, "add --daemon NAME (alpha, beta, gamma)") {
		t.Errorf("env without --daemon: exit %d: %s", code, errOut)
	}

	code, out, _ = runCLI("apply", "-f", planPath, "--yes")
	if code != exitOK {
		t.Fatalf("second apply: exit %d\n%s", code, out)
	}
	for _, f := range fleet {
		if f.d.Pid() != pids[f.name] {
			t.Errorf("the second apply restarted daemon %s", f.name)
		}
	}
	code, out, _ = runCLI("certs", "-f", planPath)
	for _, f := range fleet {
		if code != exitOK || !regexp.MustCompile(`(?m)^daemon +`+f.name+` +valid`).MatchString(out) {
			t.Errorf("certs does not list daemon %s's certificate:\n%s", f.name, out)
		}
	}
}

// TestFleetFailureOnOneDaemonStopsNoOther: the restart of one daemon fails
// (its command exits 1); the others are set up all the same, the broken
// one is rolled back, and the exit status and summary say which failed.
func TestFleetFailureOnOneDaemonStopsNoOther(t *testing.T) {
	fleet := startFleet(t, "good1", "broken", "good2")
	dir := t.TempDir()
	t.Setenv("DOCKER_CONFIG", filepath.Join(dir, "docker-config"))
	before, _ := os.ReadFile(fleet[1].d.ConfigPath)
	planPath := fleetPlan(t, dir, fleet, map[string]string{"broken": "/bin/false"})
	code, out, errOut := runCLI("apply", "-f", planPath, "--yes")
	t.Logf("apply:\n%s\n%s", out, errOut)
	if code != exitFailed {
		t.Fatalf("apply with one broken daemon: exit %d, want %d", code, exitFailed)
	}
	for _, name := range []string{"good1", "good2"} {
		if block := daemonBlock(t, out, name); !strings.Contains(block, "✓ verify") {
			t.Errorf("daemon %s was not set up:\n%s", name, block)
		}
	}
	if !strings.Contains(out, "== daemon broken: FAILED") || !strings.Contains(out, "2 of 3 daemons done; failed: broken") {
		t.Errorf("the output does not say which daemon failed:\n%s", out)
	}
	after, _ := os.ReadFile(fleet[1].d.ConfigPath)
	if string(after) != string(before) {
		t.Errorf("the broken daemon's config was not rolled back:\n%s", after)
	}
}

// daemonBlock is a daemon's block of grouped output.
func daemonBlock(t *testing.T, out, name string) string {
	t.Helper()
	start := strings.Index(out, "== daemon "+name+":")
	if start < 0 {
		t.Fatalf("no block for daemon %s in:\n%s", name, out)
	}
	rest := out[start+1:]
	if end := strings.Index(rest, "\n== "); end >= 0 {
		rest = rest[:end]
	}
	return rest
}
