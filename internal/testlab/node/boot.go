package node

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
)

// HostName is the node's host name, as in the tutorials.
const HostName = "node3"

// bootTimeout bounds the wait for SSH plus systemd finishing its boot.
const bootTimeout = 120 * time.Second

// Boot starts a fresh node and waits until root can log in over SSH and
// systemd has finished booting with docker.service active. The node is
// powered off and everything it used is removed by t.Cleanup. It stops the
// test (Unavailable) when this machine cannot run nodes.
func Boot(t testing.TB) *Node {
	t.Helper()
	Require(t)
	tree, err := EnsureTree(t.Logf)
	if err != nil {
		t.Fatalf("preparing the test node tree: %v", err)
	}
	n, err := boot(tree)
	if n != nil {
		t.Cleanup(func() {
			if err := n.Shutdown(); err != nil {
				t.Errorf("shutting down test node %s: %v", n.Machine, err)
			}
		})
	}
	if err != nil {
		t.Fatalf("booting a test node: %v", err)
	}
	return n
}

// Require stops the test (fails in CI, skips elsewhere) when this machine
// cannot boot nodes.
func Require(t testing.TB) {
	t.Helper()
	testlab.RequireRoot(t)
	testlab.RequireBinary(t, "systemd-nspawn", "systemd-container")
	testlab.RequireBinary(t, "unshare", "util-linux")
	testlab.RequireBinary(t, "ip", "iproute2")
	testlab.RequireBinary(t, "openssl", "openssl")
	if _, err := os.Stat(filepath.Join(TreePath(), "usr/sbin/dockerd")); err != nil {
		testlab.RequireBinary(t, "debootstrap", "debootstrap")
	}
}

// boot does Boot's work; on error the returned node (if any) still needs
// Shutdown to release what was set up.
func boot(tree string) (*Node, error) {
	s, err := acquireSlot()
	if err != nil {
		return nil, err
	}
	n := &Node{
		Name:    HostName,
		Machine: s.machine(),
		IP:      s.nodeIP(),
		HostIP:  s.hostIP(),
		Dir:     s.dir(),
		slot:    s,
	}
	if err := n.prepare(tree); err != nil {
		return n, err
	}
	if err := n.launch(tree); err != nil {
		return n, err
	}
	return n, n.waitBooted(bootTimeout)
}

// prepare creates the node's directory, keys and per-node files in the
// overlay's upper layer, and the veth pair.
func (n *Node) prepare(tree string) error {
	for _, d := range []string{"upper", "work", "merged", "host"} {
		if err := os.MkdirAll(filepath.Join(n.Dir, d), 0o700); err != nil {
			return fmt.Errorf("creating the node directory: %w", err)
		}
	}
	// The upper layer's root becomes the node's /: keep the tree's mode.
	if err := os.Chmod(filepath.Join(n.Dir, "upper"), 0o755); err != nil {
		return fmt.Errorf("setting up the node directory: %w", err)
	}
	host := filepath.Join(n.Dir, "host")
	n.RootKey = filepath.Join(host, "root_ed25519")
	n.UbuntuKey = filepath.Join(host, "ubuntu_ed25519")
	n.AdminKey = filepath.Join(host, "admin_ed25519")
	n.KnownHosts = filepath.Join(host, "known_hosts")
	n.ConsoleLog = filepath.Join(host, "console.log")
	pw, err := randomHex(12)
	if err != nil {
		return err
	}
	n.AdminPassword = pw
	if err := n.writeNodeFiles(overlayWriter{lower: tree, upper: filepath.Join(n.Dir, "upper")}); err != nil {
		return err
	}
	return n.slot.setupVeth()
}

// writeNodeFiles writes what makes this node itself: host name, address,
// host keys, machine id, login keys and admin's password.
func (n *Node) writeNodeFiles(w overlayWriter) error {
	machineID, err := randomHex(16)
	if err != nil {
		return err
	}
	ifname := n.slot.nodeIf()
	files := []struct {
		rel  string
		data string
	}{
		{"etc/hostname", n.Name + "\n"},
		{"etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\t" + n.Name + "\n::1\tlocalhost ip6-localhost ip6-loopback\n"},
		{"etc/machine-id", machineID + "\n"},
		{"etc/network/interfaces.d/" + ifname, fmt.Sprintf("auto %[1]s\niface %[1]s inet static\n\taddress %[2]s/24\n", ifname, n.IP)},
	}
	for _, f := range files {
		if err := w.write(f.rel, []byte(f.data), 0o644, 0, 0); err != nil {
			return err
		}
	}
	var known strings.Builder
	for _, hk := range []struct {
		file  string
		ecdsa bool
	}{{"ssh_host_ed25519_key", false}, {"ssh_host_ecdsa_key", true}} {
		k, err := newSSHKey("root@"+n.Name, hk.ecdsa)
		if err != nil {
			return err
		}
		if err := w.write("etc/ssh/"+hk.file, k.private, 0o600, 0, 0); err != nil {
			return err
		}
		if err := w.write("etc/ssh/"+hk.file+".pub", []byte(k.public+" root@"+n.Name+"\n"), 0o644, 0, 0); err != nil {
			return err
		}
		known.WriteString(n.IP + " " + k.public + "\n")
	}
	if err := os.WriteFile(n.KnownHosts, []byte(known.String()), 0o644); err != nil {
		return fmt.Errorf("writing the node's known_hosts file: %w", err)
	}
	for _, u := range []struct{ name, keyPath string }{{"root", n.RootKey}, {"ubuntu", n.UbuntuKey}, {"admin", n.AdminKey}} {
		line, err := writeClientKey(u.keyPath, "dockertls-test-"+u.name)
		if err != nil {
			return err
		}
		acct := account{uid: 0, gid: 0, home: "root"}
		if u.name != "root" {
			if acct, err = w.lookupAccount(u.name); err != nil {
				return err
			}
		}
		if err := w.mkdir(acct.home+"/.ssh", 0o700, acct.uid, acct.gid); err != nil {
			return err
		}
		if err := w.write(acct.home+"/.ssh/authorized_keys", []byte(line+"\n"), 0o600, acct.uid, acct.gid); err != nil {
			return err
		}
	}
	hash, err := cryptPassword(n.AdminPassword)
	if err != nil {
		return err
	}
	return w.setShadowHash("admin", hash)
}

