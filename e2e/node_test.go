//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab/node"
)

// TestNodeSmoke proves the harness gives what the other e2e tests rely on:
// the stock Debian docker.service answering, root/ubuntu/admin logins with
// their keys, ubuntu's passwordless sudo, admin's password sudo, the
// pre-trusted host keys working with OpenSSH, and a fresh node per Boot.
func TestNodeSmoke(t *testing.T) {
	n := bootNode(t)

	if got := strings.TrimSpace(n.Exec(t, "hostname")); got != "node3" {
		t.Errorf("hostname = %q, want node3", got)
	}
	if v := strings.TrimSpace(n.Exec(t, "docker version --format '{{.Server.Version}}'")); v == "" {
		t.Errorf("docker version inside the node shows no server version")
	}
	if exec := n.Exec(t, "systemctl show docker.service -p ExecStart"); !strings.Contains(exec, "/usr/sbin/dockerd -H fd://") {
		t.Errorf("docker.service is not the stock unit with -H fd://: %s", exec)
	}
	if state := strings.TrimSpace(n.Exec(t, "systemctl is-active docker.socket")); state != "active" {
		t.Errorf("docker.socket is %q, want active", state)
	}

	// Containers run (tests that count running containers need that).
	id := n.StartContainer(t, "sleeper")
	if ps := n.Exec(t, "docker ps -q --no-trunc"); !strings.Contains(ps, id) {
		t.Errorf("container %s is not running; docker ps shows %q", id, ps)
	}

	if got := strings.TrimSpace(n.ExecAs(t, "ubuntu", "sudo -n id -u")); got != "0" {
		t.Errorf("ubuntu's passwordless sudo: id -u = %q, want 0", got)
	}
	if _, _, err := n.RunAs("admin", "sudo -n true", nil); err == nil {
		t.Errorf("admin's sudo worked without a password; want it to ask for one")
	}
	out, _, err := n.RunAs("admin", "sudo -S -p '' id -u", strings.NewReader(n.AdminPassword+"\n"))
	if err != nil || strings.TrimSpace(out) != "0" {
		t.Errorf("admin's sudo with the password: id -u = %q, %v", out, err)
	}
	if _, _, err := n.RunAs("admin", "sudo -S -p '' true", strings.NewReader("wrong-"+n.AdminPassword+"\n")); err == nil {
		t.Errorf("admin's sudo accepted a wrong password")
	}

	// The files the node hands out work with OpenSSH itself, host key
	// checking strict.
	if sshBin, err := exec.LookPath("ssh"); err == nil {
		cmd := exec.Command(sshBin, "-F", "/dev/null", "-i", n.UbuntuKey,
			"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
			"-o", "UserKnownHostsFile="+n.KnownHosts, "ubuntu@"+n.IP, "whoami")
		if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "ubuntu" {
			t.Errorf("OpenSSH login as ubuntu with the node's key and known_hosts: %v\n%s", err, out)
		}
	}
	for _, key := range []string{n.RootKey, n.UbuntuKey, n.AdminKey} {
		if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("test key %s: %v, mode %v; want 0600", key, err, fi.Mode().Perm())
		}
	}

	// The helpers other e2e tests use to set up faults.
	n.WriteFile(t, "/etc/docker/daemon.json", []byte("{\n  \"log-level\": \"warn\"\n}\n"), 0o644)
	if got := n.ReadFile(t, "/etc/docker/daemon.json"); got != "{\n  \"log-level\": \"warn\"\n}\n" {
		t.Errorf("WriteFile/ReadFile round trip: got %q", got)
	}
	if mode := strings.TrimSpace(n.Exec(t, "stat -c %a /etc/docker/daemon.json")); mode != "644" {
		t.Errorf("WriteFile mode: got %s, want 644", mode)
	}
	n.HoldPort(t, 2376)
	if out := n.Exec(t, "ss -Hltn 'sport = :2376'"); !strings.Contains(out, ":2376") {
		t.Errorf("HoldPort(2376): nothing listens: %q", out)
	}
	n.ReleasePort(2376)
	if out := n.Exec(t, "ss -Hltn 'sport = :2376'"); strings.TrimSpace(out) != "" {
		t.Errorf("ReleasePort(2376): still listening: %q", out)
	}

	// A second node is fresh: nothing written on the first shows up, and
	// its address and host keys are its own.
	n.Exec(t, "echo first >/etc/dockertls-marker")
	m := bootNode(t)
	if m.IP == n.IP {
		t.Fatalf("two nodes share the address %s", n.IP)
	}
	if out, _, err := m.Run("cat /etc/dockertls-marker"); err == nil {
		t.Errorf("a fresh node sees a file written on another node: %q", out)
	}
	a, _ := os.ReadFile(n.KnownHosts)
	b, _ := os.ReadFile(m.KnownHosts)
	if strings.Fields(string(a))[2] == strings.Fields(string(b))[2] {
		t.Errorf("two nodes share a host key")
	}
}

