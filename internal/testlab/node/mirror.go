package node

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// MirrorEnv overrides the Debian mirror debootstrap uses. Without it the
// mirror is the one apt on this machine already uses: the repository never
// names a mirror host.
const MirrorEnv = "DOCKERTLS_E2E_MIRROR"

// debianMirror finds the Debian mirror that serves suite in this machine's
// apt sources (deb822 *.sources files first, then sources.list).
func debianMirror(suite string) (string, error) {
	if m := strings.TrimSpace(os.Getenv(MirrorEnv)); m != "" {
		return m, nil
	}
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	for _, f := range files {
		if m := mirrorFromDeb822(f, suite); m != "" {
			return m, nil
		}
	}
	lists, _ := filepath.Glob("/etc/apt/sources.list.d/*.list")
	for _, f := range append([]string{"/etc/apt/sources.list"}, lists...) {
		if m := mirrorFromList(f, suite); m != "" {
			return m, nil
		}
	}
	return "", fmt.Errorf("no apt source on this machine serves Debian %q (looked in /etc/apt/sources.list and /etc/apt/sources.list.d): set %s to a Debian mirror URL", suite, MirrorEnv)
}

// mirrorFromDeb822 returns the first URI of a "Types: deb" stanza whose
// Suites include suite exactly (so bookworm-security does not count).
func mirrorFromDeb822(path, suite string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	for _, stanza := range strings.Split(string(b), "\n\n") {
		fields := map[string]string{}
		for _, line := range strings.Split(stanza, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			k, v, ok := strings.Cut(line, ":")
			if ok {
				fields[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
			}
		}
		if strings.EqualFold(fields["enabled"], "no") || !hasWord(fields["types"], "deb") || !hasWord(fields["suites"], suite) {
			continue
		}
		if uris := strings.Fields(fields["uris"]); len(uris) > 0 {
			return uris[0]
		}
	}
	return ""
}

// mirrorFromList reads one-line "deb [options] URI suite components" entries.
func mirrorFromList(path, suite string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.Fields(sc.Text())
		if len(w) < 3 || w[0] != "deb" {
			continue
		}
		w = w[1:]
		if strings.HasPrefix(w[0], "[") {
			for len(w) > 0 && !strings.HasSuffix(w[0], "]") {
				w = w[1:]
			}
			if len(w) > 0 {
				w = w[1:]
			}
		}
		if len(w) >= 2 && w[1] == suite {
			return w[0]
		}
	}
	return ""
}

func hasWord(list, word string) bool {
	for _, w := range strings.Fields(list) {
		if w == word {
			return true
		}
	}
	return false
}
