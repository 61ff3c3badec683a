// Package netaddr is the one reading of a daemon's tcp://HOST:PORT address
// (the plan's daemon.address and daemon.listen, DOCKER_HOST, the health
// check) and the one answer to "is this host an IP address or a DNS name".
// It imports only internal/i18n (its errors are catalog messages), so the
// plan, the TUI, the probes and the daemon configuration can all use it.
package netaddr

import (
	"net"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// DefaultTLSPort is the conventional port of the TLS-protected API, used
// in suggestions when nothing better is known.
const DefaultTLSPort = 2376

// TCP is a parsed tcp://HOST:PORT address.
type TCP struct {
	Host string // name or IP as written, without brackets; "" only in a listen address (all addresses)
	Port int    // 1..65535; 0 when none was written
}

// New is the address of host at port; an IPv6 host is written in
// brackets by String and HostPort.
func New(host string, port int) TCP { return TCP{Host: strings.Trim(host, "[]"), Port: port} }

// HostPort is the address in net.Dial form ("node3:2376", "[::1]:2376");
// without a port, the host alone (IPv6 still in brackets).
func (a TCP) HostPort() string {
	if a.Port == 0 {
		if strings.Contains(a.Host, ":") {
			return "[" + a.Host + "]"
		}
		return a.Host
	}
	return net.JoinHostPort(a.Host, strconv.Itoa(a.Port))
}

// String is the address as DOCKER_HOST and the plan write it.
func (a TCP) String() string { return "tcp://" + a.HostPort() }

// IsIP reports whether the host is an IP address rather than a DNS name.
func (a TCP) IsIP() bool { return IsIP(a.Host) }

// Parse reads a daemon address the way the docker CLI reads DOCKER_HOST,
// except that a scheme is required: tcp://HOST[:PORT] with IPv6 in
// brackets. A user, a path or a query is refused saying what to type.
// Port is 0 when none was written (the docker CLI then dials 2375).
func Parse(s string) (TCP, error) {
	return parse(s, false)
}

// ParseListen reads a listen address (daemon.listen, a daemon.json
// "hosts" entry): like Parse, but the host may be empty (all addresses)
// and the port is required.
func ParseListen(s string) (TCP, error) {
	a, err := parse(s, true)
	if err != nil {
		return TCP{}, err
	}
	if a.Port == 0 {
		return TCP{}, i18n.Errorf("netaddr.listen_no_port", "Address", strconv.Quote(strings.TrimSpace(s)), "Instead", New(a.Host, DefaultTLSPort).String())
	}
	return a, nil
}

func parse(s string, listen bool) (TCP, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return TCP{}, i18n.Errorf("netaddr.empty", "Port", DefaultTLSPort)
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return TCP{}, i18n.Errorf("netaddr.no_scheme", "Address", strconv.Quote(raw), "HostPort", withTLSPort(raw))
	}
	switch {
	case scheme == "tcp":
	case strings.EqualFold(scheme, "tcp"):
		return TCP{}, i18n.Errorf("netaddr.scheme_case", "Address", strconv.Quote(raw), "HostPort", withTLSPort(rest))
	case strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "http"):
		return TCP{}, i18n.Errorf("netaddr.scheme_http", "Address", strconv.Quote(raw), "Scheme", scheme, "HostPort", withTLSPort(rest))
	default:
		return TCP{}, i18n.Errorf("netaddr.scheme_other", "Address", strconv.Quote(raw), "Scheme", scheme, "Port", DefaultTLSPort)
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		if strings.Trim(rest[i:], "/") != "" {
			return TCP{}, i18n.Errorf("netaddr.path", "Address", strconv.Quote(raw), "HostPort", withTLSPort(rest[:i]))
		}
		rest = rest[:i]
	}
	if user, hostPort, found := strings.Cut(rest, "@"); found {
		return TCP{}, i18n.Errorf("netaddr.user", "Address", strconv.Quote(raw), "User", user, "HostPort", withTLSPort(hostPort))
	}
	host, port, err := splitHostPort(rest)
	if err != nil {
		return TCP{}, i18n.Errorf("netaddr.bad", "Address", strconv.Quote(raw), "Err", err)
	}
	if host == "" && !listen {
		return TCP{}, i18n.Errorf("netaddr.no_host", "Address", strconv.Quote(raw), "Port", DefaultTLSPort)
	}
	return TCP{Host: host, Port: port}, nil
}

// splitHostPort splits "host", "host:port", "[v6]" or "[v6]:port"; port 0
// means none was written.
func splitHostPort(s string) (string, int, error) {
	var host, port string
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.Index(s, "]")
		if end < 0 {
			return "", 0, i18n.Errorf("netaddr.ipv6_unclosed")
		}
		host, port = s[1:end], s[end+1:]
		if port != "" {
			p, ok := strings.CutPrefix(port, ":")
			if !ok {
				return "", 0, i18n.Errorf("netaddr.ipv6_trailing", "Text", strconv.Quote(port))
			}
			if p == "" {
				return "", 0, i18n.Errorf("netaddr.port_empty")
			}
			port = p
		}
		if !IsIP(host) {
			return "", 0, i18n.Errorf("netaddr.brackets_not_ip", "Host", strconv.Quote(host))
		}
	case strings.Count(s, ":") > 1:
		return "", 0, i18n.Errorf("netaddr.ipv6_brackets", "Host", s, "Port", DefaultTLSPort)
	default:
		var hasPort bool
		host, port, hasPort = strings.Cut(s, ":")
		if hasPort && port == "" {
			return "", 0, i18n.Errorf("netaddr.port_empty")
		}
	}
	if strings.ContainsAny(host, " \t%") || strings.ContainsFunc(host, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", 0, i18n.Errorf("netaddr.bad_host", "Host", strconv.Quote(host))
	}
	if port == "" {
		return host, 0, nil
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || strings.HasPrefix(port, "+") {
		return "", 0, i18n.Errorf("netaddr.bad_port", "Port", strconv.Quote(port))
	}
	return host, n, nil
}

// withTLSPort turns "node3" into "node3:2376" for suggestions.
func withTLSPort(s string) string {
	s = strings.TrimRight(s, "/")
	if s == "" {
		return "HOST:" + strconv.Itoa(DefaultTLSPort)
	}
	if _, _, err := net.SplitHostPort(s); err == nil {
		return s
	}
	return New(s, DefaultTLSPort).HostPort()
}

// IsIP reports whether host (brackets allowed) is an IP address rather
// than a DNS name. This is the one place the question is decided.
func IsIP(host string) bool { return net.ParseIP(strings.Trim(host, "[]")) != nil }

// SameHost reports whether two hosts name the same machine as written:
// IP addresses compare as addresses (::1 and 0:0::1), names without case
// or a trailing dot.
func SameHost(a, b string) bool {
	a, b = strings.Trim(a, "[]"), strings.Trim(b, "[]")
	if ipa := net.ParseIP(a); ipa != nil {
		ipb := net.ParseIP(b)
		return ipb != nil && ipa.Equal(ipb)
	}
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}
