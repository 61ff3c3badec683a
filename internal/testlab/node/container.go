package node

import (
	"strings"
	"testing"
)

// testImage is a tiny image made inside the node from its own /bin/sleep
// and libraries: the node has no registry access, and tests that count or
// keep running containers (live-restore, "a restart stops N containers")
// need one.
const testImage = "dockertls-test/sleep:1"

const importImage = `set -e
docker image inspect ` + testImage + ` >/dev/null 2>&1 && exit 0
d=$(mktemp -d)
mkdir -p "$d/bin"
cp /bin/sleep "$d/bin/"
for l in $(ldd /bin/sleep | grep -o '/lib[^ ]*'); do mkdir -p "$d$(dirname "$l")"; cp "$l" "$d$l"; done
tar -C "$d" -c . | docker import - ` + testImage + ` >/dev/null
rm -rf "$d"
`

// StartContainer runs a container named name that sleeps until stopped
// (with docker's init, so it stops at once) and returns its id.
func (n *Node) StartContainer(t testing.TB, name string) string {
	t.Helper()
	n.Exec(t, importImage)
	return strings.TrimSpace(n.Exec(t, "docker run -d --init --name "+name+" "+testImage+" /bin/sleep infinity"))
}
