package probe

import (
	"strings"
	"testing"
)

func TestParseAddress(t *testing.T) {
	ok := []struct {
		in          string
		host        string
		port        int
		portDefault bool
	}{
		{"tcp://node3:2376", "node3", 2376, false},
		{"  tcp://node3:2376  ", "node3", 2376, false},
		{"TCP://Node3:2376", "Node3", 2376, false},
		{"tcp://10.0.0.12:2376/", "10.0.0.12", 2376, false},
		{"tcp://node3", "node3", 2375, true},
		{"tcp://[::1]:2376", "::1", 2376, false},
		{"tcp://[fe80::1]", "fe80::1", 2375, true},
	}
	for _, c := range ok {
		a, err := ParseAddress(c.in)
		if err != nil {
			t.Errorf("ParseAddress(%q): %v", c.in, err)
			continue
		}
		if a.Host != c.host || a.Port != c.port || a.PortDefault != c.portDefault {
			t.Errorf("ParseAddress(%q) = %+v, want %s %d %v", c.in, a, c.host, c.port, c.portDefault)
		}
	}
	bad := []struct{ in, mention string }{
		{"", "empty"},
		{"node3:2376", "tcp://node3:2376"},
		{"node3", "tcp://node3:2376"},
		{"https://node3:2376", "invalid bind address format"},
		{"http://node3", "tcp://node3:2376"},
		{"unix:///var/run/docker.sock", "not a TCP address"},
		{"ssh://me@node3", "not a TCP address"},
		{"tcp://", "no host"},
		{"tcp://:2376", "host is empty"},
		{"tcp://node3:", "port after ':' is empty"},
		{"tcp://node3:0", "1 to 65535"},
		{"tcp://node3:70000", "1 to 65535"},
		{"tcp://node3:+80", "1 to 65535"},
		{"tcp://node3:abc", "1 to 65535"},
		{"tcp://::1:2376", "brackets"},
		{"tcp://[::1", "closing"},
		{"tcp://[::1]x", "unexpected"},
		{"tcp://[::1]:", "empty"},
		{"tcp://[node3]:2376", "not an IPv6 address"},
		{"tcp://node3:2376/v1.41/info", "path"},
		{"tcp://no de:2376", "not a host name"},
		{"tcp://user@node3:2376", "not a host name"},
	}
	for _, c := range bad {
		_, err := ParseAddress(c.in)
		if err == nil {
			t.Errorf("ParseAddress(%q) accepted it", c.in)
			continue
		}
		if !strings.Contains(err.Error(), c.mention) {
			t.Errorf("ParseAddress(%q) error %q does not mention %q", c.in, err, c.mention)
		}
	}
}

func TestAddressString(t *testing.T) {
	a, err := ParseAddress("tcp://[::1]")
	if err != nil {
		t.Fatal(err)
	}
	if a.String() != "tcp://[::1]:2375" || a.HostPort() != "[::1]:2375" {
		t.Errorf("got %s / %s", a, a.HostPort())
	}
}

// FuzzParseAddress: no panic, and whatever is accepted prints back to an
// address that parses to the same host and port.
func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"tcp://node3:2376", "tcp://node3", "tcp://[::1]:2376", "https://x", "tcp://a:b:c", "tcp://[1.2.3.4]:5", "node3:2376", "tcp://x:2376/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error text")
			}
			return
		}
		if a.Host == "" || a.Port < 1 || a.Port > 65535 {
			t.Fatalf("ParseAddress(%q) = %+v", s, a)
		}
		b, err := ParseAddress(a.String())
		if err != nil {
			t.Fatalf("%q parsed to %+v, whose String %q does not parse: %v", s, a, a.String(), err)
		}
		if b.Host != a.Host || b.Port != a.Port || b.PortDefault {
			t.Fatalf("round trip %q: %+v then %+v", s, a, b)
		}
	})
}
