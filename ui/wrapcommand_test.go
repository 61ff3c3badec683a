package ui

import (
	"os/exec"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// A wrapped manual command is still the same command for the shell: every
// line fits, breaks are continuations outside quotes, and sh -c reads the
// wrapped text as the original words.
func TestWrapCommandKeepsCommandsRunnable(t *testing.T) {
	cmds := []string{
		"openssl req -new -x509 -days 730 -key ca-key.pem -subj '/CN=Docker TLS CA' -out ca.pem",
		"openssl x509 -req -days 730 -in daemon.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out daemon-cert.pem -extfile extfile.cnf",
		`echo 'subjectAltName = DNS:vm,IP:192.0.2.2,IP:fd00::2,DNS:localhost,IP:127.0.0.1' > extfile.cnf`,
		`docker context create node3 --docker "host=tcp://node3:2376,ca=/root/.docker/ca.pem,cert=/root/.docker/cert.pem,key=/root/.docker/key.pem"`,
	}
	for _, c := range cmds {
		got := wrapCommand(c, 40)
		lines := strings.Split(got, "\n")
		for i, l := range lines {
			if w := lipgloss.Width(l); w > 40 && !strings.HasPrefix(strings.TrimSpace(l), "'") && !strings.HasPrefix(strings.TrimSpace(l), `"`) {
				t.Errorf("line %q is %d wide", l, w)
			}
			if i < len(lines)-1 && !strings.HasSuffix(l, " \\") {
				t.Errorf("line %q of a broken command does not end with a continuation", l)
			}
		}
		if strings.Contains(got, "-\n") {
			t.Errorf("a word was broken at its hyphen:\n%s", got)
		}
		// the shell sees the same words
		echo := func(s string) string {
			out, err := exec.Command("sh", "-c", "printf '%s|' "+strings.ReplaceAll(strings.ReplaceAll(s, ">", "\\>"), ">>", "\\>\\>")).Output()
			if err != nil {
				t.Fatalf("sh: %v", err)
			}
			return string(out)
		}
		if a, b := echo(c), echo(got); a != b {
			t.Errorf("the shell reads the wrapped command differently:\n%s\n%s", a, b)
		}
	}
}

func TestWrapCommandLeavesShortAndMultiLineCommands(t *testing.T) {
	if got := wrapCommand("chmod 0400 ca-key.pem", 40); got != "chmod 0400 ca-key.pem" {
		t.Errorf("short command changed: %q", got)
	}
	doc := "sudo tee /etc/docker/daemon.json <<'EOF'\n{\"tlsverify\": true}\nEOF"
	if got := wrapCommand(doc, 60); strings.Contains(got, "\\") {
		t.Errorf("a here-document got continuations: %q", got)
	}
}
