package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
)

// askView shows one question of the engine over the current page: an SSH
// host key (default No), a secret (masked), a confirmation of changes to a
// host (with the diffs), the CA passphrase (twice for a new CA).
type askView struct {
	l      *i18n.Localizer
	q      askMsg
	inputs []textinput.Model
	focus  int
	err    string
}

func newAskView(q askMsg, st Styles, l *i18n.Localizer) *askView {
	a := &askView{q: q, l: l}
	n := 0
	switch q.kind {
	case askSecret:
		n = 1
	case askCAPassphrase:
		n = 1
		if q.create {
			n = 2
		}
	}
	for i := 0; i < n; i++ {
		in := textinput.New()
		in.Prompt = "› "
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
		in.CharLimit = 1024
		a.inputs = append(a.inputs, in)
	}
	a.applyStyles(st)
	if n > 0 {
		a.inputs[0].Focus()
	}
	return a
}

func (a *askView) applyStyles(st Styles) {
	for i := range a.inputs {
		a.inputs[i].SetStyles(st.Input())
	}
}

// hasInput tells whether keys are typed into the question (so letters
// such as y, t or ? are text, not commands).
func (a *askView) hasInput() bool { return len(a.inputs) > 0 }

// update handles a key; it returns the answer once there is one.
func (a *askView) update(msg tea.KeyPressMsg, keys KeyMap) (*answer, tea.Cmd) {
	switch a.q.kind {
	case askHostKey:
		switch {
		case key.Matches(msg, keys.Yes):
			return &answer{yes: true}, nil
		case key.Matches(msg, keys.No), key.Matches(msg, keys.Next), key.Matches(msg, keys.Back):
			return &answer{yes: false}, nil
		}
		return nil, nil
	case askConfirm:
		switch {
		case key.Matches(msg, keys.Yes):
			return &answer{yes: true}, nil
		case key.Matches(msg, keys.No), key.Matches(msg, keys.Back):
			return &answer{yes: false}, nil
		}
		return nil, nil
	}
	switch {
	case key.Matches(msg, keys.Back):
		return &answer{cancel: true}, nil
	case key.Matches(msg, keys.Tab), key.Matches(msg, keys.ShiftTab):
		a.setFocus((a.focus + 1) % len(a.inputs))
		return nil, nil
	case key.Matches(msg, keys.Next):
		if a.focus < len(a.inputs)-1 {
			a.setFocus(a.focus + 1)
			return nil, nil
		}
		first := a.inputs[0].Value()
		if len(a.inputs) == 2 && a.inputs[1].Value() != first {
			a.err = a.l.T("ui.ask.passphrases_differ")
			a.inputs[1].Reset()
			return nil, nil
		}
		if a.q.kind == askSecret && first == "" {
			a.err = a.l.T("ui.ask.type_or_cancel")
			return nil, nil
		}
		return &answer{text: first}, nil
	}
	var cmd tea.Cmd
	a.inputs[a.focus], cmd = a.inputs[a.focus].Update(msg)
	a.err = ""
	return nil, cmd
}

func (a *askView) paste(msg tea.PasteMsg) tea.Cmd {
	if !a.hasInput() {
		return nil
	}
	var cmd tea.Cmd
	a.inputs[a.focus], cmd = a.inputs[a.focus].Update(msg)
	return cmd
}

func (a *askView) setFocus(i int) {
	a.focus = i
	for j := range a.inputs {
		if j == i {
			a.inputs[j].Focus()
		} else {
			a.inputs[j].Blur()
		}
	}
}

