package shellquote

import (
	"os/exec"
	"strings"
	"testing"
)

func TestPOSIXRoundTripsThroughARealShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	words := []string{"", "plain/path-1.2", "a b", "it's", `$(id)`, "`id`", "x\ny; touch /tmp/pwned", "\\", "-oProxyCommand=x", "*", "~", "tab\there", "ü ‘’"}
	out, err := exec.Command(sh, "-c", `for w in `+POSIXJoin(words)+`; do printf '%s\0' "$w"; done`).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(got) != len(words) {
		t.Fatalf("got %d words %q, want %d", len(got), got, len(words))
	}
	for i := range words {
		if got[i] != words[i] {
			t.Errorf("word %d: got %q, want %q", i, got[i], words[i])
		}
	}
}

func TestPowerShell(t *testing.T) {
	for in, want := range map[string]string{
		`C:\it's`:              `'C:\it''s'`,
		"‘quoted’ ‚x‛":         "'‘‘quoted’’ ‚‚x‛‛'",
		"a\nb":                 "('a'+[char]10+'b')",
		"x\r\nRemove-Item y #": "('x'+[char]13+''+[char]10+'Remove-Item y #')",
		`"$(double)"`:          `'"$(double)"'`,
	} {
		got := PowerShell(in)
		if got != want {
			t.Errorf("PowerShell(%q) = %s, want %s", in, got, want)
		}
		if strings.ContainsAny(got, "\r\n") {
			t.Errorf("PowerShell(%q) spans lines: %q", in, got)
		}
	}
}

func TestCmd(t *testing.T) {
	if got, err := Cmd(`C:\Users\a b & c`); err != nil || got != `"C:\Users\a b & c"` {
		t.Errorf("Cmd: %q, %v", got, err)
	}
	for _, bad := range []string{"C:\\a\nDEL /Q C:\\x", "a\rb", `a"b`, "a\x00b"} {
		if got, err := Cmd(bad); err == nil {
			t.Errorf("Cmd(%q) = %q, want an error", bad, got)
		}
	}
}

func TestPOSIX(t *testing.T) {
	for in, want := range map[string]string{
		"":        "''",
		"abc":     "abc",
		"a b":     "'a b'",
		"it's":    `'it'\''s'`,
		"$(id)":   "'$(id)'",
		"/etc/x":  "/etc/x",
		"~/x":     "'~/x'",
		"a;b":     "'a;b'",
		"--flag=": "--flag=",
	} {
		if got := POSIX(in); got != want {
			t.Errorf("POSIX(%q) = %s, want %s", in, got, want)
		}
	}
}
