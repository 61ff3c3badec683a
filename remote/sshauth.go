package remote

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// authenticator offers credentials in OpenSSH's order: the configured
// identity file, ssh-agent, the default keys, then password and
// keyboard-interactive. It lives for one Open, across the re-dial after a
// host key was accepted, so nothing is asked twice. Prompts pause the
// handshake deadline (pause/resume) so a person can take their time.
type authenticator struct {
	ctx      context.Context
	target   Target
	identity string // expanded path, or ""
	prompter Prompter
	pause    func()
	resume   func()

	mu       sync.Mutex
	signers  []ssh.Signer
	loaded   bool
	offered  []any   // what was offered, for the error message (paths, messages)
	notes    []any   // why a key was not offered (messages, errors)
	password *string // asked once
	pwErr    error
	agent    net.Conn
}

func (a *authenticator) methods() []ssh.AuthMethod {
	return []ssh.AuthMethod{
		ssh.PublicKeysCallback(a.publicKeys),
		ssh.PasswordCallback(a.askPassword),
		ssh.KeyboardInteractive(a.keyboardInteractive),
	}
}

// publicKeys gathers every key, in order, into one publickey method (the
// ssh package tries a method name only once, so separate methods would
// leave all but the first unused).
func (a *authenticator) publicKeys() ([]ssh.Signer, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.loaded {
		return a.signers, nil
	}
	a.loaded = true
	seen := map[string]bool{}
	add := func(s ssh.Signer, name any) {
		k := string(s.PublicKey().Marshal())
		if seen[k] {
			return
		}
		seen[k] = true
		a.signers = append(a.signers, s)
		a.offered = append(a.offered, name)
	}
	if a.identity != "" {
		s, err := a.loadKey(a.identity, true)
		if err != nil {
			return nil, err
		}
		add(s, displayPath(a.identity))
	}
	if sock := os.Getenv("SSH_AUTH_SOCK"); sock != "" {
		if conn, err := net.Dial("unix", sock); err != nil {
			a.notes = append(a.notes, i18n.M("remote.auth.agent_silent", "Socket", sock, "Err", err))
		} else {
			a.agent = conn
			signers, err := agent.NewClient(conn).Signers()
			if err != nil {
				a.notes = append(a.notes, i18n.M("remote.auth.agent_error", "Err", err))
			}
			for _, s := range signers {
				name := i18n.M("remote.auth.agent_key")
				if k, ok := s.PublicKey().(*agent.Key); ok && k.Comment != "" {
					name = i18n.M("remote.auth.agent_key_named", "Comment", k.Comment)
				}
				add(s, name)
			}
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		for _, n := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
			p := filepath.Join(home, ".ssh", n)
			if p == a.identity {
				continue
			}
			s, err := a.loadKey(p, false)
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					a.notes = append(a.notes, err)
				}
				continue
			}
			if s != nil {
				add(s, displayPath(p))
			}
		}
	}
	return a.signers, nil
}

// loadKey reads a private key. An encrypted key asks for its passphrase
// when it is the configured identity; an encrypted default key is skipped
// with a note (add it to ssh-agent, or name it as the identity).
func (a *authenticator) loadKey(p string, configured bool) (ssh.Signer, error) {
	pem, err := fsread.ReadFile(p, fsread.MaxPEM)
	if err != nil {
		if configured {
			return nil, i18n.Errorf("remote.auth.identity_read", "File", p, "Err", err)
		}
		return nil, err
	}
	s, err := ssh.ParsePrivateKey(pem)
	var missing *ssh.PassphraseMissingError
	switch {
	case err == nil:
		return s, nil
	case !errors.As(err, &missing):
		return nil, i18n.Errorf("remote.auth.key_format", "File", p, "Err", err)
	case !configured:
		return nil, i18n.Errorf("remote.auth.key_encrypted", "File", displayPath(p))
	case a.prompter == nil:
		return nil, i18n.Errorf("remote.auth.passphrase_unaskable", "File", p, "Env", EnvKeyPassphrase)
	}
	// The handshake deadline waits for the peer, not for us: it stays paused
	// while a person types and while the key's KDF (bcrypt, deliberately
	// slow, much slower on a loaded machine) decrypts it.
	a.pause()
	defer a.resume()
	pass, err := a.prompter.Secret(a.ctx, SecretRequest{Kind: SecretKeyPassphrase, Host: a.target.Addr(), User: a.target.User, Detail: p})
	if err != nil {
		return nil, i18n.Errorf("remote.auth.passphrase_ask", "File", p, "Err", err)
	}
	s, err = ssh.ParsePrivateKeyWithPassphrase(pem, []byte(pass))
	if err != nil {
		return nil, i18n.Errorf("remote.auth.passphrase_wrong", "File", p, "Err", err)
	}
	return s, nil
}

