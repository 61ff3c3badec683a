package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
	"unicode"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"

	"github.com/dockertls/dockertls/assets"
)

// MessageDir is where the message files live in assets.FS: LANG.yaml and
// AREA.LANG.yaml (pki.zh.yaml), flat "area.what: text" pairs, placeholders
// {{.Name}}. An id lives in exactly one file per language; the area files
// only keep each package's messages together.
const MessageDir = "i18n"

// MessageFiles are the message files of lang in assets.FS, sorted.
func MessageFiles(lang Lang) ([]string, error) {
	entries, err := fs.ReadDir(assets.FS, MessageDir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		base, ok := strings.CutSuffix(name, ".yaml")
		if !ok || e.IsDir() {
			continue
		}
		if base == string(lang) || strings.HasSuffix(base, "."+string(lang)) {
			files = append(files, path.Join(MessageDir, name))
		}
	}
	return files, nil
}

// Localizer renders messages in one language. The zero value and a nil
// *Localizer speak English, so code that was given none still prints words.
type Localizer struct {
	lang Lang
	loc  *goi18n.Localizer
}

// bundle is every message file, parsed once. It is read-only after
// loading: the language lives in each Localizer, not here.
var bundle = sync.OnceValues(func() (*goi18n.Bundle, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	for _, l := range Langs() {
		files, err := MessageFiles(l)
		if err != nil {
			return nil, fmt.Errorf("message files for %s: %w", l, err)
		}
		for _, f := range files {
			if _, err := b.LoadMessageFileFS(assets.FS, f); err != nil {
				return nil, fmt.Errorf("message file %s: %w", f, err)
			}
		}
	}
	return b, nil
})

// New is a Localizer for lang. It panics only when the embedded message
// files do not parse, which the package's tests rule out.
func New(lang Lang) *Localizer {
	b, err := bundle()
	if err != nil {
		panic(err)
	}
	return &Localizer{lang: lang, loc: goi18n.NewLocalizer(b, string(lang), string(English))}
}

// Lang is the language l speaks.
func (l *Localizer) Lang() Lang {
	if l == nil || l.lang == "" {
		return English
	}
	return l.lang
}

// strict makes a placeholder the caller did not pass an error instead of
// "<no value>", so T can fall back and tests can see it.
var strict = &template.TextParser{Option: "missingkey=error"}

// T renders message id with the named values kv ("Host", host, "Port", 22):
// in l's language, else in English, else the id itself (a missing id is a
// bug that TestCodeUsesKnownKeys catches).
func (l *Localizer) T(id string, kv ...any) string {
	return l.render(id, nil, kv)
}

// N is T for a message with plural forms (one, other): n chooses the form
// and is also the placeholder {{.Count}}.
func (l *Localizer) N(id string, n int, kv ...any) string {
	return l.render(id, n, append(kv, "Count", n))
}

func (l *Localizer) render(id string, count any, kv []any) string {
	if l == nil || l.loc == nil {
		l = New(English)
	}
	chinese := l.Lang() == Chinese
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		v := l.value(kv[i+1])
		if s, ok := v.(string); ok && chinese && s != "" {
			v = valueStart + s + valueEnd
		}
		data[name] = v
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count, TemplateParser: strict}
	if s, err := l.loc.Localize(cfg); err == nil {
		if chinese {
			s = joinChinese(s)
		}
		return s
	}
	if l.Lang() != English {
		return New(English).render(id, count, kv)
	}
	return id
}

// Chinese text has no space between Chinese words, but a space where
// Chinese meets Latin text ("node3 上的"), and messages are written for
// the Latin case. A value that starts or ends with a Chinese character
// ("本机", a Chinese error) drops the message's space beside it, so
// "本机上的", not "本机 上的". The values are marked while the message is
// rendered (private-use characters no message contains), so a space
// inside a value (a name the user typed) stays.
const valueStart, valueEnd = "\uE000", "\uE001"

// joinChinese removes the space between a value and the message's Chinese
// text beside it, and the marks.
func joinChinese(s string) string {
	if !strings.ContainsAny(s, valueStart+valueEnd) {
		return s
	}
	var out []rune
	var edge []bool // edge[i]: a value starts or ends right before out[i]
	mark := false
	for _, r := range s {
		if string(r) == valueStart || string(r) == valueEnd {
			mark = true
			continue
		}
		out = append(out, r)
		edge = append(edge, mark)
		mark = false
	}
	var b strings.Builder
	for i, r := range out {
		if r == ' ' && i > 0 && i+1 < len(out) && (edge[i] || edge[i+1]) && isChinese(out[i-1]) && isChinese(out[i+1]) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isChinese reports whether r is a Chinese character or full-width
// punctuation (（），：。).
func isChinese(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// ReadFile reads an asset in l's language: steps/zh/ca.md for steps/ca.md
// in Chinese, the English file when there is no translation.
func (l *Localizer) ReadFile(name string) ([]byte, error) {
	if lang := l.Lang(); lang != English {
		dir, file := path.Split(name)
		if data, err := fs.ReadFile(assets.FS, path.Join(dir, string(lang), file)); err == nil {
			return data, nil
		}
	}
	return fs.ReadFile(assets.FS, name)
}
