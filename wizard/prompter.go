package wizard

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/remote"
)

// ErrNotConfirmed is returned when a change to a host was not approved.
var ErrNotConfirmed = errors.New("not confirmed")

// ErrCAPassphraseNotAsked is what a Prompter's CAPassphrase returns when it
// does not ask (a headless run): the session then follows the plan alone
// (ca.passphrase_env, or an unencrypted key for a new CA) and its error
// names the variable to export.
var ErrCAPassphraseNotAsked = errors.New("the CA passphrase is not asked in a headless run")

// notConfirmed is a refusal worded for the user that still matches
// ErrNotConfirmed (without ending in ": not confirmed").
type notConfirmed struct{ msg string }

func (e notConfirmed) Error() string        { return e.msg }
func (e notConfirmed) Is(target error) bool { return target == ErrNotConfirmed }

// HeadlessPrompter answers from flags (opts); secrets in the environment
// answer before it is asked (EnvSecrets, which every Session wraps around
// its Prompter). A new SSH host key is trusted only with opts.AcceptNewHostKeys. Secrets and
// confirmations are asked on the terminal only when standard input is one;
// otherwise it never reads standard input and refuses with an error that
// says which flag or variable would answer the question.
func HeadlessPrompter(opts Options) Prompter {
	return &headlessPrompter{opts: opts, in: os.Stdin, out: os.Stderr}
}

type headlessPrompter struct {
	opts Options
	in   *os.File
	out  io.Writer
}

func (h *headlessPrompter) interactive() bool {
	return h.in != nil && term.IsTerminal(h.in.Fd())
}

func (h *headlessPrompter) TrustHostKey(ctx context.Context, req remote.HostKeyRequest) (bool, error) {
	if h.opts.AcceptNewHostKeys {
		fmt.Fprintf(h.out, "trusting the new SSH host key of %s (%s %s), adding it to %s\n",
			req.Host, req.KeyType, req.Fingerprint, req.KnownHosts)
		return true, nil
	}
	// Headless never trusts on its own, not even with a terminal (an
	// unknown SSH host key is refused unless --accept-new-host-keys); the
	// TUI asks instead.
	// The remote layer's error already names the host, the key type and
	// the fingerprint in front of these words: say them once.
	host, port, err := net.SplitHostPort(req.Host)
	if err != nil {
		host, port = req.Host, "22"
	}
	return false, fmt.Errorf("a headless run does not trust new keys on its own; compare the fingerprint with the host's own (ssh-keygen -lf %s on it), then re-run with --accept-new-host-keys, or let ssh record it in the plan's known_hosts (answer yes after comparing): ssh -o UserKnownHostsFile=%s -p %s %s true",
		remote.HostKeyFile(req.KeyType), shellquote.POSIX(req.KnownHosts), port, shellquote.POSIX(host))
}

func (h *headlessPrompter) Secret(ctx context.Context, req remote.SecretRequest) (string, error) {
	env, what := remote.SecretEnv(req.Kind), ""
	switch req.Kind {
	case remote.SecretSSHPassword:
		what = fmt.Sprintf("the SSH password of %s@%s", req.User, req.Host)
	case remote.SecretSudoPassword:
		what = fmt.Sprintf("the sudo password of %s on %s", req.User, req.Host)
	case remote.SecretKeyPassphrase:
		what = "the passphrase of the SSH key " + req.Detail
	default:
		return "", fmt.Errorf("unknown secret requested for %s", req.Host)
	}
	if h.interactive() {
		if req.Detail != "" && req.Kind != remote.SecretKeyPassphrase {
			fmt.Fprintln(h.out, req.Detail)
		}
		return h.password(what + ": ")
	}
	return "", fmt.Errorf("%s is needed and no terminal is there to ask: export %s (or use an SSH agent / passwordless sudo)", what, env)
}

func (h *headlessPrompter) Confirm(ctx context.Context, req ConfirmRequest) (bool, error) {
	if h.opts.Yes {
		return true, nil
	}
	if h.interactive() {
		fmt.Fprintf(h.out, "Step %s will change:\n", req.Step)
		for _, c := range req.Changes {
			fmt.Fprintf(h.out, "  %s: %s %s\n", c.Host, c.Summary, c.Path)
			if c.Diff != "" {
				fmt.Fprintln(h.out, indent(c.Diff, "    "))
			}
		}
		return h.yesNo("Go ahead?")
	}
	hosts := map[string]bool{}
	var names []string
	for _, c := range req.Changes {
		if !hosts[c.Host] {
			hosts[c.Host] = true
			names = append(names, c.Host)
		}
	}
	return false, notConfirmed{fmt.Sprintf("step %s would change %s, and a headless run changes other hosts only when told to: review it with --dry-run, then re-run with --yes",
		req.Step, strings.Join(names, ", "))}
}

// CAPassphrase never asks for a new CA's passphrase (a headless run follows
// the plan: ca.passphrase_env, or an unencrypted key). An existing
// encrypted key's passphrase is asked on a terminal; without one the
// session's error names the variable to set.
func (h *headlessPrompter) CAPassphrase(ctx context.Context, create bool) (string, error) {
	if create || !h.interactive() {
		return "", ErrCAPassphraseNotAsked
	}
	return h.password("CA key passphrase: ")
}

func (h *headlessPrompter) yesNo(question string) (bool, error) {
	fmt.Fprintf(h.out, "%s [y/N] ", question)
	line, err := bufio.NewReader(h.in).ReadString('\n')
	if err != nil && line == "" {
		return false, fmt.Errorf("no answer read: %w", err)
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes", nil
}

func (h *headlessPrompter) password(prompt string) (string, error) {
	fmt.Fprint(h.out, prompt)
	b, err := term.ReadPassword(h.in.Fd())
	fmt.Fprintln(h.out)
	if err != nil {
		return "", fmt.Errorf("cannot read from the terminal: %w", err)
	}
	return string(b), nil
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}
