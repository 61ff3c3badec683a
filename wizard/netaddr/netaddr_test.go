package netaddr

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	ok := []struct {
		in   string
		host string
		port int
	}{
		{"tcp://node3:2376", "node3", 2376},
		{"  tcp://node3:2376  ", "node3", 2376},
		{"tcp://Node3:2376", "Node3", 2376},
		{"tcp://10.0.0.12:2376/", "10.0.0.12", 2376},
		{"tcp://node3", "node3", 0},
		{"tcp://[::1]:2376", "::1", 2376},
		{"tcp://[fe80::1]", "fe80::1", 0},
	}
	for _, c := range ok {
		a, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if a.Host != c.host || a.Port != c.port {
			t.Errorf("Parse(%q) = %+v, want %s %d", c.in, a, c.host, c.port)
		}
	}
	// Each refusal says what to type instead.
	bad := []struct{ in, mention string }{
		{"", "write tcp://HOST:2376"},
		{"node3:2376", "write tcp://node3:2376"},
		{"node3", "write tcp://node3:2376"},
		{"::1", "write tcp://[::1]:2376"},
		{"TCP://node3:2376", "write tcp://node3:2376"},
		{"https://node3:2376", "invalid bind address format"},
		{"http://node3", "write tcp://node3:2376"},
		{"unix:///var/run/docker.sock", "not a TCP address"},
		{"ssh://me@node3", "not a TCP address"},
		{"tcp://", "names no host"},
		{"tcp://:2376", "names no host"},
		{"tcp://node3:", "port after ':' is empty"},
		{"tcp://node3:0", "1 to 65535"},
		{"tcp://node3:99999", "1 to 65535"},
		{"tcp://node3:+80", "1 to 65535"},
		{"tcp://node3:abc", "1 to 65535"},
		{"tcp://::1:2376", "tcp://[::1:2376]:2376"},
		{"tcp://2001:db8::1:2376", "in brackets"},
		{"tcp://[::1", "closing"},
		{"tcp://[::1]x", "unexpected"},
		{"tcp://[::1]:", "empty"},
		{"tcp://[node3]:2376", "not an IPv6 address"},
		{"tcp://node3:2376/v1.41/info", "write only tcp://node3:2376"},
		{"tcp://node3:2376?x=1", "write only tcp://node3:2376"},
		{"tcp://no de:2376", "not a host name"},
		{"tcp://root@node3:2376", "write tcp://node3:2376"},
		{"tcp://root@[::1]:2376", "write tcp://[::1]:2376"},
	}
	for _, c := range bad {
		_, err := Parse(c.in)
		if err == nil {
			t.Errorf("Parse(%q) accepted it", c.in)
			continue
		}
		if !strings.Contains(err.Error(), c.mention) {
			t.Errorf("Parse(%q) error %q does not mention %q", c.in, err, c.mention)
		}
	}
}

func TestParseListen(t *testing.T) {
	for in, want := range map[string]TCP{
		"tcp://0.0.0.0:2376": {"0.0.0.0", 2376},
		"tcp://:2376":        {"", 2376},
		"tcp://[::]:2376":    {"::", 2376},
	} {
		if got, err := ParseListen(in); err != nil || got != want {
			t.Errorf("ParseListen(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	if _, err := ParseListen("tcp://0.0.0.0"); err == nil || !strings.Contains(err.Error(), "write tcp://0.0.0.0:2376") {
		t.Errorf("listen without port: %v", err)
	}
}

func TestStringBracketsIPv6(t *testing.T) {
	for _, c := range []struct {
		a    TCP
		want string
	}{
		{New("2001:db8::1", 2376), "tcp://[2001:db8::1]:2376"},
		{New("[::1]", 2377), "tcp://[::1]:2377"},
		{New("node3", 2376), "tcp://node3:2376"},
		{New("::1", 0), "tcp://[::1]"},
	} {
		if got := c.a.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.a, got, c.want)
		}
	}
}

func TestIsIPAndSameHost(t *testing.T) {
	for h, want := range map[string]bool{"10.0.0.12": true, "::1": true, "[fd00::2]": true, "node3": false, "*.example.com": false, "": false} {
		if IsIP(h) != want {
			t.Errorf("IsIP(%q) = %v", h, !want)
		}
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"fd00::2", "[fd00:0::2]", true}, {"NODE3", "node3.", true}, {"10.0.0.1", "10.0.0.2", false}, {"node3", "10.0.0.1", false},
	} {
		if SameHost(c.a, c.b) != c.want {
			t.Errorf("SameHost(%q, %q) = %v", c.a, c.b, !c.want)
		}
	}
}

// FuzzParse: no panic, and whatever is accepted prints back to an address
// that parses to the same host and port.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"tcp://node3:2376", "tcp://node3", "tcp://[::1]:2376", "https://x", "tcp://a:b:c", "tcp://[1.2.3.4]:5", "node3:2376", "tcp://x:2376/", "tcp://u@h:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error text")
			}
			return
		}
		if a.Host == "" || a.Port < 0 || a.Port > 65535 {
			t.Fatalf("Parse(%q) = %+v", s, a)
		}
		b, err := Parse(a.String())
		if err != nil {
			t.Fatalf("%q parsed to %+v, whose String %q does not parse: %v", s, a, a.String(), err)
		}
		if b != a {
			t.Fatalf("round trip %q: %+v then %+v", s, a, b)
		}
	})
}
