package daemon

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"github.com/dockertls/dockertls/assets"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/netaddr"
)

// renderTemplate fills one of assets/templates.
func renderTemplate(name string, data any) ([]byte, error) {
	t, err := template.ParseFS(assets.FS, "templates/"+name)
	if err != nil {
		return nil, fmt.Errorf("loading the %s template (a bug in dockertls): %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("rendering the %s template: %w", name, err)
	}
	return b.Bytes(), nil
}

// RewriteExecStart removes the flags dockertls moves into daemon.json (-H
// and the TLS flags) from a docker.service command line and keeps every
// other word. An environment reference ($DOCKER_OPTS) is kept when its value
// holds none of those flags; otherwise its other flags are written out in
// its place and a note says that the variable is no longer read. A flag
// dockertls does not know right before such a reference or flag is refused
// (refuseGuess): the result would depend on a guess. The notes are in
// English (Plan gives them in the user's language).
func RewriteExecStart(argv []string, env map[string]string) ([]string, []string, error) {
	out, notes, err := rewriteExecStart(argv, env)
	return out, englishNotes(notes), err
}

// englishNotes are notes as English text.
func englishNotes(notes []i18n.Message) []string {
	var out []string
	for _, n := range notes {
		out = append(out, n.String())
	}
	return out
}

func rewriteExecStart(argv []string, env map[string]string) ([]string, []i18n.Message, error) {
	if len(argv) == 0 {
		return nil, nil, nil
	}
	out := []string{argv[0]}
	var notes []i18n.Message
	var removed []string
	args := parseDockerdArgs(argv[1:])
	if err := refuseGuess(args, i18n.M("daemon.where.execstart")); err != nil {
		return nil, nil, err
	}
	for _, a := range args {
		w := a.Words[0]
		switch {
		case a.Name == "" && isEnvRef(w):
			name := envRefName(w)
			val := env[name]
			words, err := splitWords(val)
			if err != nil {
				words = strings.Fields(val)
			}
			inner := parseDockerdArgs(words)
			if err := refuseGuess(inner, "$"+name); err != nil {
				return nil, nil, err
			}
			if !hasOwnedFlag(inner) {
				out = append(out, w)
				continue
			}
			var kept, gone []string
			for _, ia := range inner {
				if ownedFlag(ia.Name) {
					gone = append(gone, strings.Join(ia.Words, " "))
				} else {
					kept = append(kept, ia.Words...)
				}
			}
			out = append(out, kept...)
			if len(kept) > 0 {
				notes = append(notes, i18n.M("daemon.units.note.env_unread_kept", "Name", name, "Gone", strings.Join(gone, ", "), "Kept", strings.Join(kept, " ")))
			} else {
				notes = append(notes, i18n.M("daemon.units.note.env_unread", "Name", name, "Gone", strings.Join(gone, ", ")))
			}
		case ownedFlag(a.Name):
			removed = append(removed, strings.Join(a.Words, " "))
		default:
			out = append(out, a.Words...)
		}
	}
	if len(removed) > 0 {
		note := i18n.M("daemon.units.note.dropin_removes_them", "Flags", strings.Join(removed, " "))
		if len(removed) == 1 {
			note = i18n.M("daemon.units.note.dropin_removes_it", "Flags", removed[0])
		}
		notes = append([]i18n.Message{note}, notes...)
	}
	return out, notes, nil
}

// dropInRemovesNote starts the ids of the note that says which flags of
// docker.service the drop-in leaves out: expected and handled, so Plan
// files it under Change.Info rather than among the warnings.
const dropInRemovesNote = "daemon.units.note.dropin_removes_"

// RenderDropIn writes dockertls.conf for a docker.service command line.
func RenderDropIn(argv []string, env map[string]string, configPath string) ([]byte, []string, error) {
	data, notes, err := renderDropIn(argv, env, configPath, DropInPath)
	return data, englishNotes(notes), err
}

func renderDropIn(argv []string, env map[string]string, configPath, dropInPath string) ([]byte, []i18n.Message, error) {
	newArgv, notes, err := rewriteExecStart(argv, env)
	if err != nil {
		return nil, nil, err
	}
	if len(newArgv) == 0 {
		return nil, nil, i18n.Errorf("daemon.units.no_command")
	}
	quote := func(list []string) string {
		q := make([]string, len(list))
		for i, w := range list {
			q[i] = quoteSystemd(w)
		}
		return strings.Join(q, " ")
	}
	data, err := renderTemplate("docker-dropin.conf.tmpl", map[string]string{
		"ConfigPath": configPath,
		"Original":   strings.ReplaceAll(strings.Join(argv, " "), "\n", " "),
		"Path":       dropInPath,
		"ExecStart":  quote(newArgv),
	})
	return data, notes, err
}

// renderDropInFor renders the drop-in for an inspected node.
func renderDropInFor(n *Node, dropInPath string) ([]byte, []i18n.Message, error) {
	// When our own drop-in is in effect already and still leaves owned
	// flags (DOCKER_OPTS changed), it is rewritten from the command it runs now.
	argv := n.ExecStart
	cfg := DefaultConfigPath
	for _, a := range parseDockerdArgs(argv[min(1, len(argv)):]) {
		if a.Name == "config-file" {
			cfg = a.Value
		}
	}
	return renderDropIn(argv, n.UnitEnv, cfg, dropInPath)
}

// RenderTCPSocket writes docker-tcp.socket for a listen address: a wildcard
// host listens on both IPv4 and IPv6, like dockerd's own tcp://0.0.0.0.
func RenderTCPSocket(listen string) ([]byte, error) {
	a, err := netaddr.ParseListen(listen)
	if err != nil {
		return nil, i18n.Errorf("daemon.settings.listen", "Err", err)
	}
	stream := a.HostPort()
	wildcard := a.Host == "" || a.Host == "0.0.0.0" || a.Host == "::"
	if wildcard {
		stream = strconv.Itoa(a.Port)
	}
	return renderTemplate("docker-tcp.socket.tmpl", map[string]any{
		"ListenStream": stream,
		"BindIPv6Only": wildcard,
		"Path":         TCPSocketPath,
	})
}
