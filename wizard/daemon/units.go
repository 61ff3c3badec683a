package daemon

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"github.com/dockertls/dockertls/assets"
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
// (refuseGuess): the result would depend on a guess.
func RewriteExecStart(argv []string, env map[string]string) ([]string, []string, error) {
	if len(argv) == 0 {
		return nil, nil, nil
	}
	out := []string{argv[0]}
	var notes, removed []string
	args := parseDockerdArgs(argv[1:])
	if err := refuseGuess(args, "docker.service's ExecStart"); err != nil {
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
			note := fmt.Sprintf("$%s is no longer read by docker.service: it held %s, which dockerd would refuse next to daemon.json", name, strings.Join(gone, ", "))
			if len(kept) > 0 {
				note += fmt.Sprintf("; its other flags (%s) are written into the drop-in instead", strings.Join(kept, " "))
			}
			notes = append(notes, note+".")
		case ownedFlag(a.Name):
			removed = append(removed, strings.Join(a.Words, " "))
		default:
			out = append(out, a.Words...)
		}
	}
	if len(removed) > 0 {
		notes = append([]string{fmt.Sprintf(dropInRemovesNote+"%s; the drop-in starts dockerd without %s (the settings now live in daemon.json).", strings.Join(removed, " "), pluralIt(len(removed)))}, notes...)
	}
	return out, notes, nil
}

// dropInRemovesNote starts the note that says which flags of
// docker.service the drop-in leaves out: expected and handled, so Plan
// files it under Change.Info rather than among the warnings.
const dropInRemovesNote = "docker.service passes "

func pluralIt(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// RenderDropIn writes dockertls.conf for a docker.service command line.
func RenderDropIn(argv []string, env map[string]string, configPath string) ([]byte, []string, error) {
	return renderDropIn(argv, env, configPath, DropInPath)
}

func renderDropIn(argv []string, env map[string]string, configPath, dropInPath string) ([]byte, []string, error) {
	newArgv, notes, err := RewriteExecStart(argv, env)
	if err != nil {
		return nil, nil, err
	}
	if len(newArgv) == 0 {
		return nil, nil, fmt.Errorf("docker.service has no command to rewrite")
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
func renderDropInFor(n *Node, dropInPath string) ([]byte, []string, error) {
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
		return nil, fmt.Errorf("daemon.listen: %w", err)
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
