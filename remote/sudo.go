package remote

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
)

// sudoState remembers, per host, how this user becomes root. It is worked
// out once, on first need, so the password is asked at most once per host
// and a wrong password is not retried.
type sudoState struct {
	mu       sync.Mutex
	done     bool
	prefix   []string // prepended to argv; nil for root
	password string   // sent on stdin for `sudo -S`; never in argv or logs
	err      error    // a failure is remembered too: no retry loop
}

// Prefixes for the three ways of becoming root.
var (
	sudoNoPasswordPrefix = []string{"sudo", "-n", "--"}
	// -k: ignore cached credentials, so sudo always reads the password line
	// we send and never hands it to the command instead.
	sudoPasswordPrefix = []string{"sudo", "-k", "-S", "-p", "", "--"}
)

// becomeRoot returns how to run a command as root. why names the operation
// for the error when that is impossible.
func (h *host) becomeRoot(ctx context.Context, why string) ([]string, string, error) {
	s := &h.sudo
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.done {
		s.prefix, s.password, s.err = h.detectSudo(ctx)
		// A cancelled context says nothing about sudo: try again next time.
		s.done = ctx.Err() == nil
	}
	if s.err != nil {
		return nil, "", fmt.Errorf("%s needs root on %s: %w", why, h.Name(), s.err)
	}
	return s.prefix, s.password, nil
}

func (h *host) detectSudo(ctx context.Context) ([]string, string, error) {
	id, err := h.t.exec(ctx, []string{"id", "-u"}, nil)
	if err != nil {
		return nil, "", fmt.Errorf("checking the user id: %w", err)
	}
	if strings.TrimSpace(string(id.Stdout)) == "0" {
		return nil, "", nil
	}
	probe, err := h.t.exec(ctx, cEnv("sudo", "-n", "true"), nil)
	if err != nil {
		return nil, "", fmt.Errorf("checking sudo: %w", err)
	}
	switch {
	case probe.ExitCode == 0:
		return sudoNoPasswordPrefix, "", nil
	case probe.ExitCode == 127 || bytes.Contains(probe.Stderr, []byte("not found")):
		return nil, "", fmt.Errorf("%w: sudo is not installed; install it (apt-get install sudo) and allow %s to use it, or connect as root", ErrNoSudo, h.user)
	case !bytes.Contains(probe.Stderr, []byte("password is required")):
		return nil, "", fmt.Errorf("%w: %s may not use sudo (%s); add %s to the sudo group (usermod -aG sudo %s) or connect as root",
			ErrNoSudo, h.user, strings.TrimSpace(string(probe.Stderr)), h.user, h.user)
	}
	if h.prompter == nil {
		return nil, "", fmt.Errorf("sudo needs %s's password and nothing can ask for it: set DOCKERTLS_SUDO_PASSWORD, or allow passwordless sudo", h.user)
	}
	password, err := h.prompter.Secret(ctx, SecretRequest{Kind: SecretSudoPassword, Host: h.secretHost, User: h.user,
		Detail: fmt.Sprintf("sudo password for %s on %s", h.user, h.Name())})
	if err != nil {
		return nil, "", fmt.Errorf("asking for the sudo password: %w", err)
	}
	if password == "" {
		return nil, "", fmt.Errorf("sudo needs %s's password and none was given: set DOCKERTLS_SUDO_PASSWORD, or allow passwordless sudo", h.user)
	}
	if strings.ContainsAny(password, "\n\r") {
		return nil, "", fmt.Errorf("%w: the sudo password contains a line break", ErrSudoPasswordWrong)
	}
	check, err := h.t.exec(ctx, append(cEnv(sudoPasswordPrefix...), "true"), strings.NewReader(password+"\n"))
	if err != nil {
		return nil, "", fmt.Errorf("checking the sudo password: %w", err)
	}
	if check.ExitCode != 0 {
		if bytes.Contains(check.Stderr, []byte("sudoers")) || bytes.Contains(check.Stderr, []byte("not allowed")) {
			return nil, "", fmt.Errorf("%w: %s is not in the sudoers file; add %s to the sudo group (usermod -aG sudo %s) or connect as root",
				ErrNoSudo, h.user, h.user, h.user)
		}
		return nil, "", fmt.Errorf("%w for %s (not asking again); check the password (DOCKERTLS_SUDO_PASSWORD when headless) and run again",
			ErrSudoPasswordWrong, h.user)
	}
	return sudoPasswordPrefix, password, nil
}
