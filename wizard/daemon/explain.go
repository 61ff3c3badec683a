package daemon

import (
	"regexp"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// explanation maps one known dockerd startup error to plain words: the
// messages daemon.explain.ID.cause and .fix, the cause filled with What
// (the part of the log line it names).
type explanation struct {
	re   *regexp.Regexp
	id   string
	what func(m []string) string // nil: the cause names nothing from the line
}

// explanations are tried in order on each log line, newest line first; the
// first match wins. The patterns are the messages dockerd 20.10–28 print.
// The start limit comes last: it is reported only when nothing more
// specific is in the log.
func explanations() []explanation {
	group := func(i int) func([]string) string {
		return func(m []string) string { return strings.TrimSpace(m[i]) }
	}
	return []explanation{
		{regexp.MustCompile(`directives are specified both as a flag and in the configuration file: (.*)`), "flag_and_file", group(1)},
		{regexp.MustCompile(`directives don't match any configuration option: (.*)`), "unknown_key", group(1)},
		{regexp.MustCompile(`(?i)(?:listen tcp ([^ ]*?):? ?bind: |listening socket \(([^)]*)\): )?address already in use`), "address_in_use",
			func(m []string) string { return m[1] + m[2] }},
		{regexp.MustCompile(`failed to parse private key|Make sure the key is not encrypted`), "key_encrypted", nil},
		{regexp.MustCompile(`private key does not match public key`), "key_mismatch", nil},
		{regexp.MustCompile(`(?:open|read) ([^:]+): no such file or directory`), "file_missing", group(1)},
		{regexp.MustCompile(`(?:open|read) ([^:]+): permission denied`), "permission", group(1)},
		{regexp.MustCompile(`Could not read CA certificate|failed to append certificates from PEM|unable to load CA`), "ca_unreadable", nil},
		{regexp.MustCompile(`Could not load X509 key pair|could not load x509 key pair|failed to find any PEM data`), "pair_unreadable", nil},
		{regexp.MustCompile(`unable to configure the Docker daemon with file ([^:]+): (.*)`), "config_file",
			func(m []string) string { return m[1] + ": " + strings.TrimSpace(m[2]) }},
		{regexp.MustCompile(`no sockets found via socket activation`), "socket_activation", nil},
		{regexp.MustCompile(`failed to dial "?([^" ]*containerd[^" ]*)"?|containerd: connection refused`), "containerd", nil},
		{regexp.MustCompile(`Start request repeated too quickly|start of the service was attempted too often|start-limit-hit`), "start_limit", nil},
	}
}

// words renders an explanation's cause and fix in l's language.
func (e explanation) words(l *i18n.Localizer, m []string) (cause, fix string) {
	what := ""
	if e.what != nil && m != nil {
		what = e.what(m)
	}
	id := "daemon.explain." + e.id
	if e.id == "address_in_use" && what == "" {
		id += "_somewhere"
	}
	return l.T(id+".cause", "What", what), l.T("daemon.explain." + e.id + ".fix")
}

// Explain maps a dockerd log (journalctl output or the daemon's own log)
// to the cause in plain words and the fix, in l's language. Unknown logs
// give the last error line as the cause and a generic fix. The start-limit
// message is only reported when nothing more specific is in the log.
func Explain(l *i18n.Localizer, log string) (cause, fix string) {
	lines := strings.Split(strings.TrimSpace(log), "\n")
	explanations := explanations()
	limit := -1
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		for k, e := range explanations {
			m := e.re.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			if k == len(explanations)-1 {
				if limit < 0 {
					limit = k
				}
				break
			}
			return e.words(l, m)
		}
	}
	if limit >= 0 {
		return explanations[limit].words(l, nil)
	}
	for i := len(lines) - 1; i >= 0; i-- {
		ll := strings.ToLower(lines[i])
		if strings.Contains(ll, "level=fatal") || strings.Contains(ll, "failed to start") || strings.Contains(ll, "level=error") {
			return l.T("daemon.explain.other.cause", "Line", strings.TrimSpace(lines[i])), l.T("daemon.explain.other.fix")
		}
	}
	return "", ""
}
