package wizard

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/remote"
)

// ErrNotConfirmed is returned when a change to a host was not approved.
var ErrNotConfirmed = i18n.Errorf("wizard.prompt.not_confirmed")

// ErrCAPassphraseNotAsked is what a Prompter's CAPassphrase returns when it
// does not ask (a headless run): the session then follows the plan alone
// (ca.passphrase_env, or an unencrypted key for a new CA) and its error
// names the variable to export.
var ErrCAPassphraseNotAsked = i18n.Errorf("wizard.prompt.ca_not_asked")

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
		fmt.Fprintln(h.out, h.opts.Localizer.T("wizard.prompt.trusting", "Host", req.Host, "Type", req.KeyType, "Fingerprint", req.Fingerprint, "File", req.KnownHosts))
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
	return false, i18n.Errorf("wizard.prompt.host_key_refused", "KeyFile", remote.HostKeyFile(req.KeyType),
		"Command", "ssh -o UserKnownHostsFile="+shellquote.POSIX(req.KnownHosts)+" -p "+port+" "+shellquote.POSIX(host)+" true")
}

func (h *headlessPrompter) Secret(ctx context.Context, req remote.SecretRequest) (string, error) {
	env := remote.SecretEnv(req.Kind)
	var what i18n.Message
	switch req.Kind {
	case remote.SecretSSHPassword:
		what = i18n.M("wizard.prompt.ssh_password", "User", req.User, "Host", req.Host)
	case remote.SecretSudoPassword:
		what = i18n.M("wizard.prompt.sudo_password", "User", req.User, "Host", req.Host)
	case remote.SecretKeyPassphrase:
		what = i18n.M("wizard.prompt.key_passphrase", "Key", req.Detail)
	default:
		return "", i18n.Errorf("wizard.prompt.unknown_secret", "Host", req.Host)
	}
	if h.interactive() {
		if req.Detail != "" && req.Kind != remote.SecretKeyPassphrase {
			fmt.Fprintln(h.out, req.Detail)
		}
		return h.password(h.opts.Localizer.Msg(what) + ": ")
	}
	return "", i18n.Errorf("wizard.prompt.secret_no_terminal", "What", what, "Env", env)
}

func (h *headlessPrompter) Confirm(ctx context.Context, req ConfirmRequest) (bool, error) {
	if h.opts.Yes {
		return true, nil
	}
	if h.interactive() {
		fmt.Fprintln(h.out, h.opts.Localizer.T("wizard.prompt.will_change", "Step", req.Step))
		for _, c := range req.Changes {
			fmt.Fprintf(h.out, "  %s: %s %s\n", c.Host, c.Summary, c.Path)
			if c.Diff != "" {
				fmt.Fprintln(h.out, indent(c.Diff, "    "))
			}
		}
		return h.yesNo(h.opts.Localizer.T("wizard.prompt.go_ahead"))
	}
	hosts := map[string]bool{}
	var names []string
	for _, c := range req.Changes {
		if !hosts[c.Host] {
			hosts[c.Host] = true
			names = append(names, c.Host)
		}
	}
	// ErrNotConfirmed among the values: errors.Is sees the refusal.
	return false, i18n.Errorf("wizard.prompt.headless_refused", "Step", req.Step, "Hosts", strings.Join(names, ", "), "Refusal", ErrNotConfirmed)
}

// CAPassphrase never asks for a new CA's passphrase (a headless run follows
// the plan: ca.passphrase_env, or an unencrypted key). An existing
// encrypted key's passphrase is asked on a terminal; without one the
// session's error names the variable to set.
func (h *headlessPrompter) CAPassphrase(ctx context.Context, create bool) (string, error) {
	if create || !h.interactive() {
		return "", ErrCAPassphraseNotAsked
	}
	return h.password(h.opts.Localizer.T("wizard.prompt.ca_passphrase") + ": ")
}

func (h *headlessPrompter) yesNo(question string) (bool, error) {
	fmt.Fprintf(h.out, "%s [y/N] ", question)
	line, err := bufio.NewReader(h.in).ReadString('\n')
	if err != nil && line == "" {
		return false, i18n.Errorf("wizard.prompt.no_answer", "Err", err)
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes", nil
}

func (h *headlessPrompter) password(prompt string) (string, error) {
	fmt.Fprint(h.out, prompt)
	b, err := term.ReadPassword(h.in.Fd())
	fmt.Fprintln(h.out)
	if err != nil {
		return "", i18n.Errorf("wizard.prompt.terminal", "Err", err)
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
