package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFieldChecks(t *testing.T) {
	cases := []struct {
		name  string
		check func(string) error
		in    string
		want  string // "" = accepted, else a piece of the message
	}{
		{"ssh local", checkSSHTarget, "local", ""},
		{"ssh user@host", checkSSHTarget, "root@node3", ""},
		{"ssh port", checkSSHTarget, "ssh://admin@10.0.0.12:2222", ""},
		{"ssh ipv6", checkSSHTarget, "root@[fd00::2]:22", ""},
		{"ssh empty", checkSSHTarget, "", "type user@host"},
		{"ssh no user", checkSSHTarget, "node3", "has no user"},
		{"ssh bad port", checkSSHTarget, "root@node3:99999", "not a port number"},
		{"client local", checkClientTarget, "", ""},
		{"client ssh", checkClientTarget, "ssh://me@laptop", ""},
		{"client bare", checkClientTarget, "me@laptop", "ssh://user@host"},
		{"sans", checkSANs, "node3, 10.0.0.12 fd00::2", ""},
		{"sans empty", checkSANs, " , ", "list the names"},
		{"sans url", checkSANs, "tcp://node3:2376", "write the host name node3, without scheme or port"},
		{"sans listen address", checkSANs, "0.0.0.0", "0.0.0.0"},
		{"sans wildcard", checkSANs, "*.example.com", ""},
		{"addr", checkTCPAddress, "tcp://node3:2376", ""},
		{"addr empty", checkTCPAddress, "", ""},
		{"addr no port", checkTCPAddress, "tcp://node3", "dials 2375"},
		{"addr https", checkTCPAddress, "https://node3:2376", "tcp://HOST:PORT"},
		{"days", checkDays, "365", ""},
		{"days zero", checkDays, "0", "from 1 to 3650"},
		{"days text", checkDays, "a year", "from 1 to 3650"},
		{"context", checkContextName, "node3-tls", ""},
		{"context space", checkContextName, "my node", "context name"},
		{"context plus, as docker allows", checkContextName, "node3+tls", ""},
	}
	for _, c := range cases {
		err := c.check(c.in)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %q refused: %v", c.name, c.in, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %q gave %v, want a message with %q", c.name, c.in, err, c.want)
		}
	}
	if err := checkCovered("tcp://[fd00::2]:2376", "node3, fd00:0::2"); err != nil {
		t.Errorf("an IPv6 SAN written another way refused: %v", err)
	}
	if err := checkCovered("tcp://node3:2376", "NODE3, 10.0.0.1"); err != nil {
		t.Errorf("a SAN differing in case refused: %v", err)
	}
	if err := checkCovered("tcp://10.0.0.2:2376", "node3"); err == nil || !strings.Contains(err.Error(), "add 10.0.0.2") {
		t.Errorf("uncovered address: %v", err)
	}
}

// FuzzFieldChecks: whatever is typed or pasted, the checks answer without
// panicking, and an accepted SSH target names a host.
func FuzzFieldChecks(f *testing.F) {
	for _, s := range []string{"local", "root@node3:22", "ssh://a@[::1]:2", "tcp://h:1", "a,b c", "@", ":::", "ssh://@:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, check := range []func(string) error{checkSSHTarget, checkClientTarget, checkSANs, checkTCPAddress, checkDays, checkContextName} {
			_ = check(s)
		}
		_ = checkCovered(s, s)
		if checkSSHTarget(s) == nil && strings.TrimSpace(s) != "local" {
			rest := strings.TrimPrefix(strings.TrimSpace(s), "ssh://")
			if _, host, ok := strings.Cut(rest, "@"); !ok || host == "" {
				t.Fatalf("accepted %q without user@host", s)
			}
		}
	})
}

// Under NO_COLOR a placeholder (the default shown in an empty field) must
// still look different from a typed answer: it is faint.
func TestNoColorPlaceholdersAreFaint(t *testing.T) {
	st := NewStyles(true, true)
	if got := st.Subtle.Render("Docker TLS CA"); !strings.Contains(got, "\x1b[2m") {
		t.Errorf("NO_COLOR placeholder %q is not faint", got)
	}
	if got := st.Text.Render("Docker TLS CA"); strings.Contains(got, "\x1b[2m") {
		t.Errorf("NO_COLOR answer %q is faint", got)
	}
}

func TestCheckIdentityFile(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(key, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key+".pub", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"":                            "",
		key:                           "",
		"keys/id_ed25519":             "", // relative to the plan: checked when the plan is
		filepath.Join(dir, "missing"): "is not on this machine",
		dir:                           "is a directory",
		key + ".pub":                  "is the public half",
	} {
		err := checkIdentityFile(in)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q refused: %v", in, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}
