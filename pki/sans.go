package pki

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
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
			return SANs{}, i18n.Errorf("pki.san.empty_entry", "N", i+1)
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
		return SANs{}, i18n.Errorf("pki.san.none")
	}
	return out, nil
}

// parseSAN reads one name: either a DNS name (returned lower-cased) or an IP.
func parseSAN(name string, allowWildcard bool) (string, net.IP, error) {
	orig := name
	if rest, ok := cutPrefixFold(name, "IP:"); ok {
		ip, err := parseIP(rest)
		if err != nil {
			return "", nil, i18n.Errorf("pki.san.bad", "Name", echo.Value(orig), "Err", err)
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
		return "", nil, i18n.Errorf("pki.san.url", "Name", echo.Value(orig), "Host", echo.Bare(host))
	}
	if strings.HasPrefix(name, "[") {
		inner := strings.TrimPrefix(name, "[")
		if i := strings.Index(inner, "]"); i >= 0 {
			inner = inner[:i]
		}
		return "", nil, i18n.Errorf("pki.san.brackets", "Name", echo.Value(orig), "IP", echo.Bare(inner))
	}
	if !forceDNS {
		if ip := net.ParseIP(name); ip != nil {
			if ip.IsUnspecified() {
				return "", nil, i18n.Errorf("pki.san.unspecified", "Name", echo.Value(orig))
			}
			return "", normalizeIP(ip), nil
		}
		if strings.Contains(name, "%") && net.ParseIP(name[:strings.Index(name, "%")]) != nil {
			return "", nil, i18n.Errorf("pki.san.zone", "Name", echo.Value(orig), "IP", echo.Bare(name[:strings.Index(name, "%")]))
		}
	}
	if host, port, err := net.SplitHostPort(name); err == nil {
		if _, perr := strconv.Atoi(port); perr == nil {
			return "", nil, i18n.Errorf("pki.san.port", "Name", echo.Value(orig), "Host", echo.Bare(host), "Port", port)
		}
	}
	dns, err := checkHostname(name, allowWildcard)
	if err != nil {
		return "", nil, i18n.Errorf("pki.san.bad", "Name", echo.Value(orig), "Err", err)
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
		return nil, i18n.Errorf("pki.san.not_ip", "Name", echo.Value(s))
	}
	if ip.IsUnspecified() {
		return nil, i18n.Errorf("pki.san.unspecified_ip", "IP", echo.Bare(s))
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
		return "", i18n.Errorf("pki.host.empty")
	}
	if len(name) > 253 {
		return "", i18n.Errorf("pki.host.too_long", "Len", len(name))
	}
	labels := strings.Split(name, ".")
	if strings.Contains(labels[0], "*") {
		if !allowWildcard {
			return "", i18n.Errorf("pki.host.wildcard_refused", "Domain", echo.Bare(strings.Join(labels[1:], ".")))
		}
		if labels[0] != "*" {
			return "", i18n.Errorf("pki.host.wildcard_label")
		}
		if len(labels) < 3 {
			return "", i18n.Errorf("pki.host.wildcard_short")
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
		return "", i18n.Errorf("pki.host.numeric")
	}
	return name, nil
}

func checkLabel(l string) error {
	if l == "" {
		return i18n.Errorf("pki.host.empty_label")
	}
	if len(l) > 63 {
		return i18n.Errorf("pki.host.label_too_long", "Label", echo.Value(l), "Len", len(l))
	}
	for _, r := range l {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
		case r == '_':
			return i18n.Errorf("pki.host.underscore", "Label", echo.Bare(strings.ReplaceAll(l, "_", "-")))
		case r == '*':
			return i18n.Errorf("pki.host.wildcard_inner")
		case r > 127:
			return i18n.Errorf("pki.host.non_ascii")
		default:
			return i18n.Errorf("pki.host.bad_char", "Char", strconv.QuoteRune(r))
		}
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return i18n.Errorf("pki.host.hyphen", "Label", echo.Value(l))
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
		return "", i18n.Errorf("pki.days.too_short", "Days", days, "Min", MinDays, "Max", MaxDays)
	case days > MaxDays:
		return "", i18n.Errorf("pki.days.too_long", "Days", days, "Max", MaxDays)
	case days > WarnAboveDays:
		return i18n.M("pki.days.long", "Days", days, "Warn", WarnAboveDays).String(), nil
	}
	return "", nil
}
