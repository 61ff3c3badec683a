package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/remote"
)

// askView shows one question of the engine over the current page: an SSH
// host key (default No), a secret (masked), a confirmation of changes to a
// host (with the diffs), the CA passphrase (twice for a new CA).
type askView struct {
	q      askMsg
	inputs []textinput.Model
	focus  int
	err    string
}

func newAskView(q askMsg, st Styles) *askView {
	a := &askView{q: q}
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
			a.err = "the two passphrases differ: type it again"
			a.inputs[1].Reset()
			return nil, nil
		}
		if a.q.kind == askSecret && first == "" {
			a.err = "type it, or press esc to cancel the step"
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
	w := width - 4
	var b strings.Builder
	box := st.Box
	switch a.q.kind {
	case askHostKey:
		r := a.q.hostKey
		box = st.Danger
		b.WriteString(st.Title.Render("First connection to "+r.Host) + "\n\n")
		b.WriteString(wrap("Its SSH host key is not known yet. Compare the fingerprint with the one the host shows (ssh-keygen -lf "+remote.HostKeyFile(r.KeyType)+" on it) before you trust it.", w) + "\n\n")
		b.WriteString("  " + r.KeyType + "\n  " + st.Accent.Render(r.Fingerprint) + "\n\n")
		b.WriteString(wrap("Trust it and add it to "+r.KnownHosts+"?", w) + "\n")
		b.WriteString(st.Key.Render("y") + " yes · " + st.Key.Render("n/enter") + " no (default)")
	case askSecret:
		r := a.q.secret
		b.WriteString(st.Title.Render(secretTitle(r)) + "\n\n")
		if r.Detail != "" {
			b.WriteString(st.Subtle.Render(wrap(r.Detail, w)) + "\n\n")
		}
		b.WriteString(a.inputs[0].View() + "\n\n")
		b.WriteString(st.Subtle.Render("hidden as you type; never saved or logged · enter sends · esc cancels"))
	case askCAPassphrase:
		if a.q.create {
			b.WriteString(st.Title.Render("Passphrase for the new CA key") + "\n\n")
			b.WriteString(wrap("It encrypts ca-key.pem. Leave both empty for an unencrypted key: anyone who can read the file can then issue certificates your daemon trusts.", w) + "\n\n")
			b.WriteString(a.inputs[0].View() + "\n" + a.inputs[1].View() + st.Subtle.Render("  (again)") + "\n\n")
			if a.inputs[0].Value() == "" && a.inputs[1].Value() == "" {
				// Say what sending nothing means before it is sent.
				b.WriteString(st.Subtle.Render(wrap("enter with both empty: no passphrase, unencrypted key · esc cancels", w)))
				break
			}
		} else {
			b.WriteString(st.Title.Render("Passphrase of the CA key") + "\n\n")
			b.WriteString(wrap("ca-key.pem is encrypted; it is needed to sign the certificates.", w) + "\n\n")
			b.WriteString(a.inputs[0].View() + "\n\n")
		}
		b.WriteString(st.Subtle.Render("hidden as you type · enter sends · esc cancels"))
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
		b.WriteString(st.Title.Render(fmt.Sprintf("Step %s will change %s", r.Step, strings.Join(names, ", "))) + "\n")
		for _, c := range r.Changes {
			b.WriteString("\n" + hang(wrap("• "+c.Summary, w-2), 2) + "\n")
			// the path on a line of its own (a path is not broken), unless
			// the diff below names it already
			if c.Path != "" && !strings.Contains(c.Diff, c.Path) {
				b.WriteString("  " + st.Subtle.Render(c.Path) + "\n")
			}
			if c.Diff != "" {
				b.WriteString(indent(renderDiff(st, c.Diff), "  ") + "\n")
			}
		}
		b.WriteString("\n" + wrap("Every file that changes is backed up first; the daemon's configuration is restored if it does not come back.", w) + "\n")
		b.WriteString(st.Key.Render("y") + " make these changes · " + st.Key.Render("n/esc") + " cancel")
	}
	if a.err != "" {
		b.WriteString("\n" + st.Fail.Render("✗ "+a.err))
	}
	return box.Width(width).Render(b.String())
}

func secretTitle(r remote.SecretRequest) string {
	who := r.Host
	if r.User != "" {
		who = r.User + "@" + r.Host
	}
	switch r.Kind {
	case remote.SecretKeyPassphrase:
		return "Passphrase of your SSH key"
	case remote.SecretSudoPassword:
		return "sudo password of " + r.User + " on " + r.Host
	default:
		return "SSH password for " + who
	}
}

// helpKeys are the question's bindings.
func (a *askView) helpKeys(k KeyMap) helpKeys {
	switch a.q.kind {
	case askHostKey:
		return helpKeys{short: []key.Binding{bind("y", "trust"), bind("n", "refuse"), k.Quit}}
	case askConfirm:
		return helpKeys{short: []key.Binding{bind("y", "make the changes"), bind("n", "cancel"), k.PageUp, k.Quit}}
	}
	return helpKeys{short: []key.Binding{bind("enter", "send"), bind("esc", "cancel"), k.Quit}}
}
