package plan

import (
	"cmp"

	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/netaddr"
)

// ListenPort is the port of daemon.listen (with its default), which is also
// the port clients dial unless daemon.address says otherwise.
func (p *Plan) ListenPort() int {
	if a, err := netaddr.ParseListen(cmp.Or(p.Daemon.Listen, DefaultListen)); err == nil {
		return a.Port
	}
	return netaddr.DefaultTLSPort
}

// AddressFor is the daemon address clients dial for host: the port of
// daemon.listen, an IPv6 host in brackets.
func (p *Plan) AddressFor(host string) string {
	return netaddr.New(host, p.ListenPort()).String()
}

// DaemonAddress is daemon.address (with its default) parsed; the zero
// value when it cannot be read (Validate says why).
func (p *Plan) DaemonAddress() netaddr.TCP {
	a, _ := netaddr.Parse(p.WithDefaults().Daemon.Address)
	return a
}

// TargetHost is the host name of an SSH target ("ubuntu@node3:22",
// "ssh://ubuntu@[::1]:2222", "node3"); "" when it has none.
func TargetHost(target string) string {
	t, err := remote.ParseTarget(target)
	if err != nil {
		return ""
	}
	return t.Host
}

// checkTarget says what is wrong with an SSH target, or returns nil.
func checkTarget(target string) error {
	_, err := remote.ParseTarget(target)
	return err
}
