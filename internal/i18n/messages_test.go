package i18n

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"

	"gopkg.in/yaml.v3"

	"github.com/dockertls/dockertls/assets"
)

// messages reads one language's message files (LANG.yaml and every
// AREA.LANG.yaml) as id → forms (a plain message is the single form
// "other"). An id in two files of one language is an error: which one
// wins would depend on load order.
func messages(t *testing.T, l Lang) map[string]map[string]string {
	t.Helper()
	files, err := MessageFiles(l)
	if err != nil || len(files) == 0 {
		t.Fatalf("message files of %s: %v %v", l, files, err)
	}
	out := map[string]map[string]string{}
	from := map[string]string{}
	for _, file := range files {
		for id, forms := range messageFile(t, file) {
			if other, dup := from[id]; dup {
				t.Errorf("%s is in both %s and %s", id, other, file)
			}
			from[id] = file
			out[id] = forms
		}
	}
	return out
}

// messageFile reads one message file as id → forms.
func messageFile(t *testing.T, file string) map[string]map[string]string {
	t.Helper()
	data, err := assets.FS.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	out := map[string]map[string]string{}
	for id, v := range raw {
		switch v := v.(type) {
		case string:
			out[id] = map[string]string{"other": v}
		case map[string]any:
			forms := map[string]string{}
			for form, text := range v {
				s, ok := text.(string)
				if !ok || !slices.Contains([]string{"zero", "one", "two", "few", "many", "other"}, form) {
					t.Fatalf("%s: %s.%s: want plural forms (one, other) with text", file, id, form)
				}
				forms[form] = s
			}
			if forms["other"] == "" {
				t.Fatalf("%s: %s has plural forms but no 'other'", file, id)
			}
			out[id] = forms
		default:
			t.Fatalf("%s: %s: want text or plural forms, got %T", file, id, v)
		}
	}
	return out
}

// placeholders are the {{.Name}} fields a message uses, sorted.
func placeholders(t *testing.T, where, text string) []string {
	t.Helper()
	tmpl, err := template.New("").Parse(text)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	seen := map[string]bool{}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			seen[n.Ident[0]] = true
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		}
	}
	if tmpl.Tree != nil {
		walk(tmpl.Root)
	}
	return slices.Sorted(maps.Keys(seen))
}

// TestEveryKeyInEveryLanguage is the missing-key test: every message of
// the English file exists in every other language with the same
// placeholders in every plural form, and no language has a key English
// lacks (a leftover of a renamed message).
func TestEveryKeyInEveryLanguage(t *testing.T) {
	en := messages(t, English)
	if len(en) == 0 {
		t.Fatal("en.yaml has no messages")
	}
	for _, l := range Langs()[1:] {
		other := messages(t, l)
		for _, id := range slices.Sorted(maps.Keys(en)) {
			forms, ok := other[id]
			if !ok {
				t.Errorf("%s.yaml lacks %s (en: %q)", l, id, en[id]["other"])
				continue
			}
			want := placeholders(t, "en.yaml "+id, en[id]["other"])
			for form, text := range forms {
				if got := placeholders(t, string(l)+".yaml "+id, text); !slices.Equal(got, want) {
					t.Errorf("%s.yaml %s (%s) uses placeholders %v, en uses %v", l, id, form, got, want)
				}
			}
		}
		for id := range other {
			if _, ok := en[id]; !ok {
				t.Errorf("%s.yaml has %s, which en.yaml does not (renamed or removed?)", l, id)
			}
		}
	}
}

// literal is what must read the same in every language: commands, flags,
// file names, environment variables, plan fields (ca.passphrase_env).
var literal = regexp.MustCompile(`--[a-z][a-z-]+|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b[\w.-]+\.(?:pem|json|yaml|md|conf|socket|service|sh)\b|\b[a-z]+\.[a-z]+_[a-z_]+\b|\{\{[^}]*\}\}`)

// TestLiteralsUntranslated: a flag, file name, variable or plan field in an
// English message appears unchanged in its translations.
func TestLiteralsUntranslated(t *testing.T) {
	en := messages(t, English)
	for _, l := range Langs()[1:] {
		other := messages(t, l)
		for id, forms := range en {
			for _, lit := range literal.FindAllString(forms["other"], -1) {
				if tr, ok := other[id]; ok && !strings.Contains(tr["other"], lit) {
					t.Errorf("%s.yaml %s: %q is missing (never translated)", l, id, lit)
				}
			}
		}
	}
}

// TestStepTextsInEveryLanguage: every step explanation has a zh and a de
// version that keeps its file names, flags and variables.
func TestStepTextsInEveryLanguage(t *testing.T) {
	names, err := assets.FS.ReadDir("steps")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range names {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") || e.Name() == "README.md" {
			continue
		}
		n++
		en, _ := assets.FS.ReadFile("steps/" + e.Name())
		for _, l := range Langs()[1:] {
			tr, err := assets.FS.ReadFile("steps/" + string(l) + "/" + e.Name())
			if err != nil {
				t.Errorf("steps/%s/%s is missing", l, e.Name())
				continue
			}
			for _, lit := range literal.FindAllString(string(en), -1) {
				if !strings.Contains(string(tr), lit) {
					t.Errorf("steps/%s/%s lacks %q (never translated)", l, e.Name(), lit)
				}
			}
		}
	}
	if n != 7 {
		t.Errorf("found %d step texts, want 7", n)
	}
}
