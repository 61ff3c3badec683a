package echo

import (
	"fmt"
	"strings"
	"testing"
)

func TestValueCapsAndEscapes(t *testing.T) {
	big := strings.Repeat("A", 10<<20)
	if got := Value(big); len(got) > MaxRunes+40 || !strings.Contains(got, "(10485760 bytes)") {
		t.Errorf("Value of 10 MB = %.120q… (%d bytes), want a short one that says the size", got, len(got))
	}
	for _, tc := range []struct{ in, value, bare string }{
		{"a\x00b\x1b[31mred", `"a\x00b\x1b[31mred"`, `a\x00b\x1b[31mred`},
		{"node3", `"node3"`, "node3"},
		{"\xff", `"\xff"`, `\xff`},
	} {
		if got := Value(tc.in); got != tc.value {
			t.Errorf("Value(%q) = %s, want %s", tc.in, got, tc.value)
		}
		if got := Bare(tc.in); got != tc.bare {
			t.Errorf("Bare(%q) = %s, want %s", tc.in, got, tc.bare)
		}
	}
	if got := fmt.Sprintf("%q and %s", Args([]any{"x\x1by", big})...); strings.ContainsRune(got, 0x1b) || len(got) > MaxRunes+60 {
		t.Errorf("Args: %q", got)
	}
	if got := Text("line 1\n\tline 2 \x1b[2J"); got != "line 1\n\tline 2 \\x1b[2J" {
		t.Errorf("Text = %q", got)
	}
}
