package probe

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// DefaultPlainPort is the port the docker CLI uses for tcp://host without a
// port: the conventional port of the unencrypted API, even when TLS is on.
const DefaultPlainPort = 2375

// Address is a parsed tcp://host:port daemon address.
type Address struct {
	Host        string // name or IP as written, without brackets
	Port        int    // 1..65535
	PortDefault bool   // no port was written; Port is 2375, as the docker CLI would use
}

// HostPort is the address in net.Dial form ("node3:2376", "[::1]:2376").
func (a Address) HostPort() string { return net.JoinHostPort(a.Host, strconv.Itoa(a.Port)) }

// String is the address in DOCKER_HOST form, always with its port.
func (a Address) String() string { return "tcp://" + a.HostPort() }

// ParseAddress reads a daemon address the way the docker CLI reads
// DOCKER_HOST: only tcp:// is accepted; a missing port means 2375 and is
// flagged in PortDefault so callers can warn about it.
func ParseAddress(s string) (Address, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return Address{}, fmt.Errorf("the daemon address is empty: write it as tcp://HOST:2376")
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return Address{}, fmt.Errorf("daemon address %q has no scheme: write it as tcp://%s", raw, withDefaultTLSPort(raw))
	}
	switch strings.ToLower(scheme) {
	case "tcp":
	case "https", "http":
		return Address{}, fmt.Errorf("daemon address %q uses %s://, which the docker CLI rejects (invalid bind address format): write tcp://%s", raw, scheme, withDefaultTLSPort(rest))
	default:
		return Address{}, fmt.Errorf("daemon address %q is not a TCP address: mutual TLS needs tcp://HOST:PORT", raw)
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		if strings.Trim(rest[i:], "/") != "" {
			return Address{}, fmt.Errorf("daemon address %q has a path or query after the port: write only tcp://HOST:PORT", raw)
		}
		rest = rest[:i]
	}
	if rest == "" {
		return Address{}, fmt.Errorf("daemon address %q has no host: write it as tcp://HOST:2376", raw)
	}
	host, port, err := splitHostPort(rest)
	if err != nil {
		return Address{}, fmt.Errorf("daemon address %q: %v", raw, err)
	}
	a := Address{Host: host, Port: port}
	if port == 0 {
		a.Port, a.PortDefault = DefaultPlainPort, true
	}
	return a, nil
}

// splitHostPort splits "host", "host:port", "[v6]" or "[v6]:port"; port 0
// means none was written.
func splitHostPort(s string) (string, int, error) {
	var host, port string
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.Index(s, "]")
		if end < 0 {
			return "", 0, fmt.Errorf("the IPv6 address has no closing ']'")
		}
		host, port = s[1:end], s[end+1:]
		if port != "" {
			if !strings.HasPrefix(port, ":") {
				return "", 0, fmt.Errorf("unexpected %q after the IPv6 address", port)
			}
			port = port[1:]
			if port == "" {
				return "", 0, fmt.Errorf("the port after ':' is empty")
			}
		}
		if net.ParseIP(host) == nil {
			return "", 0, fmt.Errorf("%q is not an IPv6 address", host)
		}
	case strings.Count(s, ":") > 1:
		return "", 0, fmt.Errorf("an IPv6 address must be written in brackets, like tcp://[%s]:2376", s)
	default:
		var hasPort bool
		host, port, hasPort = strings.Cut(s, ":")
		if hasPort && port == "" {
			return "", 0, fmt.Errorf("the port after ':' is empty")
		}
	}
	if host == "" {
		return "", 0, fmt.Errorf("the host is empty")
	}
	if strings.ContainsAny(host, " \t@%") || strings.ContainsFunc(host, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", 0, fmt.Errorf("%q is not a host name or IP address", host)
	}
	if port == "" {
		return host, 0, nil
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || strings.HasPrefix(port, "+") {
		return "", 0, fmt.Errorf("port %q is not a number from 1 to 65535", port)
	}
	return host, n, nil
}

// withDefaultTLSPort turns "node3" into "node3:2376" for suggestions.
func withDefaultTLSPort(s string) string {
	s = strings.TrimRight(s, "/")
	if s == "" {
		return "HOST:2376"
	}
	if _, _, err := net.SplitHostPort(s); err == nil {
		return s
	}
	return s + ":2376"
}
