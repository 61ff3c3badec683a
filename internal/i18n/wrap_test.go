package i18n

import (
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  string
	}{
		{"the daemon accepts only clients", 12, "the daemon\naccepts only\nclients"},
		{"守护进程只接受客户端", 8, "守护进程\n只接受客\n户端"},
		// never before 。 or ）, never after （
		{"证书颁发机构。守护进程", 12, "证书颁发机\n构。守护进程"},
		{"私钥（ca-key.pem）是最要紧的文件", 16, "私钥\n（ca-key.pem）是\n最要紧的文件"},
		{"只有 root 能读私钥", 10, "只有 root\n能读私钥"},
		{"a\n\nb c", 1, "a\n\nb\nc"},
		{"abcdefghij", 4, "abcd\nefgh\nij"},
		{"  indented text", 40, "  indented text"},
		{"", 10, ""},
	} {
		if got := Wrap(c.in, c.width); got != c.want {
			t.Errorf("Wrap(%q, %d) =\n%s\nwant\n%s", c.in, c.width, got, c.want)
		}
	}
}

// TestWrapFitsEveryStepText wraps every step explanation in every language
// at the widths of the golden screens: no line is wider, and no command or
// file name is cut.
func TestWrapFitsEveryStepText(t *testing.T) {
	for _, l := range Langs() {
		loc := New(l)
		for _, step := range []string{"ca", "daemon-cert", "client-cert", "distribute", "daemon-config", "client-env", "verify"} {
			for _, p := range loc.Paragraphs("steps/" + step + ".md") {
				for _, width := range []int{36, 56, 76} {
					out := Wrap(p, width)
					for _, line := range strings.Split(out, "\n") {
						if Width(line) > width {
							t.Errorf("%s %s at %d: line %q is %d wide", l, step, width, line, Width(line))
						}
					}
					for _, name := range []string{"ca-key.pem", "daemon.json", "DOCKER_CERT_PATH", "ca.passphrase_env"} {
						if strings.Contains(p, name) && !strings.Contains(out, name) {
							t.Errorf("%s %s at %d: %s was cut", l, step, width, name)
						}
					}
				}
			}
		}
	}
}