func (a *askView) view(st Styles, width int) string {
	w, l := width-4, a.l
	var b strings.Builder
	box := st.Box
	switch a.q.kind {
	case askHostKey:
		r := a.q.hostKey
		box = st.Danger
		b.WriteString(st.Title.Render(l.T("ui.ask.hostkey.title", "Host", r.Host)) + "\n\n")
		b.WriteString(wrap(l.T("ui.ask.hostkey.explain", "File", remote.HostKeyFile(r.KeyType)), w) + "\n\n")
		b.WriteString("  " + r.KeyType + "\n  " + st.Accent.Render(r.Fingerprint) + "\n\n")
		b.WriteString(wrap(l.T("ui.ask.hostkey.trust", "KnownHosts", r.KnownHosts), w) + "\n")
		b.WriteString(l.T("ui.ask.hostkey.keys", "Y", st.Key.Render("y"), "N", st.Key.Render("n/enter")))
	case askSecret:
		r := a.q.secret
		b.WriteString(st.Title.Render(wrap(secretTitle(l, r), w)) + "\n\n")
		if d := secretDetail(l, r); d != "" {
			b.WriteString(st.Subtle.Render(wrap(d, w)) + "\n\n")
		}
		b.WriteString(inputView(a.inputs[0]) + "\n\n")
		b.WriteString(st.Subtle.Render(l.T("ui.ask.secret.hidden")))
	case askCAPassphrase:
		if a.q.create {
			b.WriteString(st.Title.Render(l.T("ui.ask.ca_new.title")) + "\n\n")
			b.WriteString(wrap(l.T("ui.ask.ca_new.explain"), w) + "\n\n")
			b.WriteString(inputView(a.inputs[0]) + "\n" + inputView(a.inputs[1]) + st.Subtle.Render(l.T("ui.ask.ca_new.again")) + "\n\n")
			if a.inputs[0].Value() == "" && a.inputs[1].Value() == "" {
				// Say what sending nothing means before it is sent.
				b.WriteString(st.Subtle.Render(wrap(l.T("ui.ask.ca_new.empty"), w)))
				break
			}
		} else {
			b.WriteString(st.Title.Render(l.T("ui.ask.ca.title")) + "\n\n")
			b.WriteString(wrap(l.T("ui.ask.ca.explain")+" "+l.T("ui.ask.ca.not_kept"), w) + "\n\n")
			b.WriteString(inputView(a.inputs[0]) + "\n\n")
		}
		b.WriteString(st.Subtle.Render(l.T("ui.ask.hidden")))
	case askConfirm:
		box = st.Danger
		r := a.q.confirm
		hosts := map[string]bool{}
		for _, c := range r.Changes {
			hosts[c.Host] = true
		}
		names := make([]string, 0, len(hosts))
		for _, c := range r.Changes {
			if hosts[c.Host] {
				names = append(names, c.Host)
				hosts[c.Host] = false
			}
		}
		b.WriteString(st.Title.Render(wrap(l.T("ui.ask.confirm.title", "Step", r.Step, "Hosts", strings.Join(names, ", ")), w)) + "\n")
		// every change in a line first (the restart names its command),
		// so all of them are on screen before the diffs
		for _, c := range r.Changes {
			b.WriteString(hang(wrap("• "+c.Summary, w-2), 2) + "\n")
			// the path on a line of its own (a path is not broken), unless
			// the diff below names it already
			if c.Path != "" && !strings.Contains(c.Diff, c.Path) {
				b.WriteString("  " + st.Subtle.Render(c.Path) + "\n")
			}
		}
		for _, c := range r.Changes {
			if c.Diff != "" {
				b.WriteString("\n" + indent(renderDiff(st, c.Diff, w-2), "  ") + "\n")
			}
		}
		b.WriteString("\n" + wrap(l.T("ui.ask.confirm.backup"), w) + "\n")
		b.WriteString(l.T("ui.ask.confirm.keys", "Y", st.Key.Render("y"), "N", st.Key.Render("n/esc")))
	}
	if a.err != "" {
		b.WriteString("\n" + st.Fail.Render("✗ "+a.err))
	}
	return box.Width(width).Render(b.String())
}

// secretDetail says why the secret is asked, without repeating the title
// (the remote layer's Detail names the same user and host).
func secretDetail(l *i18n.Localizer, r remote.SecretRequest) string {
	switch r.Kind {
	case remote.SecretSudoPassword:
		return l.T("ui.ask.secret.sudo_why", "User", r.User)
	case remote.SecretSSHPassword:
		if !strings.HasPrefix(r.Detail, "password of ") {
			return r.Detail // keyboard-interactive: the server's own question
		}
		return l.T("ui.ask.secret.ssh_why")
	case remote.SecretKeyPassphrase:
		return l.T("ui.ask.secret.key_why", "File", r.Detail)
	}
	return r.Detail
}

func secretTitle(l *i18n.Localizer, r remote.SecretRequest) string {
	who := r.Host
	if r.User != "" {
		who = r.User + "@" + r.Host
	}
	switch r.Kind {
	case remote.SecretKeyPassphrase:
		return l.T("ui.ask.secret.key_passphrase")
	case remote.SecretSudoPassword:
		return l.T("ui.ask.secret.sudo", "User", r.User, "Host", r.Host)
	default:
		return l.T("ui.ask.secret.ssh", "Who", who)
	}
}

// helpKeys are the question's bindings.
func (a *askView) helpKeys(k KeyMap) helpKeys {
	switch a.q.kind {
	case askHostKey:
		return helpKeys{short: []key.Binding{bind("y", a.l.T("ui.key.trust")), bind("n", a.l.T("ui.key.refuse")), k.Quit}}
	case askConfirm:
		return helpKeys{short: []key.Binding{bind("y", a.l.T("ui.key.make_changes")), bind("n", a.l.T("ui.key.cancel")), k.PageUp, k.Quit}}
	}
	return helpKeys{short: []key.Binding{bind("enter", a.l.T("ui.key.send")), bind("esc", a.l.T("ui.key.cancel")), k.Quit}}
}
