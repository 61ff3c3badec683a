package plan

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/remote"
)

// SplitTCPAddress splits "tcp://host:port" into host and port. The port is
// "" when the address has none (which the docker CLI reads as 2375).
func SplitTCPAddress(addr string) (host, port string, err error) {
	rest, ok := strings.CutPrefix(addr, "tcp://")
	if !ok {
		scheme, _, found := strings.Cut(addr, "://")
		if found {
			return "", "", fmt.Errorf("%q uses %s://; the docker CLI only takes tcp:// here", addr, scheme)
		}
		return "", "", fmt.Errorf("%q does not start with tcp://", addr)
	}
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" {
		return "", "", fmt.Errorf("%q names no host", addr)
	}
	if strings.ContainsAny(rest, "/?#@ ") {
		return "", "", fmt.Errorf("%q must be only tcp://host:port", addr)
	}
	h, p, splitErr := net.SplitHostPort(rest)
	if splitErr != nil {
		// No port (or a bare IPv6 address without brackets).
		if strings.Count(rest, ":") > 1 && !strings.HasPrefix(rest, "[") {
			return "", "", fmt.Errorf("%q: write an IPv6 address in brackets, e.g. tcp://[::1]:2376", addr)
		}
		return strings.Trim(rest, "[]"), "", nil
	}
	if h == "" {
		return "", "", fmt.Errorf("%q names no host", addr)
	}
	n, convErr := strconv.Atoi(p)
	if convErr != nil || n < 1 || n > 65535 {
		return "", "", fmt.Errorf("%q: port %q is not a number from 1 to 65535", addr, p)
	}
	return h, p, nil
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