// askPassword asks for the login password once per Open.
func (a *authenticator) askPassword() (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.password != nil || a.pwErr != nil {
		return a.passwordOrErr()
	}
	if a.prompter == nil {
		a.pwErr = i18n.Errorf("remote.auth.password_unaskable", "Env", EnvSSHPassword)
		return "", a.pwErr
	}
	a.pause()
	pw, err := a.prompter.Secret(a.ctx, SecretRequest{Kind: SecretSSHPassword, Host: a.target.Addr(), User: a.target.User,
		Detail: fmt.Sprintf("password of %s on %s", a.target.User, a.target.Host)})
	a.resume()
	if err != nil {
		a.pwErr = err
	} else {
		a.password = &pw
	}
	return a.passwordOrErr()
}

func (a *authenticator) passwordOrErr() (string, error) {
	if a.pwErr != nil {
		return "", a.pwErr
	}
	return *a.password, nil
}

// keyboardInteractive answers PAM-style prompts: password questions with
// the (once asked) password, anything else through the Prompter.
func (a *authenticator) keyboardInteractive(_, instruction string, questions []string, echos []bool) ([]string, error) {
	answers := make([]string, len(questions))
	for i, q := range questions {
		if strings.Contains(strings.ToLower(q), "password") {
			pw, err := a.askPassword()
			if err != nil {
				return nil, err
			}
			answers[i] = pw
			continue
		}
		if a.prompter == nil {
			return nil, i18n.Errorf("remote.auth.question_unanswerable", "Question", strconv.Quote(q))
		}
		a.pause()
		ans, err := a.prompter.Secret(a.ctx, SecretRequest{Kind: SecretSSHPassword, Host: a.target.Addr(), User: a.target.User,
			Detail: strings.TrimSpace(instruction + " " + q)})
		a.resume()
		if err != nil {
			return nil, err
		}
		answers[i] = ans
	}
	return answers, nil
}

// close ends the agent connection (goph's UseAgent never does).
func (a *authenticator) close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.agent != nil {
		_ = a.agent.Close()
		a.agent = nil
	}
}

// describeRefusal explains a failed login: which keys were offered and
// what to do, then the password's fate and why other keys were not offered.
func (a *authenticator) describeRefusal(hostName string) phrases {
	a.mu.Lock()
	defer a.mu.Unlock()
	var offered i18n.Message
	switch len(a.offered) {
	case 0:
		offered = i18n.M("remote.auth.no_key")
	case 1:
		offered = i18n.M("remote.auth.key_refused", "Host", hostName, "Key", a.offered[0])
	default:
		offered = i18n.M("remote.auth.keys_refused", "Host", hostName, "Keys", phrases{sep: "remote.sep.list", items: a.offered})
	}
	out := phrases{sep: "remote.sep.notes", items: []any{i18n.M("remote.auth.add_key", "Offered", offered,
		"User", a.target.User, "Port", a.target.Port, "Host", a.target.Host, "Env", EnvSSHPassword)}}
	if a.pwErr != nil {
		out.items = append(out.items, i18n.M("remote.auth.password_failed", "Err", a.pwErr))
	} else if a.password != nil {
		out.items = append(out.items, i18n.M("remote.auth.password_refused"))
	}
	out.items = append(out.items, a.notes...)
	return out
}

// displayPath shortens the home directory to "~" for messages.
func displayPath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && strings.HasPrefix(p, home+"/") {
		return "~" + strings.TrimPrefix(p, home)
	}
	return p
}
