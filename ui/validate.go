package ui

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/wizard/plan"
)

// Inline checks of what the user types. They only catch typing mistakes
// early, in the words of the field; the wizard's plan check stays the
// authority when the step runs.

// checkDays accepts an empty value (the default) or 1..3650.
func checkDays(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 3650 {
		return fmt.Errorf("%q is not a number of days from 1 to 3650", s)
	}
	return nil
}

// checkSSHTarget accepts "local", user@host[:port] and ssh://user@host[:port].
func checkSSHTarget(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return fmt.Errorf("type user@host (port 22 unless :PORT is added), or local for this machine")
	}
	if s == "local" {
		return nil
	}
	rest := strings.TrimPrefix(s, "ssh://")
	user, hostPort, ok := strings.Cut(rest, "@")
	if !ok || user == "" || hostPort == "" {
		return fmt.Errorf("%q has no user: write user@host, e.g. root@%s", s, strings.TrimPrefix(rest, "@"))
	}
	host := hostPort
	if h, port, err := net.SplitHostPort(hostPort); err == nil {
		host = h
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%q is not a port number (1-65535)", port)
		}
	}
	if host == "" || strings.ContainsAny(host, " /") {
		return fmt.Errorf("%q is not a host name or address", host)
	}
	return nil
}

// checkClientTarget accepts an empty value or "local" (this machine) and
// ssh://user@host[:port].
func checkClientTarget(s string) error {
	s = strings.TrimSpace(s)
	if s == "" || s == "local" {
		return nil
	}
	if !strings.HasPrefix(s, "ssh://") {
		return fmt.Errorf("write local (this machine) or ssh://user@host[:port]")
	}
	return checkSSHTarget(s)
}

// splitList splits "a, b c" into [a b c].
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// checkSANs accepts a list of DNS names and IP addresses.
func checkSANs(s string) error {
	names := splitList(s)
	if len(names) == 0 {
		return fmt.Errorf("list the names and addresses clients will dial, separated by commas")
	}
	for _, n := range names {
		if err := plan.CheckSAN(n); err != nil {
			return err // the plan's own rule and words (apply says the same)
		}
	}
	return nil
}

// checkTCPAddress accepts tcp://host:port; the port is required because
// the docker CLI reads tcp://host as port 2375.
func checkTCPAddress(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "tcp" || u.Host == "" {
		return fmt.Errorf("write tcp://HOST:PORT, e.g. tcp://node3:2376")
	}
	if u.Port() == "" {
		return fmt.Errorf("add the port (tcp://%s:2376): without it docker dials 2375, the unencrypted port", u.Hostname())
	}
	return nil
}

// addressHost is the host part of tcp://host:port ("" when unparsable).
func addressHost(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// checkCovered says which name to add when the address's host is not among
// the SANs: the daemon certificate would not be valid for it.
func checkCovered(address, sans string) error {
	host := addressHost(address)
	if host == "" {
		return nil
	}
	if plan.SANsCover(splitList(sans), host) {
		return nil
	}
	return fmt.Errorf("clients dial %s, but it is not in the SANs: add %s to the names above", host, host)
}

// checkContextName accepts an empty value or a docker context name.
func checkContextName(s string) error {
	return plan.CheckContextName(strings.TrimSpace(s))
}

// checkIdentityFile accepts an empty value (ssh-agent, ~/.ssh/id_*, a
// password) or a private key file that is there on this machine.
func checkIdentityFile(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	path := s
	if rest, ok := strings.CutPrefix(s, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, rest)
		}
	}
	if !filepath.IsAbs(path) {
		return nil // relative to the plan file: the plan's own check decides
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return fmt.Errorf("%s is not on this machine: type the private key file you log in with, or leave it empty for ssh-agent and ~/.ssh/id_*", s)
	case fi.IsDir():
		return fmt.Errorf("%s is a directory: type the private key file in it, e.g. %s", s, filepath.Join(s, "id_ed25519"))
	case strings.HasSuffix(s, ".pub"):
		return fmt.Errorf("%s is the public half: type the private key file, %s", s, strings.TrimSuffix(s, ".pub"))
	}
	return nil
}
