package main

import (
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// takeLang removes --lang VALUE (or --lang=VALUE, -lang) from anywhere in
// args, so every command accepts it without declaring it, and chooses the
// language: the flag, then DOCKERTLS_LANG, then LC_ALL, LC_MESSAGES, LANG.
func takeLang(args []string, getenv func(string) string) (*i18n.Localizer, []string, error) {
	flag, rest := "", make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return nil, nil, i18n.Errorf("cli.lang_needs_value")
			}
			i++
			value = args[i]
		}
		flag = value
		if flag == "" {
			return nil, nil, i18n.Errorf("cli.lang_needs_value")
		}
	}
	lang, err := i18n.Choose(flag, getenv)
	if err != nil {
		return nil, nil, err
	}
	return i18n.New(lang), rest, nil
}
