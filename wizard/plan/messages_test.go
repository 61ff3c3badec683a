package plan

import (
	"strings"
	"testing"
)

// An error echoes a value short and escaped: a 10 MB common name gives a
// short error, and NUL or ESC in a value never reach the terminal raw.
func TestErrorsEchoValuesShortAndEscaped(t *testing.T) {
	huge := strings.Repeat("A", 10<<20)
	err := parseAndValidate(t, "daemon:\n  ssh: u@node3\n  common_name: "+huge+"\n")
	if err == nil || len(err.Error()) > 2000 || !strings.Contains(err.Error(), "(10485760 bytes)") {
		t.Fatalf("10 MB common_name: %d bytes of error, want a short one that says the size", len(err.Error()))
	}
	for _, doc := range []string{
		"daemon:\n  ssh: u@node3\n  sans: [\"x\\e[2J\\0\"]\n",
		"daemon:\n  ssh: \"u@no\\0de\\e[31m3:22:33\"\n",
		"daemon:\n  ssh: u@node3\n  common_name: \"\\e[2J\"\n  address: \"tcp://\\e[2J\"\n",
	} {
		err := parseAndValidate(t, doc)
		if err == nil {
			t.Fatalf("%q: no error", doc)
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\x00\x1b") {
			t.Errorf("%q: the error prints a control character raw: %q", doc, msg)
		}
	}
}

// An unclosed { or [ is reported on its own line (yaml.v3 says one line
// early), with how to close it.
func TestUnclosedBracketIsOnItsLine(t *testing.T) {
	for _, tc := range []struct {
		doc, want string
	}{
		{"daemon:\n  ssh: u@node3\n  sans: {node3\n  common_name: x\n", "plan.yaml:3: not valid YAML"},
		{"daemon:\n  ssh: u@node3\n  sans: [node3,\n    b\nclient:\n  target: local\n", "plan.yaml:3: not valid YAML"},
		{"daemon: [unclosed\n", "plan.yaml:1: not valid YAML"},
	} {
		_, err := Parse([]byte(tc.doc), "plan.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "close the") {
			t.Errorf("%q: %v, want %q and how to close it", tc.doc, err, tc.want)
		}
	}
}

// A second YAML document is refused on its line, not silently ignored; a
// trailing --- alone is harmless.
func TestSecondDocumentIsRefused(t *testing.T) {
	_, err := Parse([]byte("daemon:\n  ssh: u@node3\n---\nca:\n  key: rsa-1024\n"), "plan.yaml")
	if err == nil || !strings.Contains(err.Error(), "plan.yaml:3: a second YAML document starts here") {
		t.Fatalf("two documents: %v", err)
	}
	if _, err := Parse([]byte("daemon:\n  ssh: u@node3\n---\n"), "plan.yaml"); err != nil {
		t.Fatalf("a trailing ---: %v", err)
	}
}
