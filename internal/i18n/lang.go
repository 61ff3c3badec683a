// Package i18n speaks the user's language: it chooses English, Simplified
// Chinese or German (--lang, DOCKERTLS_LANG, LC_ALL, LC_MESSAGES, LANG) and
// renders the messages of assets/i18n/*.yaml through a Localizer that the
// commands and the TUI pass down. There is no current language anywhere else:
// whoever prints words holds a *Localizer.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a language dockertls speaks, as typed after --lang.
type Lang string

const (
	English Lang = "en"
	Chinese Lang = "zh" // Simplified Chinese, the tutorials' 中文
	German  Lang = "de"
)

// Langs lists the languages dockertls speaks, English (the fallback) first.
func Langs() []Lang { return []Lang{English, Chinese, German} }

// EnvLang is the variable that chooses the language when --lang is not given.
const EnvLang = "DOCKERTLS_LANG"

// ParseLang reads a language as typed after --lang or in DOCKERTLS_LANG:
// "zh", "zh-CN", "zh_CN.UTF-8", "de_DE", "en" or "C" (English).
func ParseLang(s string) (Lang, error) {
	if l, ok := localeLang(s); ok {
		return l, nil
	}
	return "", fmt.Errorf("unknown language %q: choose en (English), zh (中文) or de (Deutsch)", s)
}

// Choose picks the language: the --lang flag when given, then
// DOCKERTLS_LANG, then the locale variables in the order POSIX reads them
// (LC_ALL, LC_MESSAGES, LANG); English when none names a language we speak.
// A language asked for by name (flag or DOCKERTLS_LANG) that we do not speak
// is an error; a locale we do not speak (fr_FR) means English, as it does
// for every other program without a French translation.
func Choose(flag string, getenv func(string) string) (Lang, error) {
	if flag != "" {
		return ParseLang(flag)
	}
	if v := getenv(EnvLang); v != "" {
		l, err := ParseLang(v)
		if err != nil {
			return "", fmt.Errorf("%s: %w", EnvLang, err)
		}
		return l, nil
	}
	// The first locale variable that is set decides, as in setlocale(3):
	// LC_ALL=fr_FR with LANG=de_DE means French, which we fall back to English for.
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if l, ok := localeLang(v); ok {
				return l, nil
			}
			return English, nil
		}
	}
	return English, nil
}

// localeLang maps a locale name (language[_territory][.codeset][@modifier])
// or a BCP 47 tag (zh-Hans-CN) to the language we speak for it.
func localeLang(s string) (Lang, bool) {
	s = strings.TrimSpace(s)
	if s == "C" || s == "POSIX" || strings.HasPrefix(s, "C.") {
		return English, true
	}
	base := strings.ToLower(s)
	if i := strings.IndexAny(base, "_-.@"); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "en", "english":
		return English, true
	case "zh", "chinese":
		return Chinese, true
	case "de", "german", "deutsch":
		return German, true
	}
	return "", false
}
