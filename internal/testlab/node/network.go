package node

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockDir holds one lock file per node slot. A slot is held (flock) for a
// node's whole life by the test process, so parallel tests and parallel
// test processes never share a subnet, interface or directory, and a slot
// whose process died is free again.
const lockDir = "/run/dockertls-e2e"

// maxSlots bounds the private subnets 10.213.N.0/24 the harness uses.
const maxSlots = 250

// slot is one node's private resources: subnet 10.213.N.0/24 (host .1,
// node .2), the veth pair, the machine name, the cgroup name and the
// directory.
type slot struct {
	n    int
	lock *os.File
}

// acquireSlot takes the first free slot whose subnet is unused on this
// machine. On the way it clears every free slot that still holds what a
// test process killed without its cleanups left (go test -timeout does
// that): a running nspawn, a veth pair, cgroups, a directory.
func acquireSlot() (*slot, error) {
	if err := os.MkdirAll(lockDir, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s for the node locks: %w", lockDir, err)
	}
	used, err := usedAddresses()
	if err != nil {
		return nil, err
	}
	var chosen *slot
	for n := 1; n <= maxSlots; n++ {
		f, err := os.OpenFile(filepath.Join(lockDir, "slot"+strconv.Itoa(n)+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, fmt.Errorf("opening a node slot lock: %w", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			continue
		}
		s := &slot{n: n, lock: f}
		if s.hasLeftovers() {
			s.clearLeftovers()
		}
		if chosen == nil && !strings.Contains(used, " "+s.subnetPrefix()) {
			chosen = s
			continue
		}
		// Taken by something not ours, or we already have one.
		s.release()
	}
	if chosen == nil {
		return nil, fmt.Errorf("all %d test node slots are busy or their 10.213.N.0/24 subnets are in use here", maxSlots)
	}
	return chosen, nil
}

func (s *slot) subnetPrefix() string { return "10.213." + strconv.Itoa(s.n) + "." }
func (s *slot) hostIP() string       { return s.subnetPrefix() + "1" }
func (s *slot) nodeIP() string       { return s.subnetPrefix() + "2" }
func (s *slot) hostIf() string       { return "dtlsh" + strconv.Itoa(s.n) }
func (s *slot) nodeIf() string       { return "dtlsn" + strconv.Itoa(s.n) }
func (s *slot) machine() string      { return "dockertls-node" + strconv.Itoa(s.n) }
func (s *slot) dir() string          { return filepath.Join(CacheDir, "nodes", "node"+strconv.Itoa(s.n)) }

// setupVeth creates the veth pair; the node end is moved into the node by
// systemd-nspawn --network-interface.
func (s *slot) setupVeth() error {
	steps := [][]string{
		{"link", "add", s.hostIf(), "type", "veth", "peer", "name", s.nodeIf()},
		{"addr", "replace", s.hostIP() + "/24", "dev", s.hostIf()},
		{"link", "set", s.hostIf(), "up"},
	}
	for _, args := range steps {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		}
	}
	return nil
}

// hasLeftovers reports whether a free slot still has a directory, a veth
// pair or cgroups (where an orphaned node's processes would be).
func (s *slot) hasLeftovers() bool {
	if fileExists(s.dir()) || fileExists("/sys/class/net/"+s.hostIf()) {
		return true
	}
	dirs, _ := cgroupDirs(s.machine())
	for _, d := range dirs {
		if fileExists(d) {
			return true
		}
	}
	return false
}

// clearLeftovers removes what a holder of this slot that died without
// cleaning up left: its nspawn, veth, cgroups and directory. The caller
// holds the slot's lock, so none of it belongs to a live test.
func (s *slot) clearLeftovers() {
	killMachine(s.machine())
	_ = killCgroupProcs(s.machine())
	_ = exec.Command("ip", "link", "del", s.hostIf()).Run()
	_ = removeCgroups(s.machine())
	_ = os.RemoveAll(s.dir())
}

// release deletes the veth pair (if still there) and frees the slot.
func (s *slot) release() {
	if fileExists("/sys/class/net/" + s.hostIf()) {
		_ = exec.Command("ip", "link", "del", s.hostIf()).Run()
	}
	_ = syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN)
	s.lock.Close()
}

// usedAddresses lists this machine's IPv4 addresses (" a.b.c.d/nn" each).
func usedAddresses() (string, error) {
	out, err := exec.Command("ip", "-4", "-o", "addr", "show").Output()
	if err != nil {
		return "", fmt.Errorf("listing this machine's addresses (ip -4 -o addr show): %w", err)
	}
	return string(out), nil
}

// killMachine kills a systemd-nspawn left running for the machine name
// (its process group: nspawn and the node's processes).
func killMachine(machine string) {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		args := strings.Split(string(b), "\x00")
		if len(args) == 0 || filepath.Base(args[0]) != "systemd-nspawn" {
			continue
		}
		for _, a := range args {
			if a == "--machine="+machine {
				pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
}
