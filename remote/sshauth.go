package remote

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dockertls/dockertls/internal/fsread"
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
	offered  []string // what was offered, for the error message
	notes    []string // why a key was not offered
	password *string  // asked once
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
	add := func(s ssh.Signer, name string) {
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
			a.notes = append(a.notes, fmt.Sprintf("ssh-agent at %s did not answer (%v)", sock, err))
		} else {
			a.agent = conn
			signers, err := agent.NewClient(conn).Signers()
			if err != nil {
				a.notes = append(a.notes, fmt.Sprintf("ssh-agent: %v", err))
			}
			for _, s := range signers {
				name := "an ssh-agent key"
				if k, ok := s.PublicKey().(*agent.Key); ok && k.Comment != "" {
					name = "ssh-agent key " + k.Comment
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
					a.notes = append(a.notes, err.Error())
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
			return nil, fmt.Errorf("reading the SSH identity file %s: %w", p, err)
		}
		return nil, err
	}
	s, err := ssh.ParsePrivateKey(pem)
	var missing *ssh.PassphraseMissingError
	switch {
	case err == nil:
		return s, nil
	case !errors.As(err, &missing):
		return nil, fmt.Errorf("the SSH key %s is not a private key OpenSSH format understood here: %w", p, err)
	case !configured:
		return nil, fmt.Errorf("%s is encrypted: add it to ssh-agent (ssh-add %s) or name it as the identity file", displayPath(p), displayPath(p))
	case a.prompter == nil:
		return nil, fmt.Errorf("the SSH identity file %s is encrypted and nothing can ask for its passphrase: set %s, or add it to ssh-agent", p, EnvKeyPassphrase)
	}
	// The handshake deadline waits for the peer, not for us: it stays paused
	// while a person types and while the key's KDF (bcrypt, deliberately
	// slow, much slower on a loaded machine) decrypts it.
	a.pause()
	defer a.resume()
	pass, err := a.prompter.Secret(a.ctx, SecretRequest{Kind: SecretKeyPassphrase, Host: a.target.Addr(), User: a.target.User, Detail: p})
	if err != nil {
		return nil, fmt.Errorf("the passphrase of %s: %w", p, err)
	}
	s, err = ssh.ParsePrivateKeyWithPassphrase(pem, []byte(pass))
	if err != nil {
		return nil, fmt.Errorf("the passphrase for %s is wrong (%v); check it, or add the key to ssh-agent", p, err)
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
		a.pwErr = fmt.Errorf("a password is needed and nothing can ask for it: set %s", EnvSSHPassword)
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
			return nil, fmt.Errorf("the server asks %q and nothing can answer", q)
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
// what to do.
func (a *authenticator) describeRefusal(hostName string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var b strings.Builder
	switch len(a.offered) {
	case 0:
		b.WriteString("no SSH key was available to offer (no identity file, no ssh-agent key, no ~/.ssh/id_ed25519, id_ecdsa or id_rsa)")
	case 1:
		fmt.Fprintf(&b, "%s did not accept %s", hostName, a.offered[0])
	default:
		fmt.Fprintf(&b, "%s did not accept any of %s", hostName, strings.Join(a.offered, ", "))
	}
	fmt.Fprintf(&b, " — add the public key to ~%s/.ssh/authorized_keys there (ssh-copy-id -p %d %s@%s), or use a password (%s when headless)",
		a.target.User, a.target.Port, a.target.User, a.target.Host, EnvSSHPassword)
	if a.pwErr != nil {
		fmt.Fprintf(&b, "; password: %v", a.pwErr)
	} else if a.password != nil {
		b.WriteString("; the password was not accepted either")
	}
	for _, n := range a.notes {
		b.WriteString("; " + n)
	}
	return b.String()
}

// displayPath shortens the home directory to "~" for messages.
func displayPath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && strings.HasPrefix(p, home+"/") {
		return "~" + strings.TrimPrefix(p, home)
	}
	return p
}
