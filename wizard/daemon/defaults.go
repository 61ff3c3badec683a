package daemon

import (
	"fmt"
	"strings"
)

// planDefaultsRewrite handles init scripts (no systemd) whose DOCKER_OPTS
// carries -H or TLS flags: the DOCKER_OPTS line of the defaults file is
// rewritten without them.
func planDefaultsRewrite(c *Change, n *Node) error {
	if !n.HasOpts || !n.Defaults.Exists {
		return fmt.Errorf("dockerd on %s is started with -H or TLS flags that dockertls cannot find in %s; remove them from wherever dockerd is started (they now belong in daemon.json)", n.Host, strings.Join(defaultsFiles(), " or "))
	}
	text, removed, err := RewriteDockerOpts(string(n.Defaults.Data))
	if err != nil {
		return fmt.Errorf("%s on %s: %w", n.Defaults.Path, n.Host, err)
	}
	if len(removed) == 0 {
		return nil
	}
	c.Notes = append(c.Notes, fmt.Sprintf("DOCKER_OPTS in %s loses %s (the settings now live in daemon.json).", n.Defaults.Path, strings.Join(removed, " ")))
	mode := n.Defaults.Mode.Perm()
	if mode == 0 {
		mode = 0o644
	}
	c.addFile(n.Defaults, []byte(text), mode, "DOCKER_OPTS without -H/TLS flags")
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
			return "", nil, fmt.Errorf("cannot read the DOCKER_OPTS line %q: %w", line, err)
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
