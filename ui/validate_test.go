package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/wizard/plan"
)

// uiCheck is one inline check of the TUI and the plan key it answers for.
type uiCheck struct {
	name  string
	check func(string) error
	key   string
}

var (
	uiDays     = uiCheck{"days", checkDays, "ca.days"}
	uiSSH      = uiCheck{"daemon ssh", checkSSHTarget, "daemon.ssh"}
	uiClient   = uiCheck{"client target", checkClientTarget, "client.target"}
	uiSANs     = uiCheck{"sans", checkSANs, "daemon.sans"}
	uiAddress  = uiCheck{"address", checkTCPAddress, "daemon.address"}
	uiListen   = uiCheck{"listen", checkListen, "daemon.listen"}
	uiContext  = uiCheck{"context", checkContextName, "client.context"}
	uiIdentity = uiCheck{"identity", checkIdentityFile, "daemon.identity"}
)

// planVerdict is what the plan file itself says about value as key: the
// value is written into a plan file, which is parsed and validated as the
// headless commands do, and the problems of that field are returned ("" when
// there are none). It does not go through plan.CheckField, so the test
// below proves the TUI agrees with the plan file, not with itself.
func planVerdict(t *testing.T, key, value string, extra map[string]string) string {
	t.Helper()
	fields := map[string]string{}
	for k, v := range extra {
		fields[k] = v
	}
	fields[key] = value
	sections := map[string][]string{}
	for k, v := range fields {
		if strings.TrimSpace(v) == "" {
			continue // an empty answer: the default
		}
		section, name, _ := strings.Cut(k, ".")
		var yv string
		switch {
		case name == "sans":
			var q []string
			for _, n := range plan.SplitList(v) {
				q = append(q, strconv.Quote(n))
			}
			yv = "[" + strings.Join(q, ", ") + "]"
		case name == "days":
			yv = v // a number, or text the plan must refuse as one
		default:
			yv = strconv.Quote(strings.TrimSpace(v))
		}
		sections[section] = append(sections[section], "  "+name+": "+yv)
	}
	var doc strings.Builder
	doc.WriteString("dir: ./pki\n")
	for section, lines := range sections {
		doc.WriteString(section + ":\n" + strings.Join(lines, "\n") + "\n")
	}
	p, err := plan.Parse([]byte(doc.String()), "plan.yaml")
	if err == nil {
		err = p.Validate()
	}
	var errs plan.Errors
	if err != nil && !errors.As(err, &errs) {
		t.Fatalf("%s: %v", doc.String(), err)
	}
	var msgs []string
	for _, e := range errs {
		if e.Field == key {
			msgs = append(msgs, e.Text())
		}
	}
	return strings.Join(msgs, "; ")
}

