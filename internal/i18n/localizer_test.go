package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestChoose(t *testing.T) {
	for _, c := range []struct {
		flag string
		env  map[string]string
		want Lang
	}{
		{"", nil, English},
		{"", map[string]string{"LANG": "zh_CN.UTF-8"}, Chinese},
		{"", map[string]string{"LANG": "de_DE.UTF-8"}, German},
		{"", map[string]string{"LANG": "de_AT@euro"}, German},
		{"", map[string]string{"LANG": "C.UTF-8"}, English},
		{"", map[string]string{"LANG": "POSIX"}, English},
		{"", map[string]string{"LANG": "fr_FR.UTF-8"}, English},
		{"", map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "de_DE.UTF-8"}, Chinese},
		{"", map[string]string{"LC_ALL": "de_DE.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, German},
		// The first locale variable that is set decides, even in a language we lack.
		{"", map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "de_DE.UTF-8"}, English},
		{"", map[string]string{"DOCKERTLS_LANG": "zh", "LC_ALL": "de_DE.UTF-8"}, Chinese},
		{"de", map[string]string{"DOCKERTLS_LANG": "zh", "LC_ALL": "zh_CN.UTF-8"}, German},
		{"zh-Hans", nil, Chinese},
		{"EN", map[string]string{"LANG": "zh_CN.UTF-8"}, English},
	} {
		got, err := Choose(c.flag, func(k string) string { return c.env[k] })
		if err != nil || got != c.want {
			t.Errorf("Choose(%q, %v) = %q, %v; want %q", c.flag, c.env, got, err, c.want)
		}
	}
}

func TestChooseRefusesUnknownNames(t *testing.T) {
	if _, err := Choose("fr", func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "en (English), zh (中文) or de (Deutsch)") {
		t.Errorf("--lang fr: err = %v, want the languages to choose from", err)
	}
	_, err := Choose("", func(k string) string {
		if k == EnvLang {
			return "klingon"
		}
		return ""
	})
	if err == nil || !strings.HasPrefix(err.Error(), "DOCKERTLS_LANG: ") {
		t.Errorf("DOCKERTLS_LANG=klingon: err = %v, want it named", err)
	}
}

func TestTranslateAndFallBack(t *testing.T) {
	if got := New(Chinese).T("step.ca.title"); got != "创建证书颁发机构（CA）" {
		t.Errorf("zh step.ca.title = %q", got)
	}
	if got := New(German).T("apply.stopped", "Steps", "verify"); got != "abgebrochen; nicht ausgeführt: verify" {
		t.Errorf("de apply.stopped = %q", got)
	}
	var none *Localizer
	if got := none.T("step.ca.title"); got != "Create the certificate authority" {
		t.Errorf("nil Localizer = %q, want English", got)
	}
	if none.Lang() != English {
		t.Errorf("nil Localizer speaks %q", none.Lang())
	}
	unknown, stopped := "no.such.message", "apply.stopped" // variables: TestCodeUsesKnownKeys reads literals
	if got := New(Chinese).T(unknown); got != unknown {
		t.Errorf("unknown id = %q, want the id", got)
	}
	// A placeholder the caller forgot is not rendered as "<no value>".
	if got := New(German).T(stopped); strings.Contains(got, "no value") {
		t.Errorf("missing placeholder rendered as %q", got)
	}
}

func TestReadFileFallsBackToEnglish(t *testing.T) {
	en, err := New(English).ReadFile("templates/README.md")
	if err != nil {
		t.Fatal(err)
	}
	zh, err := New(Chinese).ReadFile("templates/README.md")
	if err != nil || string(zh) != string(en) {
		t.Errorf("untranslated asset in zh = %q, %v; want the English file", zh, err)
	}
}

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{
		"":                      0,
		"daemon":                6,
		"守护进程":                  8,
		"daemon 模式":             11,
		"Zertifizierungsstelle": 21,
		"\x1b[1m证书\x1b[0m":      4,
		"ab\n守护进程":              8,
	} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
	if got := PadRight("证书", 6); got != "证书  " {
		t.Errorf("PadRight = %q", got)
	}
}

// keyLike is what a message id looks like; other T("...") calls are not ours.
var keyLike = regexp.MustCompile(`^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$`)

