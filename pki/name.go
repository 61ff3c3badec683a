package pki

import (
	"errors"
	"fmt"
	"strings"
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
		return fmt.Errorf("empty client name: type who the certificate is for, such as alice")
	case len(name) > maxClientName:
		return fmt.Errorf("client name %q is %d characters long: use at most %d", name, len(name), maxClientName)
	}
	for _, r := range name {
		if !isAlnum(r) && r != '.' && r != '_' && r != '-' {
			return fmt.Errorf("client name %q contains %q: use only letters, digits, '.', '_' and '-' (it becomes a file name and a docker context name)", name, r)
		}
	}
	if !isAlnum(rune(name[0])) {
		msg := fmt.Sprintf("client name %q must start with a letter or a digit (it becomes a file and directory name)", name)
		if trimmed := strings.TrimLeft(name, "._-"); trimmed != "" {
			msg += fmt.Sprintf(": try %q", trimmed)
		}
		return errors.New(msg)
	}
	return nil
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}
