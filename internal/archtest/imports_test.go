// Package archtest checks the import rules of ARCHITECTURE.md, so a change
// that breaks the layering fails `make test` instead of a review.
package archtest

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/dockertls/dockertls"

// graph maps each package of the module (without the module prefix) to its
// direct imports (ours without the prefix, others as they are).
func graph(t *testing.T) map[string][]string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	g := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		var imps []string
		for _, imp := range f[1:] {
			imps = append(imps, strings.TrimPrefix(imp, module+"/"))
		}
		g[strings.TrimPrefix(f[0], module+"/")] = imps
	}
	if len(g) < 10 {
		t.Fatalf("go list found only %d packages", len(g))
	}
	return g
}

func ours(g map[string][]string, imp string) bool { _, ok := g[imp]; return ok }

// deps is every package of ours that pkg needs, directly or not.
func deps(g map[string][]string, pkg string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		for _, imp := range g[p] {
			if ours(g, imp) && !seen[imp] {
				seen[imp] = true
				walk(imp)
			}
		}
	}
	walk(pkg)
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func under(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }

func TestImportRules(t *testing.T) {
	g := graph(t)
	for pkg := range g {
		all := deps(g, pkg)
		switch {
		case under(pkg, "pki"), under(pkg, "remote"):
			// The libraries stand alone: nothing of ours but internal/
			// (and assets, where internal/i18n reads its catalogs).
			for _, d := range all {
				if !under(d, "internal") && d != "assets" {
					t.Errorf("%s needs %s: pki and remote import nothing of ours outside internal/ (and assets through internal/i18n)", pkg, d)
				}
			}
		case under(pkg, "wizard"):
			for _, d := range all {
				if under(d, "ui") || under(d, "cmd") {
					t.Errorf("%s needs %s: wizard/... knows no front end", pkg, d)
				}
			}
		}
		if pkg == "wizard/netaddr" || pkg == "wizard/fix" {
			// assets is the data internal/i18n reads its catalogs from.
			for _, d := range all {
				if !under(d, "internal") && d != "assets" {
					t.Errorf("%s needs %s: it is a leaf that everyone may import (internal/ only, and assets through internal/i18n)", pkg, d)
				}
			}
		}
		if under(pkg, "wizard/plan") && slices.Contains(all, "wizard") {
			t.Errorf("%s needs the wizard root package: the plan is below the engine", pkg)
		}
		for _, imp := range g[pkg] {
			if under(imp, "cmd") {
				t.Errorf("%s imports %s: nothing imports the command", pkg, imp)
			}
			if under(pkg, "ui") && strings.Contains(imp, "yaml") {
				t.Errorf("%s imports %s: the TUI reads and writes plans only through wizard/plan", pkg, imp)
			}
		}
	}
}