// messageCall is a call that names a message: X.T, X.N, X.Msg's
// i18n.M and i18n.Errorf (in package i18n itself, its tests' calls).
func messageCall(sel *ast.SelectorExpr) bool {
	switch sel.Sel.Name {
	case "T", "N":
		return true
	case "M", "Errorf":
		pkg, ok := sel.X.(*ast.Ident)
		return ok && pkg.Name == "i18n"
	}
	return false
}

// TestCodeUsesKnownKeys reads every Go file of the module: each
// X.T("id", "Name", v, ...), X.N("id", n, ...), i18n.M("id", ...) and
// i18n.Errorf("id", ...) names a message that the English catalogs have, and passes every placeholder that message uses (a forgotten
// one would fall back to English at run time).
func TestCodeUsesKnownKeys(t *testing.T) {
	en := messages(t, English)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	calls := 0
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !messageCall(sel) {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			if !keyLike.MatchString(id) {
				return true
			}
			calls++
			where := fset.Position(call.Pos()).String()
			msg, ok := en[id]
			if !ok {
				t.Errorf("%s: message %q is not in en.yaml", where, id)
				return true
			}
			rest := call.Args[1:]
			passed := []string{}
			if sel.Sel.Name == "N" && len(rest) > 0 {
				rest = rest[1:]
				passed = append(passed, "Count")
			}
			for i := 0; i < len(rest); i += 2 {
				if name, ok := rest[i].(*ast.BasicLit); ok && name.Kind == token.STRING {
					s, _ := strconv.Unquote(name.Value)
					passed = append(passed, s)
				} else if _, spread := call.Ellipsis, true; spread && call.Ellipsis.IsValid() {
					return true // kv... built elsewhere: cannot be read here
				}
			}
			for _, form := range msg {
				for _, want := range placeholders(t, "en.yaml "+id, form) {
					if !slices.Contains(passed, want) {
						t.Errorf("%s: %s uses {{.%s}}, which the call does not pass", where, id, want)
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d message calls checked", calls)
}

func TestParagraphs(t *testing.T) {
	en := New(English).Paragraphs("steps/ca.md")
	if len(en) != 3 || !strings.HasPrefix(en[0], "A certificate authority (CA) is a key pair plus a self-signed certificate (ca.pem) that") {
		t.Errorf("en ca.md paragraphs = %q", en)
	}
	zh := New(Chinese).Paragraphs("steps/ca.md")
	if len(zh) != 3 || !strings.HasPrefix(zh[0], "证书颁发机构（CA）") || strings.Contains(zh[0], "\n") {
		t.Errorf("zh ca.md paragraphs = %q", zh)
	}
	if got := joinLines([]string{"守护进程只接受", "客户端", "and then", "more"}); got != "守护进程只接受客户端and then more" {
		t.Errorf("joinLines = %q", got)
	}
	if New(German).Paragraphs("steps/nope.md") != nil {
		t.Error("a missing file has paragraphs")
	}
}

// TestChineseValueMeetsChineseText: a Chinese value beside the message's
// Chinese words takes no space ("由本机建议"), a Latin one keeps it
// ("由 node3 建议"), and a space inside a value stays.
func TestChineseValueMeetsChineseText(t *testing.T) {
	zh := New(Chinese)
	for _, tc := range []struct{ host, want string }{
		{"本机", "由本机建议：可按需修改"},
		{"node3", "由 node3 建议：可按需修改"},
		{"张 三", "由张 三建议：可按需修改"},
	} {
		if got := zh.T("ui.step.suggested", "Host", tc.host); got != tc.want {
			t.Errorf("Host %q: %q, want %q", tc.host, got, tc.want)
		}
	}
	// a Chinese message inside another: the error's words meet the text
	inner := Errorf("ui.step.no_names", "Host", "本机")
	if got, want := zh.T("ui.step.not_saved", "Err", inner), "无法保存你的回答：本机没有报告任何名称：请自己输入"; got != want {
		t.Errorf("nested: %q, want %q", got, want)
	}
	if got := New(English).T("ui.step.suggested", "Host", "本机"); got != "suggested by 本机: edit as needed" {
		t.Errorf("English keeps its spaces: %q", got)
	}
	if got := New(German).T("ui.step.suggested", "Host", "node3"); strings.ContainsAny(got, valueStart+valueEnd) {
		t.Errorf("German carries marks: %q", got)
	}
}