// TestBinaryBuilt checks that TestMain's build is the runnable dockertls
// the other e2e tests drive.
func TestBinaryBuilt(t *testing.T) {
	out, err := exec.Command(dockertlsBinary(t), "version").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Fatalf("dockertls version: %v\n%s", err, out)
	}
}

// BenchmarkNodeBoot measures a fresh node from Boot to a working SSH login
// with docker.service active, then its shutdown (poweroff and cleanup).
func BenchmarkNodeBoot(b *testing.B) {
	for b.Loop() {
		n := node.Boot(b)
		if err := n.Shutdown(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNodeLeftoversAreCleared: a test process killed without its cleanups
// (go test -timeout) leaves a running node; the next Boot powers it off and
// removes its veth pair and directory.
func TestNodeLeftoversAreCleared(t *testing.T) {
	if os.Getenv("DOCKERTLS_NODE_CHILD") == "1" {
		n := node.Boot(t)
		fmt.Printf("NODE %s %s\n", n.Machine, n.Dir)
		os.Exit(0) // no cleanups, like a killed test binary
	}
	node.Require(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestNodeLeftoversAreCleared$")
	cmd.Env = append(os.Environ(), "DOCKERTLS_NODE_CHILD=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child test process: %v\n%s", err, out)
	}
	var machine, dir string
	for _, line := range strings.Split(string(out), "\n") {
		if _, err := fmt.Sscanf(line, "NODE %s %s", &machine, &dir); err == nil {
			break
		}
	}
	if machine == "" || !nspawnRunning(machine) {
		t.Fatalf("the child left no running node:\n%s", out)
	}
	bootNode(t)
	if nspawnRunning(machine) {
		t.Errorf("the abandoned node's systemd-nspawn (%s) still runs", machine)
	}
	// The node's own systemd survives a killed nspawn unless the harness
	// kills its cgroup.
	if procs := cgroupProcs("/sys/fs/cgroup/systemd/" + machine); procs != "" {
		t.Errorf("the abandoned node's processes still run: %s", procs)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the abandoned node's directory %s is still there (stat: %v)", dir, err)
	}
	veth := "dtlsh" + strings.TrimPrefix(machine, "dockertls-node")
	if _, err := os.Stat("/sys/class/net/" + veth); !os.IsNotExist(err) {
		t.Errorf("the abandoned node's veth %s is still there", veth)
	}
}

// cgroupProcs lists the pids in a cgroup tree ("" when empty or gone).
func cgroupProcs(dir string) string {
	out, _ := exec.Command("sh", "-c", "find "+dir+" -name cgroup.procs -exec cat {} + 2>/dev/null").Output()
	return strings.Join(strings.Fields(string(out)), " ")
}

// nspawnRunning reports whether a systemd-nspawn for machine runs.
func nspawnRunning(machine string) bool {
	out, _ := exec.Command("pgrep", "-f", "--", "--machine="+machine+" ").Output()
	return strings.TrimSpace(string(out)) != ""
}
