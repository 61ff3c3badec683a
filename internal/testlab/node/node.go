// Package node boots a real systemd-managed Docker host for the end-to-end
// tests: a cached Debian bookworm tree (debootstrap) booted with
// systemd-nspawn on its own network namespace, reached over a veth pair,
// with sshd, sudo and the stock docker.io (docker.service with -H fd://).
// See shared/reference/systemd-node.md for why each launch detail is there.
package node

import (
	"os/exec"
	"sync"
)

// Node is one booted test node. It is fresh: every Boot gets its own
// writable layer over the cached tree, keys, host keys and address.
type Node struct {
	Name    string // host name inside the node: "node3"
	Machine string // systemd-nspawn machine name (unique per running node)
	IP      string // the node's address, e.g. 10.213.1.2
	HostIP  string // this machine's end of the veth pair, e.g. 10.213.1.1
	Dir     string // the node's writable layer and host-side files

	RootKey   string // private key file (on this machine) for root@IP
	UbuntuKey string // for ubuntu@IP: passwordless sudo
	AdminKey  string // for admin@IP: sudo asks for AdminPassword
	// AdminPassword is admin's login and sudo password.
	AdminPassword string
	// KnownHosts is a known_hosts file with the node's host keys under IP,
	// for tests that want the node pre-trusted.
	KnownHosts string
	// ConsoleLog is the node's console (systemd's boot messages).
	ConsoleLog string

	slot     *slot
	cmd      *exec.Cmd
	waitDone chan struct{}
	once     sync.Once
	stopErr  error
}

// KeyFor returns the private key file for root, ubuntu or admin ("" for
// another user).
func (n *Node) KeyFor(user string) string {
	switch user {
	case "root":
		return n.RootKey
	case "ubuntu":
		return n.UbuntuKey
	case "admin":
		return n.AdminKey
	}
	return ""
}
