// Package shellquote turns text into one literal word for each shell
// dockertls prints commands for: POSIX sh (bash, zsh, dash, the remote
// login shell), fish, PowerShell and cmd.exe. Every command dockertls shows
// or runs through a shell quotes its values here, and nowhere else.
package shellquote

import (
	"fmt"
	"strings"
	"unicode"
)

// POSIX makes s one literal word for a POSIX shell: as it is when it holds
// only characters no shell treats specially, else in single quotes (a
// single quote inside is closed, escaped and reopened). Newlines and other control characters stay inside
// the quotes, so they cannot end the command.
func POSIX(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@%+=,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// POSIXJoin quotes every word with POSIX and joins them with spaces.
func POSIXJoin(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = POSIX(w)
	}
	return strings.Join(q, " ")
}

// Fish makes s one literal word for fish: single quotes, in which only \
// and ' are special.
func Fish(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// powerShellQuotes are the characters PowerShell reads as a single quote:
// ' and the typographic ‘ ’ ‚ ‛, each doubled inside a single-quoted string.
const powerShellQuotes = "'\u2018\u2019\u201a\u201b"

// PowerShell makes s one literal string for PowerShell: single-quoted, with
// every character PowerShell takes for a single quote doubled. A control
// character (a newline above all: `dockertls env | Invoke-Expression` runs
// each line on its own) is spliced in as [char]N, so the string stays on
// one line: ('a'+[char]10+'b').
func PowerShell(s string) string {
	var b strings.Builder
	parts := 0
	b.WriteString("'")
	for _, r := range s {
		switch {
		case strings.ContainsRune(powerShellQuotes, r):
			b.WriteRune(r)
			b.WriteRune(r)
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, "'+[char]%d+'", r)
			parts++
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString("'")
	if parts > 0 {
		return "(" + b.String() + ")"
	}
	return b.String()
}

// Cmd makes s one double-quoted word for cmd.exe, as in SET "NAME=value"
// (the quotes keep & | < > ^ literal). cmd.exe has no way to write a line
// break, another control character or a " inside quotes: s holding one is
// an error, never a string that would run the rest as a command.
func Cmd(s string) (string, error) {
	for _, r := range s {
		if unicode.IsControl(r) || r == '"' {
			return "", fmt.Errorf("%q cannot be written for cmd.exe: it holds %q, which cmd cannot quote", s, r)
		}
	}
	return `"` + s + `"`, nil
}
