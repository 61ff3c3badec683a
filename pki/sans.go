package pki

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// SANs are the subjectAltNames of a certificate, told apart.
type SANs struct {
	DNS []string
	IPs []net.IP
}

// Strings lists the names as openssl shows them: "DNS:node3", "IP:10.0.0.12".
func (s SANs) Strings() []string {
	out := make([]string, 0, len(s.DNS)+len(s.IPs))
	for _, d := range s.DNS {
		out = append(out, "DNS:"+d)
	}
	for _, ip := range s.IPs {
		out = append(out, "IP:"+ip.String())
	}
	return out
}

// ParseSANs classifies the names clients will dial into DNS names and IP
// addresses (IPv4 and IPv6). An entry may hold several names separated by
// commas or spaces ("node3, 10.0.0.12"), and openssl's "DNS:"/"IP:" prefixes
// are accepted. Duplicates are dropped. Errors say what to type instead.
func ParseSANs(names []string, allowWildcard bool) (SANs, error) {
	var out SANs
	seen := map[string]bool{}
	for i, entry := range names {
		if strings.TrimSpace(entry) == "" {
			return SANs{}, fmt.Errorf("name %d is empty: remove it, or type a host name (node3) or an IP address (10.0.0.12)", i+1)
		}
		for _, name := range strings.FieldsFunc(entry, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
		}) {
			dns, ip, err := parseSAN(name, allowWildcard)
			if err != nil {
				return SANs{}, err
			}
			key := dns
			if ip != nil {
				key = "ip:" + ip.String()
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			if ip != nil {
				out.IPs = append(out.IPs, ip)
			} else {
				out.DNS = append(out.DNS, dns)
			}
		}
	}
	if len(out.DNS) == 0 && len(out.IPs) == 0 {
		return SANs{}, fmt.Errorf("no names given: type the host name or IP address clients dial, such as node3 or 10.0.0.12")
	}
	return out, nil
}

// parseSAN reads one name: either a DNS name (returned lower-cased) or an IP.
func parseSAN(name string, allowWildcard bool) (string, net.IP, error) {
	orig := name
	if rest, ok := cutPrefixFold(name, "IP:"); ok {
		ip, err := parseIP(rest)
		if err != nil {
			return "", nil, fmt.Errorf("%q: %v", orig, err)
		}
		return "", ip, nil
	}
	forceDNS := false
	if rest, ok := cutPrefixFold(name, "DNS:"); ok {
		name, forceDNS = rest, true
	}
	if strings.Contains(name, "://") {
		host := name
		if u, err := url.Parse(name); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		return "", nil, fmt.Errorf("%q is a URL: write the host name %s, without scheme or port", orig, host)
	}
	if strings.HasPrefix(name, "[") {
		inner := strings.TrimPrefix(name, "[")
		if i := strings.Index(inner, "]"); i >= 0 {
			inner = inner[:i]
		}
		return "", nil, fmt.Errorf("%q: write the IPv6 address %s without brackets or port", orig, inner)
	}
	if !forceDNS {
		if ip := net.ParseIP(name); ip != nil {
			if ip.IsUnspecified() {
				return "", nil, fmt.Errorf("%q means \"listen on every address\"; clients never dial it: type the node's own IP address (such as 10.0.0.12) or its host name", orig)
			}
			return "", normalizeIP(ip), nil
		}
		if strings.Contains(name, "%") && net.ParseIP(name[:strings.Index(name, "%")]) != nil {
			return "", nil, fmt.Errorf("%q has an interface zone: certificates cannot hold zones; write %s", orig, name[:strings.Index(name, "%")])
		}
	}
	if host, port, err := net.SplitHostPort(name); err == nil {
		if _, perr := strconv.Atoi(port); perr == nil {
			return "", nil, fmt.Errorf("%q has a port: write %s without the port (the port belongs in the daemon address, tcp://%s:%s)", orig, host, host, port)
		}
	}
	dns, err := checkHostname(name, allowWildcard)
	if err != nil {
		return "", nil, fmt.Errorf("%q: %v", orig, err)
	}
	return dns, nil, nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return strings.TrimSpace(s[len(prefix):]), true
	}
	return s, false
}

