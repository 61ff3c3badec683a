//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const tutorialPass = "tutorial passphrase"

// tutorialOpenssl runs openssl in dir as the tutorial's admin would.
func tutorialOpenssl(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CA_PASS="+tutorialPass)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestTutorialSetupOnANodeWithoutAPlan is the admin who followed the
// tutorial (seeds 000) by hand on a real systemd node and has no plan:
// an encrypted CA (genrsa -aes256), the daemon's files copied to
// ~ubuntu/.docker/{ca,cert,key}.pem (certificates 0644, keys 0400, owned by
// ubuntu), daemon.json naming them, the tutorial's override.conf without
// -H fd://, and the client's files in ~/.docker here. `doctor --ssh` reads
// the node, writes a plan and reports no failure; apply with that plan
// changes no file and restarts nothing.
func TestTutorialSetupOnANodeWithoutAPlan(t *testing.T) {
	n := bootNode(t)
	bin := dockertlsBinary(t)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca")
	home := filepath.Join(dir, "home")
	for _, d := range []string{ca, filepath.Join(home, ".docker")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tutorialOpenssl(t, ca, "genrsa", "-aes256", "-passout", "env:CA_PASS", "-out", "ca-key.pem", "4096")
	tutorialOpenssl(t, ca, "req", "-new", "-x509", "-days", "730", "-key", "ca-key.pem", "-passin", "env:CA_PASS", "-sha256", "-out", "ca.pem", "-subj", "/CN=Tutorial CA")
	leaf := func(name, cn, ext string) {
		tutorialOpenssl(t, ca, "genrsa", "-out", name+"-key.pem", "2048")
		tutorialOpenssl(t, ca, "req", "-subj", "/CN="+cn, "-new", "-key", name+"-key.pem", "-out", name+".csr")
		if err := os.WriteFile(filepath.Join(ca, "extfile.cnf"), []byte(ext), 0o644); err != nil {
			t.Fatal(err)
		}
		tutorialOpenssl(t, ca, "x509", "-req", "-days", "730", "-sha256", "-in", name+".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
			"-passin", "env:CA_PASS", "-CAcreateserial", "-out", name+"-cert.pem", "-extfile", "extfile.cnf")
	}
	leaf("daemon", "node3", fmt.Sprintf("subjectAltName = DNS:node3,IP:%s\nextendedKeyUsage = serverAuth\n", n.IP))
	leaf("client", "node1", "extendedKeyUsage = clientAuth\n")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(ca, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, f := range []string{"ca-key.pem", "client-key.pem", "daemon-key.pem"} {
		if err := os.Chmod(filepath.Join(ca, f), 0o400); err != nil {
			t.Fatal(err)
		}
	}
	// scp ./ca.pem ubuntu@daemon:/home/ubuntu/.docker/ca.pem (and the others)
	for _, f := range []struct {
		local, remote string
		mode          os.FileMode
	}{{"ca.pem", "ca.pem", 0o644}, {"daemon-cert.pem", "cert.pem", 0o644}, {"daemon-key.pem", "key.pem", 0o400}} {
		p := "/home/ubuntu/.docker/" + f.remote
		n.WriteFile(t, p, read(f.local), f.mode)
		n.Exec(t, "chown ubuntu:ubuntu /home/ubuntu/.docker "+p)
		if err := os.WriteFile(filepath.Join(home, ".docker", f.remote), read(map[string]string{"ca.pem": "ca.pem", "cert.pem": "client-cert.pem", "key.pem": "client-key.pem"}[f.remote]), f.mode); err != nil {
			t.Fatal(err)
		}
	}
	n.WriteFile(t, "/etc/docker/daemon.json", []byte(`{
    "hosts": ["fd://", "tcp://0.0.0.0:2376"],
    "tls": true,
    "tlsverify": true,
    "tlscacert": "/home/ubuntu/.docker/ca.pem",
    "tlscert": "/home/ubuntu/.docker/cert.pem",
    "tlskey": "/home/ubuntu/.docker/key.pem"
}
`), 0o644)
	n.WriteFile(t, "/etc/systemd/system/docker.service.d/override.conf",
		[]byte("[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock\n"), 0o644)
	n.Exec(t, "systemctl daemon-reload && systemctl restart docker && ss -Hltn 'sport = :2376' | grep -q 2376")
	nodeState := func() string {
		return n.Exec(t, "systemctl show docker -p ActiveEnterTimestampMonotonic -p MainPID; cd / && stat -c '%n %a %U %s %Y' /etc/docker/daemon.json /home/ubuntu/.docker/*; ls /etc/docker /etc/systemd/system/docker.service.d; sha256sum /etc/docker/daemon.json /home/ubuntu/.docker/*")
	}
	before := nodeState()

	env := []string{"HOME=" + home, "SHELL=/bin/bash", "PATH=" + os.Getenv("PATH"), "DOCKERTLS_CA_PASSPHRASE=" + tutorialPass}
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		t.Logf("$ dockertls %s  (exit %d)\n%s", strings.Join(args, " "), code, out)
		return string(out), code
	}
	plan := filepath.Join(dir, "plan.yaml")
	out, code := run("doctor", "--ssh", "ubuntu@"+n.IP, "--ca-dir", ca, "--identity", n.UbuntuKey, "-f", plan, "--accept-new-host-keys")
	if code != 0 || strings.Contains(out, " fail ") {
		t.Fatalf("doctor --ssh on the tutorial's setup: exit %d\n%s", code, out)
	}
	for _, want := range []string{"wrote the plan", "the daemon trusts your CA", "/home/ubuntu/.docker/cert.pem"} {
		if !strings.Contains(out, want) {
			t.Errorf("doctor --ssh does not say %q", want)
		}
	}
	if _, err := os.Stat(plan); err != nil {
		t.Fatalf("no plan written: %v", err)
	}
	localBefore := localState(t, ca, filepath.Join(home, ".docker"))

	out, code = run("apply", "-f", plan)
	if code != 0 {
		t.Fatalf("apply with the discovered plan: exit %d\n%s", code, out)
	}
	for _, step := range []string{"ca", "daemon-cert", "client-cert", "distribute", "daemon-config"} {
		if !strings.Contains(out, "= "+fmt.Sprintf("%-13s", step)) {
			t.Errorf("apply did something in step %s", step)
		}
	}
	if after := nodeState(); after != before {
		t.Errorf("apply changed the node (files or daemon start):\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if after := localState(t, ca, filepath.Join(home, ".docker")); after != localBefore {
		t.Errorf("apply changed local files:\nbefore:\n%s\nafter:\n%s", localBefore, after)
	}
	// A second --ssh never overwrites the plan.
	if out, code := run("doctor", "--ssh", "ubuntu@"+n.IP, "-f", plan); code != 2 || !strings.Contains(out, "a plan already exists") {
		t.Errorf("doctor --ssh over an existing plan: exit %d\n%s", code, out)
	}
}

// localState lists the files of dirs with mode and contents' length+hash.
func localState(t *testing.T, dirs ...string) string {
	t.Helper()
	var b strings.Builder
	for _, d := range dirs {
		cmd := exec.Command("sh", "-c", "cd \"$1\" && for f in *; do stat -c '%n %a' \"$f\"; sha256sum \"$f\"; done", "sh", d)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", d, err, out)
		}
		b.Write(out)
	}
	return b.String()
}
