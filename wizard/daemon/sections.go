package daemon

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// The inspection scripts answer in sections, so that one command over SSH
// (one round trip, ~150–250 ms with sudo) tells what two dozen did before.
// A section is two lines: a header "=KIND FIELD..." whose fields hold no
// spaces (paths travel base64-encoded), then the body base64-encoded on one
// line (empty when there is none). Base64 keeps file contents, NUL-separated
// /proc files and stray "=" lines from ever looking like a header.

// section is one part of a script's answer.
type section struct {
	Kind   string
	Fields []string
	Body   []byte
}

// field returns the i-th field, "" when there is none.
func (s section) field(i int) string {
	if i < len(s.Fields) {
		return s.Fields[i]
	}
	return ""
}

// parseSections reads a script's answer. Anything that is not a header
// followed by a base64 body is an error that quotes the line, so a shell
// that printed something unexpected (a sudo lecture, a missing base64)
// is reported instead of misread.
func parseSections(out []byte) ([]section, error) {
	var secs []section
	if len(out) == 0 {
		return nil, nil
	}
	// Every line ends with a newline: the last split element is empty.
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	for i := 0; i < len(lines); i += 2 {
		head := strings.TrimRight(lines[i], "\r")
		if !strings.HasPrefix(head, "=") || len(head) < 2 {
			return nil, i18n.Errorf("daemon.answer.unexpected_line", "Line", i+1, "Text", strconv.Quote(clip(head)))
		}
		f := strings.Split(head[1:], " ")
		if f[0] == "" {
			return nil, i18n.Errorf("daemon.answer.unexpected_line", "Line", i+1, "Text", strconv.Quote(clip(head)))
		}
		if i+1 >= len(lines) {
			return nil, i18n.Errorf("daemon.answer.cut_short", "Header", strconv.Quote(clip(head)))
		}
		body, err := base64.StdEncoding.DecodeString(strings.TrimSpace(lines[i+1]))
		if err != nil {
			return nil, i18n.Errorf("daemon.answer.not_base64", "Line", i+2, "Err", err, "Text", strconv.Quote(clip(lines[i+1])))
		}
		secs = append(secs, section{Kind: f[0], Fields: f[1:], Body: body})
	}
	return secs, nil
}

// decodePath reads a base64 path field; a field that is not base64 yields
// "" (no file is named "").
func decodePath(field string) string {
	p, err := base64.StdEncoding.DecodeString(field)
	if err != nil {
		return ""
	}
	return string(p)
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
