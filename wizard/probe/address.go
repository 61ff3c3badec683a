package probe

import (
	"strings"

	"github.com/dockertls/dockertls/wizard/netaddr"
)

// DefaultPlainPort is the port the docker CLI uses for tcp://host without a
// port: the conventional port of the unencrypted API, even when TLS is on.
const DefaultPlainPort = 2375

// Address is a daemon address as the docker CLI dials it.
type Address struct {
	Host        string // name or IP as written, without brackets
	Port        int    // 1..65535
	PortDefault bool   // no port was written; Port is 2375, as the docker CLI would use
}

// HostPort is the address in net.Dial form ("node3:2376", "[::1]:2376").
func (a Address) HostPort() string { return a.tcp().HostPort() }

// String is the address in DOCKER_HOST form, always with its port.
func (a Address) String() string { return a.tcp().String() }

func (a Address) tcp() netaddr.TCP { return netaddr.New(a.Host, a.Port) }

// ParseAddress reads a daemon address with netaddr.Parse, then fills in
// the port the docker CLI would dial when none is written (2375), flagged
// in PortDefault so callers can warn about it.
func ParseAddress(s string) (Address, error) {
	t, err := netaddr.Parse(s)
	if err != nil {
		return Address{}, err
	}
	a := Address{Host: t.Host, Port: t.Port}
	if a.Port == 0 {
		a.Port, a.PortDefault = DefaultPlainPort, true
	}
	return a, nil
}

// sameAddress reports whether two DOCKER_HOST values reach the same daemon.
func sameAddress(a, b string) bool {
	x, err1 := ParseAddress(a)
	y, err2 := ParseAddress(b)
	if err1 != nil || err2 != nil {
		return strings.EqualFold(a, b)
	}
	return netaddr.SameHost(x.Host, y.Host) && x.Port == y.Port
}
