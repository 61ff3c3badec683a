package pki

import (
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
)

// maxClientName keeps a client name usable as a file name, a directory
// name and a docker context name everywhere.
const maxClientName = 64

// CheckClientName refuses a client name that cannot be a certificate's CN,
// a file name (client-NAME-cert.pem), a bundle directory and a docker
// context name at once: only letters, digits, '.', '_' and '-', starting
// with a letter or digit.
func CheckClientName(name string) error {
	switch {
	case name == "":
		return i18n.Errorf("pki.client_name.empty")
	case len(name) > maxClientName:
		return i18n.Errorf("pki.client_name.too_long", "Name", echo.Value(name), "Len", len(name), "Max", maxClientName)
	}
	for _, r := range name {
		if !isAlnum(r) && r != '.' && r != '_' && r != '-' {
			return i18n.Errorf("pki.client_name.bad_char", "Name", echo.Value(name), "Char", strconv.QuoteRune(r))
		}
	}
	if !isAlnum(rune(name[0])) {
		if trimmed := strings.TrimLeft(name, "._-"); trimmed != "" {
			return i18n.Errorf("pki.client_name.bad_start_try", "Name", echo.Value(name), "Try", echo.Value(trimmed))
		}
		return i18n.Errorf("pki.client_name.bad_start", "Name", echo.Value(name))
	}
	return nil
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
