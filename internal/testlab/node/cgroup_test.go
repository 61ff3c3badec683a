package node

import (
	"reflect"
	"testing"
)

// A v1/v2 hybrid like these machines': every v1 controller on its own,
// name=systemd, and cgroup2 under unified; memory nested.
const hybridMountinfo = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset,clone_children
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,release_agent=/x,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
50 23 0:40 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio
`

const hybridSelf = `9:name=systemd:/
4:memory:/process_api/abc
3:cpuset:/
2:cpuacct:/
1:cpu:/
7:net_cls,net_prio:/
5:devices:/
0::/
`

func TestCgroupDirsOnAHybridHost(t *testing.T) {
	got := cgroupDirsFrom(hybridSelf, parseCgroupMounts(hybridMountinfo), "dockertls-node1")
	want := []string{
		"/sys/fs/cgroup/systemd/dockertls-node1",
		"/sys/fs/cgroup/memory/process_api/abc/dockertls-node1",
		"/sys/fs/cgroup/cpuset/dockertls-node1",
		"/sys/fs/cgroup/cpuacct/dockertls-node1",
		"/sys/fs/cgroup/cpu/dockertls-node1",
		"/sys/fs/cgroup/net_cls,net_prio/dockertls-node1",
		// devices is not mounted in this sample: skipped.
		"/sys/fs/cgroup/unified/dockertls-node1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestCgroupDirsOnAUnifiedHost(t *testing.T) {
	mi := "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n"
	got := cgroupDirsFrom("0::/user.slice/session-1.scope\n", parseCgroupMounts(mi), "n")
	want := []string{"/sys/fs/cgroup/user.slice/session-1.scope/n"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
