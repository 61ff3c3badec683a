package remote

import (
	"os/user"
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in   string
		want Target
		str  string
	}{
		{"local", Target{Local: true}, "local"},
		{"node3", Target{User: me.Username, Host: "node3", Port: 22}, "ssh://" + me.Username + "@node3:22"},
		{"ubuntu@node3", Target{User: "ubuntu", Host: "node3", Port: 22}, "ssh://ubuntu@node3:22"},
		{"ubuntu@node3:2222", Target{User: "ubuntu", Host: "node3", Port: 2222}, "ssh://ubuntu@node3:2222"},
		{"ssh://ubuntu@node3:2222", Target{User: "ubuntu", Host: "node3", Port: 2222}, "ssh://ubuntu@node3:2222"},
		{"ssh://ubuntu@10.0.0.12", Target{User: "ubuntu", Host: "10.0.0.12", Port: 22}, "ssh://ubuntu@10.0.0.12:22"},
		{"ubuntu@[::1]:2222", Target{User: "ubuntu", Host: "::1", Port: 2222}, "ssh://ubuntu@[::1]:2222"},
		{"ssh://ubuntu@[fe80::1]", Target{User: "ubuntu", Host: "fe80::1", Port: 22}, "ssh://ubuntu@[fe80::1]:22"},
		{"ubuntu@fe80::2", Target{User: "ubuntu", Host: "fe80::2", Port: 22}, "ssh://ubuntu@[fe80::2]:22"},
		{"a@b@node3", Target{User: "a@b", Host: "node3", Port: 22}, "ssh://a@b@node3:22"},
	}
	for _, c := range cases {
		got, err := ParseTarget(c.in)
		if err != nil {
			t.Errorf("ParseTarget(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("ParseTarget(%q) = %+v, want %+v", c.in, got, c.want)
		}
		if got.String() != c.str {
			t.Errorf("ParseTarget(%q).String() = %q, want %q", c.in, got.String(), c.str)
		}
		again, err := ParseTarget(got.String())
		if err != nil || again != got {
			t.Errorf("round trip of %q: %+v, %v", c.in, again, err)
		}
	}
	for _, bad := range []string{"", "@node3", "u@node3:0", "u@node3:70000", "u@node3:x", "http://node3", "u@[::1", "u@[::1]x", "u@", "u@fe80::zz",
		// a user or host that ssh/scp would take for an option, or with shell syntax
		"-oProxyCommand=touch /tmp/pwned@node3", "-oProxyCommand=x@node3", "ssh://-oProxyCommand=x@node3:22", "u@-oProxyCommand=x",
		"a;b@node3", "$(id)@node3", "u`id`@node3", "u\n@node3", "u\x00@node3"} {
		if got, err := ParseTarget(bad); err == nil {
			t.Errorf("ParseTarget(%q) = %+v, want an error", bad, got)
		}
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"local", "u@h", "u@h:22", "ssh://u@[::1]:2", "[::1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTarget(s)
		if err != nil || got.Local {
			return
		}
		again, err := ParseTarget(got.String())
		if err != nil {
			t.Fatalf("ParseTarget(%q).String() = %q does not parse: %v", s, got.String(), err)
		}
		if again != got {
			t.Fatalf("round trip of %q: %+v != %+v", s, again, got)
		}
	})
}

func TestParseStat(t *testing.T) {
	fi, err := parseStat("/etc/docker/key.pem", "1704/8100/root/root/1763786460/0/0")
	if err != nil || fi.Size != 1704 || fi.Mode != 0o400 || fi.Owner != "root" || fi.Group != "root" || fi.ModTime.Unix() != 1763786460 {
		t.Fatalf("regular file: %+v, %v", fi, err)
	}
	fi, err = parseStat("/d", "4096/41ed/UNKNOWN/UNKNOWN/1/1234/5678")
	if err != nil || !fi.Mode.IsDir() || fi.Mode.Perm() != 0o755 || fi.Owner != "1234" || fi.Group != "5678" {
		t.Fatalf("directory with unnamed owner: %+v, %v", fi, err)
	}
	for _, bad := range []string{"", "1/2/3", "x/8100/a/b/1/0/0", "1/zz/a/b/1/0/0"} {
		if _, err := parseStat("/p", bad); err == nil {
			t.Errorf("parseStat(%q): no error", bad)
		}
	}
}

// A whole ssh command pasted into the target is refused with the target
// it means, so the user is not connected to port 22 as user "ssh -p 2222 ubuntu".
func TestParseTargetRefusesAPastedSSHCommandSayingWhatToType(t *testing.T) {
	for in, want := range map[string]string{
		"ssh -p 2222 ubuntu@127.0.0.1":          "write ubuntu@127.0.0.1:2222",
		"ssh ubuntu@node3":                      "write ubuntu@node3\"",
		"ssh -p2222 -l admin node3":             "write admin@node3:2222",
		"ssh -i ~/.ssh/lab -p 2200 root@[::1]":  "write root@[::1]:2200, and give ~/.ssh/lab as the SSH key",
		"ssh node3":                             "write node3\"",
		"ssh -p 99999 node3":                    "1 to 65535",
		"ssh -o StrictHostKeyChecking=no node3": "write only where to connect",
		"ubuntu @node3":                         "has a space",
	} {
		_, err := ParseTarget(in)
		if err == nil {
			t.Errorf("ParseTarget(%q) accepted it", in)
			continue
		}
		if got := err.Error() + "\""; !strings.Contains(got, want) {
			t.Errorf("ParseTarget(%q): %v; want it to say %q", in, err, want)
		}
	}
}

// A host with two ports is not taken for an IPv6 address: no brackets are
// suggested, and the value is echoed escaped.
func TestTargetWithTwoPortsIsNotIPv6(t *testing.T) {
	_, err := ParseTarget("user@host:22:33")
	if err == nil || strings.Contains(err.Error(), "[") || !strings.Contains(err.Error(), "more than one") || !strings.Contains(err.Error(), "user@host:22") {
		t.Fatalf("user@host:22:33: %v", err)
	}
	_, err = ParseTarget("user@fe80::1::2")
	if err == nil || !strings.Contains(err.Error(), "brackets") {
		t.Fatalf("a mistyped IPv6 address: %v, want the bracket hint", err)
	}
	_, err = ParseTarget("user@no\x1bde:22:33")
	if err == nil || strings.ContainsRune(err.Error(), 0x1b) {
		t.Fatalf("ESC printed raw: %q", err)
	}
	if _, err = ParseTarget("user@" + strings.Repeat("h", 1<<20) + ":1:2"); err == nil || len(err.Error()) > 1200 {
		t.Fatalf("a 1 MB host gives %d bytes of error", len(err.Error()))
	}
}
