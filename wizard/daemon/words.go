package daemon

import (
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// splitWords splits a command line the way systemd and a POSIX shell split
// simple words: white space separates, single and double quotes group,
// backslash escapes the next character (outside single quotes).
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	quote := rune(0)
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\' && quote != '\'':
			escaped = true
			inWord = true
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote = r
			inWord = true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, i18n.Errorf("daemon.words.unterminated", "Quote", string(quote), "Text", strconv.Quote(s))
	}
	if escaped {
		cur.WriteRune('\\')
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// quoteSystemd writes one argument for an ExecStart= line: plain when it is
// safe, else in double quotes; '%' is doubled because systemd expands
// specifiers. A "$NAME" word is left alone so systemd still expands it.
func quoteSystemd(arg string) string {
	if isEnvRef(arg) {
		return arg
	}
	arg = strings.ReplaceAll(arg, "%", "%%")
	if arg != "" && !strings.ContainsAny(arg, " \t\n\"'\\$;") {
		return arg
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "$", "$$")
	return `"` + r.Replace(arg) + `"`
}

// isEnvRef reports whether a word is a systemd environment reference
// ($NAME or ${NAME}), which systemd expands (and splits, when unbraced).
func isEnvRef(w string) bool {
	name := ""
	switch {
	case strings.HasPrefix(w, "${") && strings.HasSuffix(w, "}"):
		name = w[2 : len(w)-1]
	case strings.HasPrefix(w, "$"):
		name = w[1:]
	default:
		return false
	}
	if name == "" {
		return false
	}
	for i, r := range name {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// envRefName returns NAME for "$NAME" or "${NAME}".
func envRefName(w string) string {
	if strings.HasPrefix(w, "${") {
		return w[2 : len(w)-1]
	}
	return w[1:]
}

// parseEnvFile reads KEY=VALUE lines (an EnvironmentFile or
// /etc/default/docker): comments and blank lines are skipped, "export " is
// allowed, values may be quoted.
func parseEnvFile(text string) map[string]string {
	env := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		env[k] = v
	}
	return env
}
