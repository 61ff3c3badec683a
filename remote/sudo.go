package remote

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/dockertls/dockertls/internal/i18n"
)

// sudoState remembers, per host, how this user becomes root. It is worked
// out once, on first need, so the password is asked at most once per host
// and a wrong password is not retried.
type sudoState struct {
	mu       sync.Mutex
	done     bool
	mode     sudoMode
	password string // sent to `sudo -S` after its prompt; never in argv or logs
	prompt   string // the unique prompt sudo is told to print (-p)
	err      error  // a failure is remembered too: no retry loop
}

// sudoMode is how this user becomes root on a host.
type sudoMode int

const (
	sudoAsRoot     sudoMode = iota // already root: run the command as it is
	sudoNoPassword                 // `sudo -n`
	sudoPassword                   // `sudo -S -p PROMPT`, the password sent after PROMPT
)

// becomeRoot works out (once) how to run commands as root. why names the
// operation for the error when that is impossible.
func (h *host) becomeRoot(ctx context.Context, why i18n.Message) error {
	s := &h.sudo
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.done {
		s.mode, s.password, s.prompt, s.err = h.detectSudo(ctx)
		// A cancelled context says nothing about sudo: try again next time.
		s.done = ctx.Err() == nil
	}
	if s.err != nil {
		return i18n.Errorf("remote.sudo.needs_root", "Op", why, "Host", h.where, "Err", s.err)
	}
	return nil
}

// execAsRoot runs argv as root, the way becomeRoot found.
func (h *host) execAsRoot(ctx context.Context, why i18n.Message, argv []string, stdin io.Reader, stdoutTap io.Writer) (Result, error) {
	if err := h.becomeRoot(ctx, why); err != nil {
		return Result{}, err
	}
	s := &h.sudo
	switch s.mode {
	case sudoAsRoot:
		return h.t.exec(ctx, argv, stdin, stdoutTap, nil)
	case sudoNoPassword:
		return h.t.exec(ctx, append([]string{"sudo", "-n", "--"}, argv...), stdin, stdoutTap, nil)
	}
	return h.execSudoPassword(ctx, s.prompt, s.password, argv, stdin, stdoutTap)
}

// sudoStartScript runs as root in front of the command: it prints its
// marker ($0) on stderr, which tells the sudoGate that sudo is done with
// the password, then becomes the command.
const sudoStartScript = `printf '%s\n' "$0" >&2; exec "$@"`

// execSudoPassword runs argv with `sudo -S -p PROMPT`. The password goes to
// sudo only after sudo printed PROMPT (see sudoGate): a rule that lets the
// command run without a password (NOPASSWD for sh, say) or a cached ticket
// would otherwise hand the password line to the command as its input.
// -k: sudo ignores a cached ticket and asks whenever a rule needs it.
func (h *host) execSudoPassword(ctx context.Context, prompt, password string, argv []string, stdin io.Reader, stdoutTap io.Writer) (Result, error) {
	marker, err := randomToken("dockertls-sudo-started-")
	if err != nil {
		return Result{}, err
	}
	gate := newSudoGate(prompt, marker, password, stdin)
	full := append([]string{"sudo", "-k", "-S", "-p", prompt, "--", "sh", "-c", sudoStartScript, marker}, argv...)
	res, err := h.t.exec(ctx, full, gate, stdoutTap, gate)
	gate.close()
	res.Stderr = cleanSudoStderr(res.Stderr, prompt, marker)
	return res, err
}

// randomToken is prefix plus 12 random hex digits: a word that no program
// prints by chance.
func randomToken(prefix string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + hex.EncodeToString(b), nil
}

// cleanSudoStderr removes sudo's prompts and the start marker line from a
// command's stderr.
func cleanSudoStderr(stderr []byte, prompt, marker string) []byte {
	out := bytes.ReplaceAll(stderr, []byte(marker+"\n"), nil)
	return bytes.ReplaceAll(out, []byte(prompt), nil)
}

// sudoGate is the input of a command run with `sudo -S -p PROMPT`, and a
// tap on its stderr. It holds everything back until either sudo prints
// PROMPT (then it sends the password line, once) or the command starts
// (sudoStartScript prints the marker); the command's own input follows
// only then. A second prompt (a wrong password) ends the input, so sudo
// gives up instead of reading the command's data as a password.
type sudoGate struct {
	prompt, marker []byte
	password       string
	input          io.Reader // the command's own input; nil: none

	mu      sync.Mutex
	cond    *sync.Cond
	seen    []byte // stderr up to the marker
	pending []byte // the password line, once asked
	asked   bool
	started bool
	closed  bool
}