// Each inline check of the TUI gives the plan's verdict for the same input:
// refused exactly when the plan file would refuse it, in the same words.
// (Before, the TUI refused node3 without a user, and accepted
// tcp://root@node3:2376, port 99999 and a pasted ssh command, all of which
// the plan judged the other way.)
func TestFieldChecksGiveThePlansVerdict(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "id_ed25519")
	if err := os.WriteFile(key, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key+".pub", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		ui   uiCheck
		in   string
		want string // "" = accepted, else a piece of the message
	}{
		{uiSSH, "local", ""},
		{uiSSH, "root@node3", ""},
		{uiSSH, "node3", ""}, // your user name is used, as the README says
		{uiSSH, "ssh://admin@10.0.0.12:2222", ""},
		{uiSSH, "root@[fd00::2]:22", ""},
		{uiSSH, "", ""}, // the default: local
		{uiSSH, "root@node3:99999", "1 to 65535"},
		{uiSSH, "ssh -p 2222 ubuntu@127.0.0.1", "write ubuntu@127.0.0.1:2222"},
		{uiSSH, "http://node3", "only ssh://"},
		{uiClient, "", ""},
		{uiClient, "ssh://me@laptop", ""},
		{uiClient, "me@laptop", ""},
		{uiClient, "ssh -p 2200 me@laptop", "write me@laptop:2200"},
		{uiSANs, "node3, 10.0.0.12 fd00::2", ""},
		{uiSANs, "2001:db8::1", ""},
		{uiSANs, "[2001:db8::1]", "without brackets"},
		{uiSANs, " , ", ""}, // no names: derived from the address
		{uiSANs, "tcp://node3:2376", "write the host name node3, without scheme or port"},
		{uiSANs, "0.0.0.0", "0.0.0.0"},
		{uiSANs, "*.example.com", ""},
		{uiAddress, "tcp://node3:2376", ""},
		{uiAddress, "tcp://[2001:db8::1]:2376", ""},
		{uiAddress, "", ""},
		{uiAddress, "tcp://node3", "dials 2375"},
		{uiAddress, "https://node3:2376", "write tcp://node3:2376"},
		{uiAddress, "tcp://root@node3:2376", "write tcp://node3:2376"},
		{uiAddress, "tcp://node3:99999", "1 to 65535"},
		{uiAddress, "tcp://2001:db8::1:2376", "brackets"},
		{uiListen, "tcp://0.0.0.0:2376", ""},
		{uiListen, "tcp://0.0.0.0:99999", "1 to 65535"},
		{uiListen, "tcp://0.0.0.0", "no port"},
		{uiDays, "365", ""},
		{uiDays, "0", "never valid"},
		{uiDays, "5000", "3650"},
		{uiDays, "a year", "whole number"},
		{uiContext, "node3-tls", ""},
		{uiContext, "my node", "context name"},
		{uiContext, "node3+tls", ""},
		{uiIdentity, "", ""},
		{uiIdentity, key, ""},
		{uiIdentity, filepath.Join(dir, "missing"), "does not exist"},
		{uiIdentity, dir, "is a directory"},
		{uiIdentity, key + ".pub", "public half"},
	}
	for _, c := range cases {
		got := ""
		if err := c.ui.check(c.in); err != nil {
			got = err.Error()
		}
		if want := planVerdict(t, c.ui.key, c.in, nil); got != want {
			t.Errorf("%s %q: the TUI says %q, the plan file says %q", c.ui.name, c.in, got, want)
		}
		switch {
		case c.want == "" && got != "":
			t.Errorf("%s %q refused: %s", c.ui.name, c.in, got)
		case c.want != "" && !strings.Contains(got, c.want):
			t.Errorf("%s %q gave %q, want a message with %q", c.ui.name, c.in, got, c.want)
		}
	}
}

// The cross-field rule (the address must be among the SANs) is the plan's too.
func TestCheckCoveredGivesThePlansVerdict(t *testing.T) {
	for _, c := range []struct{ address, sans, want string }{
		{"tcp://[fd00::2]:2376", "node3, fd00:0::2", ""},
		{"tcp://node3:2376", "NODE3, 10.0.0.1", ""},
		{"tcp://10.0.0.2:2376", "node3", `add "10.0.0.2" to daemon.sans`},
	} {
		got := ""
		if err := checkCovered(c.address, c.sans); err != nil {
			got = err.Error()
		}
		if want := planVerdict(t, "daemon.address", c.address, map[string]string{"daemon.sans": c.sans}); got != want {
			t.Errorf("%s with sans %s: the TUI says %q, the plan file says %q", c.address, c.sans, got, want)
		}
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s with sans %s: %q, want %q", c.address, c.sans, got, c.want)
		}
	}
}

// FuzzFieldChecks: whatever is typed or pasted, the checks answer without
// panicking, and an accepted SSH target holds no space (a pasted ssh
// command is never taken for a user name).
func FuzzFieldChecks(f *testing.F) {
	for _, s := range []string{"local", "root@node3:22", "ssh://a@[::1]:2", "tcp://h:1", "a,b c", "@", ":::", "ssh://@:", "ssh -p 2222 u@h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, check := range []func(string) error{checkSSHTarget, checkClientTarget, checkSANs, checkTCPAddress, checkListen, checkDays, checkContextName} {
			_ = check(s)
		}
		_ = checkCovered(s, s)
		if checkSSHTarget(s) == nil && strings.ContainsAny(strings.TrimSpace(s), " \t") {
			t.Fatalf("accepted %q, which has a space", s)
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
