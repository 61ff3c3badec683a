package testlab

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ownerFile records which test process owns a daemon directory, so that a
// later run can tell a daemon whose test was killed (go test's -timeout
// exits without running cleanups) from one that is in use.
const ownerFile = "owner.pid"

// removeStaleDockerds stops and removes daemons left by test processes that
// no longer exist. Directories without an owner file (being set up right
// now by another process) are left alone.
func removeStaleDockerds() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "dtd*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		owner, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || owner <= 0 || processAlive(owner) {
			continue
		}
		d := &Dockerd{Dir: dir, ExecRoot: filepath.Join(dir, "exec")}
		if pid := d.runningPid(); pid > 0 {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			d.waitGone(pid, 5*time.Second)
		}
		if cpid := d.ownedPid(filepath.Join(d.ExecRoot, "containerd", "containerd.pid")); cpid > 0 {
			_ = syscall.Kill(cpid, syscall.SIGKILL)
			d.waitGone(cpid, 5*time.Second)
		}
		if unmountUnder(dir) == nil {
			_ = os.RemoveAll(dir)
		}
	}
}