func newSudoGate(prompt, marker, password string, input io.Reader) *sudoGate {
	g := &sudoGate{prompt: []byte(prompt), marker: []byte(marker), password: password, input: input}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// Write receives the command's stderr as it arrives.
func (g *sudoGate) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.started {
		return len(p), nil
	}
	g.seen = append(g.seen, p...)
	switch {
	case bytes.Contains(g.seen, g.marker):
		g.started = true
		g.seen = nil
	case !g.asked && bytes.Contains(g.seen, g.prompt):
		g.asked = true
		g.pending = []byte(g.password + "\n")
	case g.asked && bytes.Count(g.seen, g.prompt) > 1:
		g.closed = true
	}
	g.cond.Broadcast()
	return len(p), nil
}

// Read is the command's input: the password after the prompt, the
// command's own input after the marker, nothing before either.
func (g *sudoGate) Read(p []byte) (int, error) {
	g.mu.Lock()
	for {
		switch {
		case len(g.pending) > 0:
			n := copy(p, g.pending)
			g.pending = g.pending[n:]
			g.mu.Unlock()
			return n, nil
		case g.closed:
			g.mu.Unlock()
			return 0, io.EOF
		case g.started:
			g.mu.Unlock()
			if g.input == nil {
				return 0, io.EOF
			}
			return g.input.Read(p)
		}
		g.cond.Wait()
	}
}

// close ends the input: the command has ended.
func (g *sudoGate) close() {
	g.mu.Lock()
	g.closed = true
	g.cond.Broadcast()
	g.mu.Unlock()
}

func (h *host) detectSudo(ctx context.Context) (sudoMode, string, string, error) {
	id, err := h.t.exec(ctx, []string{"id", "-u"}, nil, nil, nil)
	if err != nil {
		return 0, "", "", i18n.Errorf("remote.sudo.check_uid", "Err", err)
	}
	if strings.TrimSpace(string(id.Stdout)) == "0" {
		return sudoAsRoot, "", "", nil
	}
	probe, err := h.t.exec(ctx, cEnv("sudo", "-n", "true"), nil, nil, nil)
	if err != nil {
		return 0, "", "", i18n.Errorf("remote.sudo.check", "Err", err)
	}
	switch {
	case probe.ExitCode == 0:
		return sudoNoPassword, "", "", nil
	case probe.ExitCode == 127 || bytes.Contains(probe.Stderr, []byte("not found")):
		return 0, "", "", i18n.Errorf("remote.sudo.not_installed", "Err", ErrNoSudo, "User", h.user)
	case !bytes.Contains(probe.Stderr, []byte("password is required")):
		return 0, "", "", i18n.Errorf("remote.sudo.not_allowed", "Err", ErrNoSudo, "User", h.user, "Output", strings.TrimSpace(string(probe.Stderr)))
	}
	if h.prompter == nil {
		return 0, "", "", i18n.Errorf("remote.sudo.password_unaskable", "User", h.user)
	}
	password, err := h.prompter.Secret(ctx, SecretRequest{Kind: SecretSudoPassword, Host: h.secretHost, User: h.user,
		Detail: fmt.Sprintf("sudo password for %s on %s", h.user, h.Name())})
	if err != nil {
		return 0, "", "", i18n.Errorf("remote.sudo.ask", "Err", err)
	}
	if password == "" {
		return 0, "", "", i18n.Errorf("remote.sudo.password_empty", "User", h.user)
	}
	if strings.ContainsAny(password, "\n\r") {
		return 0, "", "", i18n.Errorf("remote.sudo.password_newline", "Err", ErrSudoPasswordWrong)
	}
	prompt, err := randomToken("[dockertls-sudo-prompt-")
	if err != nil {
		return 0, "", "", err
	}
	prompt += "]"
	check, err := h.execSudoPassword(ctx, prompt, password, cEnv("true"), nil, nil)
	if err != nil {
		return 0, "", "", i18n.Errorf("remote.sudo.check_password", "Err", err)
	}
	if check.ExitCode != 0 {
		if bytes.Contains(check.Stderr, []byte("sudoers")) || bytes.Contains(check.Stderr, []byte("not allowed")) {
			return 0, "", "", i18n.Errorf("remote.sudo.not_sudoer", "Err", ErrNoSudo, "User", h.user)
		}
		return 0, "", "", i18n.Errorf("remote.sudo.password_wrong", "Err", ErrSudoPasswordWrong, "User", h.user)
	}
	return sudoPassword, password, prompt, nil
}
