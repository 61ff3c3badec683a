package ui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard"
)

// askKind tells which question an askMsg carries.
type askKind int

const (
	askHostKey askKind = iota
	askSecret
	askConfirm
	askCAPassphrase
)

// askMsg is a question from a running step. The step's goroutine waits on
// reply; the model shows the question and sends exactly one answer.
type askMsg struct {
	kind    askKind
	hostKey remote.HostKeyRequest
	secret  remote.SecretRequest
	confirm wizard.ConfirmRequest
	create  bool // CAPassphrase: a new CA, ask twice
	reply   chan answer
}

// answer is the user's reply to an askMsg.
type answer struct {
	yes    bool
	text   string
	cancel bool // esc: the user declined to answer
}

// errProgramEnded is returned to a waiting step when the wizard quits.
var errProgramEnded = i18n.Errorf("tui.program_ended")

// Prompter is the TUI's wizard.Prompter. A step runs in a tea.Cmd goroutine
// and calls it; each call becomes an askMsg in the inbox the model listens
// on, and the call blocks until the model answers, the step's context ends,
// or the program ends. It never reads the terminal itself: Bubble Tea owns it.
type Prompter struct {
	inbox chan<- tea.Msg
	done  <-chan struct{}
	l     *i18n.Localizer // the language of its errors
}

// compile-time check: the TUI answers every question a run may ask.
var _ wizard.Prompter = (*Prompter)(nil)

func (p *Prompter) ask(ctx context.Context, q askMsg) (answer, error) {
	q.reply = make(chan answer, 1)
	select {
	case p.inbox <- q:
	case <-ctx.Done():
		return answer{}, ctx.Err()
	case <-p.done:
		return answer{}, errProgramEnded
	}
	select {
	case a := <-q.reply:
		return a, nil
	case <-ctx.Done():
		return answer{}, ctx.Err()
	case <-p.done:
		return answer{}, errProgramEnded
	}
}

// TrustHostKey shows the fingerprint and asks; the default is No.
func (p *Prompter) TrustHostKey(ctx context.Context, req remote.HostKeyRequest) (bool, error) {
	a, err := p.ask(ctx, askMsg{kind: askHostKey, hostKey: req})
	if err != nil {
		return false, err
	}
	return a.yes && !a.cancel, nil
}

// Secret asks for a password or passphrase, masked. The engine's
// wizard.EnvSecrets answers from DOCKERTLS_SSH_PASSWORD and the others
// before this asks.
func (p *Prompter) Secret(ctx context.Context, req remote.SecretRequest) (string, error) {
	a, err := p.ask(ctx, askMsg{kind: askSecret, secret: req})
	if err != nil {
		return "", err
	}
	if a.cancel {
		return "", errors.New(p.l.T("ui.ask.secret_cancelled", "Secret", secretName(p.l, req.Kind), "Host", req.Host))
	}
	return a.text, nil
}

// Confirm shows the changes (diffs, drop-in) and asks; only y approves.
func (p *Prompter) Confirm(ctx context.Context, req wizard.ConfirmRequest) (bool, error) {
	a, err := p.ask(ctx, askMsg{kind: askConfirm, confirm: req})
	if err != nil {
		return false, err
	}
	return a.yes && !a.cancel, nil
}

// CAPassphrase asks for the CA key's passphrase (twice when creating, and
// empty then means an unencrypted key); wizard.EnvSecrets answers from the
// variable ca.passphrase_env names before this asks.
func (p *Prompter) CAPassphrase(ctx context.Context, create bool) (string, error) {
	a, err := p.ask(ctx, askMsg{kind: askCAPassphrase, create: create})
	if err != nil {
		return "", err
	}
	if a.cancel {
		return "", errors.New(p.l.T("ui.ask.ca_cancelled"))
	}
	return a.text, nil
}

func secretName(l *i18n.Localizer, k remote.SecretKind) string {
	switch k {
	case remote.SecretKeyPassphrase:
		return l.T("ui.ask.name.key_passphrase")
	case remote.SecretSudoPassword:
		return l.T("ui.ask.name.sudo")
	default:
		return l.T("ui.ask.name.ssh")
	}
}