func parseIP(s string) (net.IP, error) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	ip := net.ParseIP(s)
	if ip == nil {
		return nil, fmt.Errorf("%q is not an IP address: type an IPv4 address such as 10.0.0.12 or an IPv6 address such as fd00::12", s)
	}
	if ip.IsUnspecified() {
		return nil, fmt.Errorf("%s means \"listen on every address\"; clients never dial it: type the node's own IP address (such as 10.0.0.12)", s)
	}
	return normalizeIP(ip), nil
}

// normalizeIP stores IPv4 addresses in 4 bytes so certificates carry the
// short form openssl and Go both expect.
func normalizeIP(ip net.IP) net.IP {
	if v4 := ip.To4(); v4 != nil {
		return v4
	}
	return ip
}

// checkHostname validates an RFC 1123 host name and returns it lower-cased,
// without a trailing dot.
func checkHostname(name string, allowWildcard bool) (string, error) {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if name == "" {
		return "", fmt.Errorf("empty host name: type a host name such as node3")
	}
	if len(name) > 253 {
		return "", fmt.Errorf("host name is %d characters long; at most 253 are allowed", len(name))
	}
	labels := strings.Split(name, ".")
	if strings.Contains(labels[0], "*") {
		if !allowWildcard {
			return "", fmt.Errorf("wildcard names are refused: write the exact host name clients dial (such as node3.%s), or allow wildcards explicitly", strings.Join(labels[1:], "."))
		}
		if labels[0] != "*" {
			return "", fmt.Errorf("a wildcard must be the whole first label, as in *.example.com")
		}
		if len(labels) < 3 {
			return "", fmt.Errorf("a wildcard needs at least two labels after it, as in *.example.com")
		}
		labels = labels[1:]
	}
	allNumeric := true
	for _, l := range labels {
		if err := checkLabel(l); err != nil {
			return "", err
		}
		if strings.Trim(l, "0123456789") != "" {
			allNumeric = false
		}
	}
	if allNumeric {
		return "", fmt.Errorf("looks like an IP address but is not a valid one: type four numbers 0-255 such as 10.0.0.12")
	}
	return name, nil
}

func checkLabel(l string) error {
	if l == "" {
		return fmt.Errorf("empty label (two dots in a row, or a leading dot): write the name as node3.example.com")
	}
	if len(l) > 63 {
		return fmt.Errorf("label %q is %d characters long; at most 63 are allowed", l, len(l))
	}
	for _, r := range l {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
		case r == '_':
			return fmt.Errorf("underscores are not allowed in host names: use a hyphen (%s)", strings.ReplaceAll(l, "_", "-"))
		case r == '*':
			return fmt.Errorf("a wildcard is only allowed as the whole first label, as in *.example.com")
		case r > 127:
			return fmt.Errorf("non-ASCII characters: write the name in its punycode form (xn--...)")
		default:
			return fmt.Errorf("character %q is not allowed in host names: use letters, digits and hyphens", r)
		}
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return fmt.Errorf("label %q starts or ends with a hyphen, which host names cannot", l)
	}
	return nil
}

// Validity limits, in days.
const (
	MinDays         = 1
	MaxDays         = 3650
	WarnAboveDays   = 825
	DefaultDays     = 730
	defaultBackdate = 5 // minutes NotBefore is set back for clock skew
)

// CheckDays checks a validity period: 1 to 3650 days; above 825 it returns
// a warning (not an error).
func CheckDays(days int) (warning string, err error) {
	switch {
	case days < MinDays:
		return "", fmt.Errorf("validity of %d days is too short: type a number of days from %d to %d (the tutorials use 365 or 730)", days, MinDays, MaxDays)
	case days > MaxDays:
		return "", fmt.Errorf("validity of %d days is too long: type at most %d (10 years); renew instead of issuing forever", days, MaxDays)
	case days > WarnAboveDays:
		return fmt.Sprintf("%d days is longer than %d: Docker accepts it, but a leaked key stays usable that long and expiry is easy to forget; consider 365 or 730", days, WarnAboveDays), nil
	}
	return "", nil
}