// launch starts systemd-nspawn the way reference/systemd-node.md found to
// work on a host without systemd/udev/D-Bus: in its own cgroups, in a
// private mount namespace where the overlay is mounted and /sys is
// read-only (so nspawn does not wait for udev), not registered with
// machined.
func (n *Node) launch(tree string) error {
	procs, err := makeCgroups(n.Machine)
	if err != nil {
		return err
	}
	merged := filepath.Join(n.Dir, "merged")
	inner := fmt.Sprintf(`set -e
mount -t overlay overlay -o lowerdir=%s,upperdir=%s,workdir=%s %s
mount -o remount,bind,ro /sys
exec systemd-nspawn --boot --directory=%s --machine=%s --hostname=%s \
	--register=no --keep-unit --network-interface=%s \
	--console=read-only --system-call-filter=@keyring
`, tree, filepath.Join(n.Dir, "upper"), filepath.Join(n.Dir, "work"), merged,
		merged, n.Machine, n.Name, n.slot.nodeIf())
	var outer strings.Builder
	outer.WriteString("set -e\n")
	for _, p := range procs {
		fmt.Fprintf(&outer, "echo $$ >%s\n", p)
	}
	outer.WriteString("exec unshare --mount --propagation private /bin/sh " + filepath.Join(n.Dir, "host", "inner.sh") + "\n")
	if err := os.WriteFile(filepath.Join(n.Dir, "host", "inner.sh"), []byte(inner), 0o700); err != nil {
		return fmt.Errorf("writing the node's launch script: %w", err)
	}
	logf, err := os.Create(n.ConsoleLog)
	if err != nil {
		return fmt.Errorf("creating the node's console log: %w", err)
	}
	defer logf.Close()
	cmd := exec.Command("/bin/sh", "-c", outer.String())
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), "SYSTEMD_LOG_LEVEL=info")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting systemd-nspawn: %w", err)
	}
	n.cmd = cmd
	n.waitDone = make(chan struct{})
	go func() { _ = cmd.Wait(); close(n.waitDone) }()
	return nil
}

// exited reports whether nspawn has ended.
func (n *Node) exited() bool {
	select {
	case <-n.waitDone:
		return true
	default:
		return false
	}
}

// waitBooted waits for root's SSH login, then for systemd to finish
// booting, and checks that the stock docker.service is active.
func (n *Node) waitBooted(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if n.exited() {
			return fmt.Errorf("systemd-nspawn exited while the node booted; console:\n%s", n.consoleTail(40))
		}
		_, _, err := n.RunAs("root", "true", nil)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("node %s did not accept root's SSH login within %s (last error: %v); console:\n%s", n.IP, timeout, err, n.consoleTail(40))
		}
		time.Sleep(100 * time.Millisecond)
	}
	left := time.Until(deadline).Round(time.Second)
	if left < time.Second {
		left = time.Second
	}
	state, _, _ := n.RunAs("root", fmt.Sprintf("timeout %d systemctl is-system-running --wait", int(left.Seconds())), nil)
	if out, _, err := n.RunAs("root", "systemctl is-active docker.service", nil); err != nil {
		failed, _, _ := n.RunAs("root", "systemctl --failed --no-legend; journalctl -u docker.service -u containerd.service -n 40 --no-pager", nil)
		return fmt.Errorf("docker.service is %q in the booted node (system state %q); failed units and docker's log:\n%s", strings.TrimSpace(out), strings.TrimSpace(state), failed)
	}
	return nil
}

func (n *Node) consoleTail(lines int) string {
	b, err := os.ReadFile(n.ConsoleLog)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", n.ConsoleLog, err)
	}
	return tail(string(b), lines)
}

// Shutdown powers the node off (SIGTERM makes systemd-nspawn ask the
// node's systemd for an orderly poweroff; SIGKILL to the whole process
// group after 30s) and removes its veth pair, cgroups and directory. It is
// registered by Boot; calling it again does nothing.
func (n *Node) Shutdown() error {
	n.once.Do(func() { n.stopErr = n.shutdown() })
	return n.stopErr
}

func (n *Node) shutdown() error {
	var errs []string
	if n.cmd != nil && n.cmd.Process != nil {
		pid := n.cmd.Process.Pid
		_ = syscall.Kill(pid, syscall.SIGTERM)
		select {
		case <-n.waitDone:
		case <-time.After(30 * time.Second):
			errs = append(errs, "the node did not power off within 30s; killed it")
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			select {
			case <-n.waitDone:
			case <-time.After(10 * time.Second):
				errs = append(errs, fmt.Sprintf("systemd-nspawn (pid %d) survived SIGKILL", pid))
			}
		}
	}
	if n.slot != nil {
		// Whatever of the node still runs (after a kill, or when the
		// launch failed half-way) goes with its cgroups.
		if err := killCgroupProcs(n.Machine); err != nil {
			errs = append(errs, err.Error())
		}
		if err := removeCgroups(n.Machine); err != nil {
			errs = append(errs, err.Error())
		}
		if err := os.RemoveAll(n.Dir); err != nil {
			errs = append(errs, fmt.Sprintf("removing %s: %v", n.Dir, err))
		}
		n.slot.release()
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}
