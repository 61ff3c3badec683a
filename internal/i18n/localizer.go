package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"

	"github.com/dockertls/dockertls/assets"
)

// MessageDir is where the message files live in assets.FS: one NAME.yaml
// per language, flat "area.what: text" pairs, placeholders {{.Name}}.
const MessageDir = "i18n"

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
		if _, err := b.LoadMessageFileFS(assets.FS, path.Join(MessageDir, string(l)+".yaml")); err != nil {
			return nil, fmt.Errorf("message file for %s: %w", l, err)
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
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := kv[i].(string)
		data[name] = kv[i+1]
	}
	if l == nil || l.loc == nil {
		l = New(English)
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count, TemplateParser: strict}
	if s, err := l.loc.Localize(cfg); err == nil {
		return s
	}
	if l.Lang() != English {
		return New(English).render(id, count, kv)
	}
	return id
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
