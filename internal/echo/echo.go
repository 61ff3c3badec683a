// Package echo is how an error shows what the user typed: capped, so a
// 10 MB value gives a short error, and with control characters escaped
// (NUL, ESC, …), so a value never rewrites the terminal it is shown on.
// Every message that echoes input goes through it.
package echo

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxRunes is how much of a value an error shows: any real path or name
// fits.
const MaxRunes = 256

// maxText is how long a composed message part may be (see Text).
const maxText = 1000

// Value is v quoted as Go's %q does (control characters escaped), capped at
// MaxRunes with its full size said after the quotes: "AAAA…" (10485760 bytes).
func Value(v string) string {
	head, cut := capRunes(v, MaxRunes)
	if !cut {
		return strconv.Quote(v)
	}
	return fmt.Sprintf("%s (%d bytes)", strconv.Quote(head+"…"), len(v))
}

// Bare is Value without the quotes, for a value inside other text.
func Bare(v string) string {
	head, cut := capRunes(v, MaxRunes)
	if !cut {
		return escape(v)
	}
	return fmt.Sprintf("%s… (%d bytes)", escape(head), len(v))
}

// Text makes a composed message safe to print: control characters other
// than newline and tab escaped, invalid UTF-8 replaced, and capped at a few
// hundred characters, for text that may carry a value no Value capped.
func Text(s string) string {
	s = escapeKeeping(s, "\n\t")
	head, cut := capRunes(s, maxText)
	if cut {
		return head + "…"
	}
	return s
}

// Arg wraps a value for fmt: %q prints Value, %s and %v print Bare. Code that
// formats messages from arguments it does not know (a format string and
// its args) wraps each string argument.
type Arg string

// Format implements fmt.Formatter.
func (a Arg) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		_, _ = f.Write([]byte(Value(string(a))))
		return
	}
	_, _ = f.Write([]byte(Bare(string(a))))
}

// Args wraps every string (and error text) among args in Arg.
func Args(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = Arg(v)
		default:
			out[i] = a
		}
	}
	return out
}

func capRunes(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	i, count := 0, 0
	for i < len(s) && count < n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	return s[:i], true
}

func escape(s string) string { return escapeKeeping(s, "") }

// escapeKeeping writes control characters (and invalid bytes) as \xNN or
// \uNNNN, except those in keep.
func escapeKeeping(s, keep string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) && !strings.ContainsRune(keep, r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) && !strings.ContainsRune(keep, r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}
