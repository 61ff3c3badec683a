package remote

import (
	"net"
	"os/user"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
)

// Target is a parsed host address: where to connect and as whom.
type Target struct {
	Local bool   // "local": this machine, no SSH
	User  string // login user; defaults to the current user
	Host  string // host name or IP address (IPv6 without brackets)
	Port  int    // defaults to 22
}

// ParseTarget reads "local", "host", "user@host", "user@host:port",
// "ssh://user@host:port" and IPv6 addresses in brackets ("user@[::1]:2222").
// A missing user is the current user, a missing port 22. A whole ssh
// command pasted in ("ssh -p 2222 ubuntu@node3") is refused with the
// target it means ("ubuntu@node3:2222").
func ParseTarget(s string) (Target, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return Target{}, i18n.Errorf("remote.target.empty")
	}
	if s == "local" {
		return Target{Local: true}, nil
	}
	if strings.ContainsAny(s, " \t") {
		return Target{}, sshCommandError(orig)
	}
	if rest, ok := strings.CutPrefix(s, "ssh://"); ok {
		s = strings.TrimSuffix(rest, "/")
	} else if strings.Contains(s, "://") {
		return Target{}, i18n.Errorf("remote.target.url", "Target", echo.Value(orig))
	}
	t := Target{Port: 22}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		t.User, s = s[:i], s[i+1:]
		if t.User == "" {
			return Target{}, i18n.Errorf("remote.target.empty_user", "Target", echo.Value(orig))
		}
	}
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.Index(s, "]")
		if end < 0 {
			return Target{}, i18n.Errorf("remote.target.ipv6_bracket", "Target", echo.Value(orig))
		}
		t.Host, s = s[1:end], s[end+1:]
		if s != "" {
			p, ok := strings.CutPrefix(s, ":")
			if !ok {
				return Target{}, i18n.Errorf("remote.target.ipv6_trailing", "Target", echo.Value(orig), "Rest", strconv.Quote(s))
			}
			if err := t.setPort(p, orig); err != nil {
				return Target{}, err
			}
		}
	case strings.Count(s, ":") == 1:
		h, p, _ := strings.Cut(s, ":")
		t.Host = h
		if err := t.setPort(p, orig); err != nil {
			return Target{}, err
		}
	case strings.Count(s, ":") > 1:
		// A bare IPv6 address without a port, as ssh accepts it.
		if net.ParseIP(s) == nil {
			if host, _, _ := strings.Cut(s, ":"); !couldBeIPv6(s) {
				return Target{}, i18n.Errorf("remote.target.two_ports", "Target", echo.Value(orig), "Addr", echo.Value(s), "Host", echo.Bare(host))
			}
			return Target{}, i18n.Errorf("remote.target.ipv6_brackets", "Target", echo.Value(orig), "Addr", echo.Bare(s))
		}
		t.Host = s
	default:
		t.Host = s
	}
	if t.Host == "" {
		return Target{}, i18n.Errorf("remote.target.no_host", "Target", echo.Value(orig))
	}
	if strings.ContainsAny(t.Host, " \t/@[]") {
		return Target{}, i18n.Errorf("remote.target.bad_host", "Target", echo.Value(orig), "Host", strconv.Quote(t.Host))
	}
	if strings.HasPrefix(t.Host, "-") {
		return Target{}, i18n.Errorf("remote.target.host_dash", "Target", echo.Value(orig))
	}
	if err := checkUser(t.User, orig); err != nil {
		return Target{}, err
	}
	if t.User == "" {
		u, err := user.Current()
		if err != nil {
			return Target{}, i18n.Errorf("remote.target.no_user", "Target", echo.Value(orig), "Err", err, "Host", t.Host)
		}
		t.User = u.Username
	}
	return t, nil
}

// sshCommandError explains a target with spaces in it: for a pasted ssh
// command line it names the target to type instead (user@host:port), and
// where the key given with -i goes.
func sshCommandError(orig string) error {
	words := strings.Fields(orig)
	if len(words) < 2 || words[0] != "ssh" {
		return i18n.Errorf("remote.target.space", "Target", echo.Value(orig))
	}
	var user, port, key, dest string
	for i := 1; i < len(words); i++ {
		w := words[i]
		flagValue := func(flag string) (string, bool) {
			if w == flag && i+1 < len(words) {
				i++
				return words[i], true
			}
			if v, ok := strings.CutPrefix(w, flag); ok && v != "" {
				return v, true
			}
			return "", false
		}
		if v, ok := flagValue("-p"); ok {
			port = v
		} else if v, ok := flagValue("-l"); ok {
			user = v
		} else if v, ok := flagValue("-i"); ok {
			key = v
		} else if strings.HasPrefix(w, "-") || dest != "" {
			return i18n.Errorf("remote.target.ssh_command", "Target", echo.Value(orig))
		} else {
			dest = w
		}
	}
	if dest == "" {
		return i18n.Errorf("remote.target.ssh_command_no_host", "Target", echo.Value(orig))
	}
	t, err := ParseTarget(dest)
	if err != nil || t.Local {
		return i18n.Errorf("remote.target.ssh_command", "Target", echo.Value(orig))
	}
	if user != "" && !strings.Contains(dest, "@") {
		t.User = user
	}
	if port != "" {
		if err := t.setPort(port, orig); err != nil {
			return err
		}
	}
	want := t.Addr()
	if t.Port == 22 {
		want = t.Host
		if strings.Contains(t.Host, ":") {
			want = "[" + t.Host + "]"
		}
	}
	if strings.Contains(dest, "@") || user != "" {
		want = t.User + "@" + want
	}
	if key != "" {
		return i18n.Errorf("remote.target.whole_ssh_command_key", "Target", echo.Value(orig), "Want", want, "Key", key)
	}
	return i18n.Errorf("remote.target.whole_ssh_command", "Target", echo.Value(orig), "Want", want)
}

// couldBeIPv6 reports whether s is made of what IPv6 addresses are made of
// (hex digits, colons, dots of an embedded IPv4, a %zone), so that only
// then brackets are suggested: host:22:33 is a host with two ports.
func couldBeIPv6(s string) bool {
	addr, _, _ := strings.Cut(s, "%")
	return strings.Trim(strings.ToLower(addr), "0123456789abcdef:.") == ""
}

func (t *Target) setPort(p, orig string) error {
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return i18n.Errorf("remote.target.port", "Target", echo.Value(orig), "Port", strconv.Quote(p))
	}
	t.Port = n
	return nil
}

// Addr is "host:port" as net.Dial wants it (IPv6 in brackets).
func (t Target) Addr() string {
	return net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
}

// String gives the target back in the form ParseTarget reads: "local" or
// "ssh://user@host:port".
func (t Target) String() string {
	if t.Local {
		return "local"
	}
	return "ssh://" + t.User + "@" + t.Addr()
}

// checkUser refuses a login name that ssh would read as an option
// ("-oProxyCommand=...") or that holds characters no login name has: the
// shell's special characters (as OpenSSH itself refuses them), blanks and
// control characters. Commands shown to the user quote it anyway.
func checkUser(name, orig string) error {
	if strings.HasPrefix(name, "-") {
		return i18n.Errorf("remote.target.user_dash", "Target", echo.Value(orig), "User", strconv.Quote(name))
	}
	for _, r := range name {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("'\"`\\$;&|<>(){}*?!#", r) {
			return i18n.Errorf("remote.target.user_char", "Target", echo.Value(orig), "User", strconv.Quote(name), "Char", strconv.QuoteRune(r))
		}
	}
	return nil
}
