package pki

import (
	"slices"
	"strings"
	"testing"
)

func TestParseSANs(t *testing.T) {
	tests := []struct {
		in       []string
		wildcard bool
		dns      []string
		ips      []string
	}{
		{[]string{"node3", "10.0.0.12"}, false, []string{"node3"}, []string{"10.0.0.12"}},
		{[]string{"node3, 10.0.0.12 localhost"}, false, []string{"node3", "localhost"}, []string{"10.0.0.12"}},
		{[]string{"Node3.Example.COM."}, false, []string{"node3.example.com"}, nil},
		{[]string{"::1", "fd00::12", "127.0.0.1"}, false, nil, []string{"::1", "fd00::12", "127.0.0.1"}},
		{[]string{"::ffff:10.0.0.1"}, false, nil, []string{"10.0.0.1"}},
		{[]string{"DNS:node3", "IP:10.0.0.12", "ip:[::1]"}, false, []string{"node3"}, []string{"10.0.0.12", "::1"}},
		{[]string{"node3", "NODE3", "10.0.0.12", "10.0.0.12"}, false, []string{"node3"}, []string{"10.0.0.12"}},
		{[]string{"*.example.com"}, true, []string{"*.example.com"}, nil},
		{[]string{"a-b.c0"}, false, []string{"a-b.c0"}, nil},
		{[]string{"1node"}, false, []string{"1node"}, nil},
	}
	for _, tt := range tests {
		got, err := ParseSANs(tt.in, tt.wildcard)
		if err != nil {
			t.Errorf("ParseSANs(%q) error: %v", tt.in, err)
			continue
		}
		var ips []string
		for _, ip := range got.IPs {
			ips = append(ips, ip.String())
		}
		if !slices.Equal(got.DNS, tt.dns) || !slices.Equal(ips, tt.ips) {
			t.Errorf("ParseSANs(%q) = DNS %q IPs %q; want %q %q", tt.in, got.DNS, ips, tt.dns, tt.ips)
		}
	}
}

func TestParseSANsIPv4IsFourBytes(t *testing.T) {
	got, err := ParseSANs([]string{"10.0.0.12"}, false)
	if err != nil || len(got.IPs[0]) != 4 {
		t.Fatalf("IPv4 should be stored in 4 bytes: %v %v", got.IPs, err)
	}
}

// Each refusal says what to type instead.
func TestParseSANsErrors(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, "type the host name or IP"},
		{[]string{""}, "name 1 is empty"},
		{[]string{"node3", "   "}, "name 2 is empty"},
		{[]string{"tcp://node3:2376"}, "write the host name node3, without scheme or port"},
		{[]string{"https://[::1]:2376"}, "write the host name ::1"},
		{[]string{"node3:2376"}, "write node3 without the port"},
		{[]string{"10.0.0.12:2376"}, "write 10.0.0.12 without the port"},
		{[]string{"[::1]:2376"}, "IPv6 address ::1 without brackets"},
		{[]string{"*.example.com"}, "wildcard names are refused"},
		{[]string{"*.com"}, "wildcard"},
		{[]string{"a.*.example.com"}, "wildcard"},
		{[]string{"node_3"}, "use a hyphen (node-3)"},
		{[]string{"-node3"}, "hyphen"},
		{[]string{"node3-"}, "hyphen"},
		{[]string{"node..example"}, "empty label"},
		{[]string{".node3"}, "empty label"},
		{[]string{"10.0.0.300"}, "not a valid one"},
		{[]string{"IP:node3"}, "not an IP address"},
		{[]string{"bücher.de"}, "punycode"},
		{[]string{"node3/x"}, "not allowed"},
		{[]string{strings.Repeat("a", 64)}, "at most 63"},
		{[]string{strings.Repeat("abcdefgh.", 30) + "com"}, "at most 253"},
		{[]string{"fe80::1%eth0"}, "zone"},
		{[]string{"0.0.0.0"}, "type the node's own IP"},
		{[]string{"::"}, "listen on every address"},
		{[]string{"IP:0.0.0.0"}, "listen on every address"},
	}
	for _, tt := range tests {
		_, err := ParseSANs(tt.in, false)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSANs(%q) error = %v; want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func TestSANsStrings(t *testing.T) {
	s, err := ParseSANs([]string{"node3", "10.0.0.12"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Strings(), ","); got != "DNS:node3,IP:10.0.0.12" {
		t.Fatalf("Strings() = %s", got)
	}
}

func TestCheckDays(t *testing.T) {
	for _, d := range []int{1, 365, 730, 825} {
		if w, err := CheckDays(d); w != "" || err != nil {
			t.Errorf("CheckDays(%d) = %q, %v", d, w, err)
		}
	}
	for _, d := range []int{826, 1080, 3650} {
		if w, err := CheckDays(d); w == "" || err != nil {
			t.Errorf("CheckDays(%d) = %q, %v; want a warning", d, w, err)
		}
	}
	for _, d := range []int{0, -1, 3651, 100000} {
		if _, err := CheckDays(d); err == nil || !strings.Contains(err.Error(), "type") {
			t.Errorf("CheckDays(%d) = %v; want an error saying what to type", d, err)
		}
	}
}
