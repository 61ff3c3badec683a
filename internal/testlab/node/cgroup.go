package node

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The host has no systemd as PID 1, so nspawn cannot ask for a scope;
// with --keep-unit it runs the node in its own current cgroup, which must
// therefore be a fresh one: a child named after the machine of the
// launcher's cgroup in every hierarchy (v1 controllers, name=systemd and
// the unified one).

// makeCgroups creates the node's cgroups and returns their cgroup.procs
// files, for the launcher to move itself into before it execs nspawn.
func makeCgroups(name string) ([]string, error) {
	dirs, err := cgroupDirs(name)
	if err != nil {
		return nil, err
	}
	var procs []string
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("creating the node's cgroup %s: %w", d, err)
		}
		// A new cpuset cgroup has no CPUs or memory nodes: inherit them.
		if strings.Contains(filepath.Base(filepath.Dir(d)), "cpuset") || fileExists(filepath.Join(d, "cpuset.cpus")) {
			for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
				if v, err := os.ReadFile(filepath.Join(filepath.Dir(d), f)); err == nil {
					if err := os.WriteFile(filepath.Join(d, f), v, 0o644); err != nil {
						return nil, fmt.Errorf("copying %s into the node's cgroup %s: %w", f, d, err)
					}
				}
			}
		}
		procs = append(procs, filepath.Join(d, "cgroup.procs"))
	}
	return procs, nil
}

// removeCgroups removes the node's cgroups (and the sub-cgroups systemd
// made inside), deepest first. Cgroup directories are removed with rmdir
// only; their pseudo-files go with them.
func removeCgroups(name string) error {
	dirs, err := cgroupDirs(name)
	if err != nil {
		return err
	}
	var errs []error
	for _, d := range dirs {
		if !fileExists(d) {
			continue
		}
		var sub []string
		_ = filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err == nil && e.IsDir() {
				sub = append(sub, p)
			}
			return nil
		})
		for i := len(sub) - 1; i >= 0; i-- {
			if err := rmdirRetrying(sub[i]); err != nil {
				errs = append(errs, fmt.Errorf("removing the node's cgroup %s: %w", sub[i], err))
			}
		}
	}
	return errors.Join(errs...)
}

// killCgroupProcs SIGKILLs every process in the node's cgroups (all
// hierarchies, sub-cgroups included) until they are empty or 5s passed.
// Killing systemd-nspawn alone is not enough: the node's systemd lives in
// its own session and survives it, orphaned.
func killCgroupProcs(name string) error {
	dirs, err := cgroupDirs(name)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		pids := cgroupPids(dirs)
		if len(pids) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("processes %v of node %s survived SIGKILL", pids, name)
		}
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cgroupPids lists the processes in the given cgroups and below.
func cgroupPids(dirs []string) []int {
	seen := map[int]bool{}
	var pids []int
	for _, d := range dirs {
		_ = filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || e.Name() != "cgroup.procs" {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			for _, f := range strings.Fields(string(b)) {
				if pid, err := strconv.Atoi(f); err == nil && pid > 0 && !seen[pid] {
					seen[pid] = true
					pids = append(pids, pid)
				}
			}
			return nil
		})
	}
	return pids
}

// rmdirRetrying removes a cgroup directory, waiting up to 3s while it is
// busy: after a SIGKILL the node's last processes take a moment to leave.
func rmdirRetrying(dir string) error {
	deadline := time.Now().Add(3 * time.Second)
	for {
		err := os.Remove(dir)
		if err == nil || os.IsNotExist(err) {
			return nil
		}
		if !errors.Is(err, syscall.EBUSY) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cgroupDirs maps /proc/self/cgroup to "<mount point><own path>/<name>"
// for every hierarchy that is mounted.
func cgroupDirs(name string) ([]string, error) {
	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil, fmt.Errorf("reading /proc/self/mountinfo: %w", err)
	}
	self, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil, fmt.Errorf("reading /proc/self/cgroup: %w", err)
	}
	dirs := cgroupDirsFrom(string(self), parseCgroupMounts(string(mountinfo)), name)
	if len(dirs) == 0 {
		return nil, errors.New("found no mounted cgroup hierarchy for this process (is /sys/fs/cgroup mounted?)")
	}
	return dirs, nil
}

// cgroupDirsFrom does cgroupDirs' mapping on the contents of
// /proc/self/cgroup and the parsed mounts.
func cgroupDirsFrom(self string, mounts map[string]string, name string) []string {
	var dirs []string
	sc := bufio.NewScanner(strings.NewReader(self))
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		mp, ok := mounts[parts[1]]
		if !ok {
			continue
		}
		dirs = append(dirs, filepath.Join(mp, parts[2], name))
	}
	return dirs
}

// parseCgroupMounts maps a /proc/self/cgroup controller field ("" for
// cgroup2, "name=systemd", "cpu", "cpu,cpuacct"...) to its mount point,
// from the contents of /proc/self/mountinfo.
func parseCgroupMounts(mountinfo string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(mountinfo, "\n") {
		pre, post, ok := strings.Cut(line, " - ")
		if !ok {
			continue
		}
		f, g := strings.Fields(pre), strings.Fields(post)
		if len(f) < 5 || len(g) < 3 {
			continue
		}
		switch g[0] {
		case "cgroup2":
			m[""] = f[4]
		case "cgroup":
			var ctrls []string
			for _, o := range strings.Split(g[2], ",") {
				switch {
				case o == "rw", o == "ro", o == "clone_children", o == "noprefix", o == "xattr",
					o == "cpuset_v2_mode", strings.HasPrefix(o, "release_agent="):
					continue
				}
				ctrls = append(ctrls, o)
			}
			m[strings.Join(ctrls, ",")] = f[4]
		}
	}
	return m
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
