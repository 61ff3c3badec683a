package node

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/shellquote"
)

// Target is the SSH target for user, as a plan's daemon.ssh names it:
// "ubuntu@10.213.1.2:22".
func (n *Node) Target(user string) string { return user + "@" + n.IP + ":22" }

// ReadFile returns a file's contents on the node (read as root); a missing
// file stops the test.
func (n *Node) ReadFile(t testing.TB, path string) string {
	t.Helper()
	return n.Exec(t, "cat "+shellquote.POSIX(path))
}

// WriteFile writes data to path on the node as root with mode (creating
// parent directories), passing the data on stdin.
func (n *Node) WriteFile(t testing.TB, path string, data []byte, mode os.FileMode) {
	t.Helper()
	dir := path[:strings.LastIndexByte(path, '/')+1]
	cmd := fmt.Sprintf("mkdir -p %s && cat >%s && chmod %o %s", shellquote.POSIX(dir+"."), shellquote.POSIX(path), mode.Perm(), shellquote.POSIX(path))
	if _, _, err := n.RunAs("root", cmd, bytes.NewReader(data)); err != nil {
		t.Fatalf("writing %s on the node: %v", path, err)
	}
}

// HoldPort makes a process on the node listen on 0.0.0.0:port until the
// test ends (or ReleasePort), e.g. to make dockerd's TCP listen address
// "already in use".
func (n *Node) HoldPort(t testing.TB, port int) {
	t.Helper()
	unit := "dockertls-hold-" + strconv.Itoa(port)
	n.Exec(t, fmt.Sprintf("systemd-run --quiet --unit=%s --collect systemd-socket-activate --listen=0.0.0.0:%d /bin/sleep infinity", unit, port))
	n.Exec(t, fmt.Sprintf("for i in $(seq 50); do ss -Hltn 'sport = :%d' | grep -q . && exit 0; sleep 0.1; done; echo 'port %d is not held' >&2; exit 1", port, port))
	t.Cleanup(func() { n.ReleasePort(port) })
}

// ReleasePort stops what HoldPort started (a no-op when nothing holds it).
func (n *Node) ReleasePort(port int) {
	_, _, _ = n.Run("systemctl stop dockertls-hold-" + strconv.Itoa(port) + " 2>/dev/null; true")
}
