package levenshtein

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"doctor", "doctor", 0},
		{"docter", "doctor", 1},
		{"aply", "apply", 1},
		{"comon_name", "common_name", 1},
		{"kitten", "sitting", 3},
		{"verfiy", "verify", 2},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
