package daemon

import (
	"fmt"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// planDefaultsRewrite handles init scripts (no systemd) whose DOCKER_OPTS
// carries -H or TLS flags: the DOCKER_OPTS line of the defaults file is
// rewritten without them.
func planDefaultsRewrite(l *i18n.Localizer, c *Change, n *Node) error {
	if !n.HasOpts || !n.Defaults.Exists {
		return i18n.Errorf("daemon.defaults.flags_unfound", "Host", n.Host) // the message names defaultsFiles()
	}
	text, removed, err := RewriteDockerOpts(string(n.Defaults.Data))
	if err != nil {
		return i18n.Errorf("daemon.defaults.file_error", "Path", n.Defaults.Path, "Host", n.Host, "Err", err)
	}
	if len(removed) == 0 {
		return nil
	}
	c.Notes = append(c.Notes, l.T("daemon.defaults.note.loses", "Path", n.Defaults.Path, "Flags", strings.Join(removed, " ")))
	mode := n.Defaults.Mode.Perm()
	if mode == 0 {
		mode = 0o644
	}
	c.addFile(n.Defaults, []byte(text), mode, l.T("daemon.defaults.file"))
	return nil
}

// RewriteDockerOpts removes -H and TLS flags from the DOCKER_OPTS=... line(s)
// of a defaults file and returns the new text and the removed flags.
// Everything else, comments included, is kept.
func RewriteDockerOpts(text string) (string, []string, error) {
	lines := strings.Split(text, "\n")
	var removed []string
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		prefix := ""
		if strings.HasPrefix(trimmed, "export ") {
			prefix = "export "
			trimmed = strings.TrimSpace(strings.TrimPrefix(trimmed, "export "))
		}
		if !strings.HasPrefix(trimmed, "DOCKER_OPTS=") {
			continue
		}
		value := strings.TrimPrefix(trimmed, "DOCKER_OPTS=")
		words, err := splitWords(value)
		if err != nil {
			return "", nil, i18n.Errorf("daemon.defaults.unreadable_line", "Line", fmt.Sprintf("%q", line), "Err", err)
		}
		if len(words) == 1 { // DOCKER_OPTS="a b c": the quotes grouped everything
			if inner, err := splitWords(words[0]); err == nil {
				words = inner
			}
		}
		var kept []string
		for _, a := range parseDockerdArgs(words) {
			if ownedFlag(a.Name) {
				removed = append(removed, strings.Join(a.Words, " "))
				continue
			}
			kept = append(kept, a.Words...)
		}
		if len(removed) == 0 {
			continue
		}
		quoted := make([]string, len(kept))
		for j, w := range kept {
			if strings.ContainsAny(w, " \t\"'\\$`") {
				w = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
			}
			quoted[j] = w
		}
		lines[i] = prefix + `DOCKER_OPTS="` + strings.Join(quoted, " ") + `"`
	}
	return strings.Join(lines, "\n"), removed, nil
}
