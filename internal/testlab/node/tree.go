package node

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// CacheDir holds the cached node trees, the build lock and, while a build
// runs, its temporary directory.
const CacheDir = "/var/cache/dockertls-e2e"

const suite = "bookworm"

// packages are what a Debian host that runs Docker under systemd has:
// systemd as PID 1, sshd, sudo and the stock docker.io (with its
// docker.service / docker.socket). ifupdown brings up the static address.
var packages = []string{
	"systemd", "systemd-sysv", "dbus", "openssh-server", "docker.io", "sudo",
	"iproute2", "curl", "procps", "ifupdown",
}

// cgroupUnit makes the cgroup v1 controllers that systemd-nspawn mounts
// read-only writable again before containerd starts: runc needs them to
// run containers. The daemon and TLS work without it.
const cgroupUnit = `[Unit]
Description=Writable cgroup v1 controllers for runc (dockertls test node)
DefaultDependencies=no
Before=containerd.service docker.service
After=local-fs.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'for d in /sys/fs/cgroup/*/; do mount -o remount,rw "$d" 2>/dev/null || mount -o remount,bind,rw "$d" 2>/dev/null || true; done'

[Install]
WantedBy=multi-user.target
`

// setupScript runs once in the fresh tree (chroot) before it is cached:
// everything the same for every node. Per-node things (keys, addresses,
// passwords, host keys) are written at boot.
const setupScript = `set -eu
useradd --create-home --shell /bin/bash ubuntu
useradd --create-home --shell /bin/bash --groups sudo admin
echo 'ubuntu ALL=(ALL) NOPASSWD:ALL' >/etc/sudoers.d/90-ubuntu
chmod 0440 /etc/sudoers.d/90-ubuntu
printf 'PermitRootLogin prohibit-password\nPasswordAuthentication yes\n' >/etc/ssh/sshd_config.d/50-dockertls-test.conf
# Every node gets its own host keys at boot.
rm -f /etc/ssh/ssh_host_*
cat >/etc/systemd/system/dockertls-cgroup-rw.service <<'UNIT'
` + cgroupUnit + `UNIT
ln -sf /etc/systemd/system/dockertls-cgroup-rw.service /etc/systemd/system/multi-user.target.wants/dockertls-cgroup-rw.service
# Nothing in a test node should reach out on a timer.
rm -f /etc/systemd/system/timers.target.wants/*
: >/etc/machine-id
apt-get clean
rm -rf /var/lib/apt/lists/*
`

// recipeID names the cached tree: a change to the recipe builds a new one.
func recipeID() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\nminbase\n%s", suite, strings.Join(packages, ","), setupScript)
	return suite + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// TreePath is where the cached tree for the current recipe lives.
func TreePath() string { return filepath.Join(CacheDir, recipeID()) }

// EnsureTree returns the cached node tree, building it first when it is
// missing (debootstrap, about a minute). A build goes into a temporary
// directory that is renamed into place only when complete, so an
// interrupted build is never used; a lock file keeps two builds (two test
// processes) from racing. log receives progress lines.
func EnsureTree(log func(format string, args ...any)) (string, error) {
	final := TreePath()
	if _, err := os.Stat(filepath.Join(final, "usr/sbin/dockerd")); err == nil {
		return final, nil
	}
	if err := os.MkdirAll(CacheDir, 0o755); err != nil {
		return "", fmt.Errorf("creating the node cache %s: %w", CacheDir, err)
	}
	lock, err := os.OpenFile(filepath.Join(CacheDir, "build.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", fmt.Errorf("opening the node cache lock: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("locking the node cache: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing releases it anyway
	// Another process may have built it while we waited for the lock.
	if _, err := os.Stat(filepath.Join(final, "usr/sbin/dockerd")); err == nil {
		return final, nil
	}
	if err := removeStaleBuilds(); err != nil {
		return "", err
	}
	if _, err := exec.LookPath("debootstrap"); err != nil {
		return "", fmt.Errorf("the node tree %s is not cached and debootstrap is not installed: apt-get install debootstrap", final)
	}
	mirror, err := debianMirror(suite)
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(CacheDir, ".build-")
	if err != nil {
		return "", fmt.Errorf("creating a build directory in %s: %w", CacheDir, err)
	}
	defer os.RemoveAll(tmp)
	root := filepath.Join(tmp, "rootfs")
	log("building the test node tree %s with debootstrap from %s (about a minute, once)", final, mirror)
	args := []string{"--variant=minbase", "--include=" + strings.Join(packages, ","), suite, root, mirror}
	if out, err := exec.Command("debootstrap", args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("debootstrap %s: %w; its output ends with:\n%s", strings.Join(args, " "), err, tail(string(out), 20))
	}
	cmd := exec.Command("chroot", root, "/bin/sh", "-c", setupScript)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"}
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("setting up the node tree (users, sshd, units) in %s: %w\n%s", root, err, tail(string(out), 20))
	}
	if err := os.Rename(root, final); err != nil {
		return "", fmt.Errorf("moving the finished node tree into the cache: %w", err)
	}
	log("cached the test node tree in %s", final)
	removeOldTrees(final, log)
	return final, nil
}

// removeStaleBuilds deletes what interrupted builds left (the caller holds
// the lock, so no build is running).
func removeStaleBuilds() error {
	stale, _ := filepath.Glob(filepath.Join(CacheDir, ".build-*"))
	var errs []error
	for _, dir := range stale {
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, fmt.Errorf("removing the interrupted build %s: %w", dir, err))
		}
	}
	return errors.Join(errs...)
}

// removeOldTrees deletes trees built from earlier recipes (about 450 MB
// each) once the current one is in place.
func removeOldTrees(keep string, log func(format string, args ...any)) {
	old, _ := filepath.Glob(filepath.Join(CacheDir, suite+"-*"))
	for _, dir := range old {
		if dir == keep {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			log("could not remove the outdated node tree %s: %v", dir, err)
		}
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
