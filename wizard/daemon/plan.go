package daemon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/netaddr"
	"github.com/dockertls/dockertls/wizard/plan"
)

// FileChange is one file Apply writes (or removes).
type FileChange struct {
	Path    string
	Summary string    // "merge daemon.json"
	Before  FileState // as Inspect found it (Exists false: a new file)
	After   []byte    // the new contents
	Mode    fs.FileMode
	Diff    string // unified diff Before → After
}

// Change is what Apply will do on the node: shown before it is done
// (TUI, --dry-run), then carried out by Apply.
type Change struct {
	Host     string
	Settings Settings // with defaults filled
	Node     *Node

	Files   []FileChange
	Hosts   []string // the daemon's "hosts" after the change
	Restart Restart  // how the daemon is restarted

	// NoOp: everything already matches and the daemon answers; Apply does
	// nothing and restarts nothing.
	NoOp bool
	// ContainersStopped is how many running containers the restart stops
	// (0 with live-restore); -1 when unknown.
	ContainersStopped int
	// Notes explain choices the user should know about (e.g. $DOCKER_OPTS
	// no longer read, a plain tcp:// entry dropped).
	Notes []string
	// Info explains what the change takes care of on its own and needs no
	// attention (the -H fd:// the drop-in removes): not a warning.
	Info []string
	// Validate: dockerd --validate checks the new daemon.json first (23.0+).
	Validate bool
	// LocalSocket is the unix socket health checks ping on the node.
	LocalSocket string
	// Localizer is the language of the explanations Apply gives when the
	// daemon does not come back (nil: English).
	Localizer *i18n.Localizer
}

// Plan works out the change that gives the node mutual TLS per s, from what
// Inspect found. It refuses (with the reason and the fix) when applying
// could not work: invalid daemon.json, an unsupported installation, the
// TLS port taken by another program, a custom start command that passes -H.
func Plan(n *Node, s Settings) (*Change, error) {
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := planRefusals(n, s); err != nil {
		return nil, err
	}
	c := &Change{Host: n.Host, Settings: s, Node: n, ContainersStopped: n.Containers, Validate: n.canValidate()}
	if n.LiveRestore {
		c.ContainersStopped = 0
	}

	args := n.expandedArgs()
	if err := refuseGuess(args, "the command that starts dockerd on "+n.Host); err != nil {
		return nil, err
	}
	flagKeys := flagConfigKeys(args)
	doc := n.configDoc()
	socketActivated := n.Init == InitSystemd && n.SocketUnit
	c.Hosts, c.Notes = wantedHosts(n, s, args, doc, socketActivated)

	// daemon.json
	edits := []Edit{
		{Key: "tlsverify", Value: true},
		{Key: "tlscacert", Value: s.CACert},
		{Key: "tlscert", Value: s.Cert},
		{Key: "tlskey", Value: s.Key},
		{Key: "hosts", Value: c.Hosts},
	}
	if doc != nil {
		if m, ok := doc.get("tls"); ok {
			var b bool
			if json.Unmarshal(m.Raw, &b) == nil && !b {
				edits = append(edits, Edit{Key: "tls", Delete: true})
				c.Notes = append(c.Notes, `"tls": false is removed from daemon.json (tlsverify turns TLS on).`)
			}
		}
	}
	base := n.Config.Data
	if n.ConfigNormalized != nil {
		base = n.ConfigNormalized
		c.Notes = append(c.Notes, fmt.Sprintf("%s holds comments or trailing commas, which dockerd refuses: they are removed (the old file is backed up).", s.ConfigPath))
	}
	merged, err := MergeDaemonJSON(base, edits)
	if err != nil {
		var je *JSONError
		if errors.As(err, &je) {
			je.Path = s.ConfigPath
		}
		return nil, err
	}
	if !n.Config.Exists || string(merged) != string(n.Config.Data) {
		summary := "merge " + path.Base(s.ConfigPath) + " (TLS keys and hosts; every other setting kept)"
		if n.ConfigNormalized != nil {
			summary = "normalise " + path.Base(s.ConfigPath) + " to plain JSON (comments and trailing commas removed) and merge the TLS keys and hosts"
		}
		c.addFile(n.Config, merged, 0o644, summary)
	}

	// The command line: -H and TLS flags move to daemon.json.
	if hasOwnedFlag(args) {
		if n.Init != InitSystemd {
			if err := planDefaultsRewrite(c, n); err != nil {
				return nil, err
			}
		} else {
			target, err := dropInTarget(n)
			if err != nil {
				return nil, err
			}
			dropIn, notes, err := renderDropInFor(n, target.Path)
			if err != nil {
				return nil, err
			}
			for _, note := range notes {
				if strings.HasPrefix(note, dropInRemovesNote) {
					c.Info = append(c.Info, note)
				} else {
					c.Notes = append(c.Notes, note)
				}
			}
			c.addFile(target, dropIn, 0o644, "systemd drop-in: docker.service without -H flags (hosts now come from daemon.json)")
		}
	}
	for k := range flagKeys {
		if k == "hosts" || isTLSFlag(k) {
			continue
		}
		if doc != nil {
			if _, ok := doc.get(k); ok {
				c.Notes = append(c.Notes, fmt.Sprintf("%q is set both by a dockerd flag and in daemon.json; dockerd refuses to start like that. Remove one of them (dockertls leaves this setting alone).", k))
			}
		}
	}

	// socket mode: docker-tcp.socket
	if s.Mode == ModeSocket {
		unit, err := RenderTCPSocket(s.Listen)
		if err != nil {
			return nil, err
		}
		if !n.TCPSocket.Exists || string(n.TCPSocket.Data) != string(unit) {
			c.addFile(n.TCPSocket, unit, 0o644, "systemd socket unit docker-tcp.socket listening on "+s.Listen)
		}
	}

	c.LocalSocket = localSocketAfter(n, c.Hosts)
	c.Restart = planRestart(n, s)
	running := n.Answers && (n.Init != InitSystemd || n.ActiveState == "active")
	listening := n.ListenOwner != ""
	c.NoOp = len(c.Files) == 0 && running && listening
	if !c.NoOp && len(c.Files) == 0 {
		switch {
		case !running:
			c.Notes = append(c.Notes, "The configuration is already right but the daemon is not running; it will be restarted.")
		default:
			c.Notes = append(c.Notes, "The configuration is already right but nothing listens on "+s.Listen+" yet: the daemon has not loaded it; it will be restarted.")
		}
	}
	if s.Mode == ModeSocket && n.Init == InitSystemd && c.NoOp && n.TCPSocketLive != "active" {
		c.NoOp = false
	}
	return c, nil
}

func (c *Change) addFile(before FileState, after []byte, mode fs.FileMode, summary string) {
	c.Files = append(c.Files, FileChange{
		Path: before.Path, Summary: summary, Before: before, After: after, Mode: mode,
		Diff: UnifiedDiff(before.Path, string(before.Data), string(after), before.Exists),
	})
}

// planRefusals stops plans that cannot work, before anything is touched.
func planRefusals(n *Node, s Settings) error {
	switch n.Kind {
	case KindUnsupported, KindDesktop:
		return fmt.Errorf("cannot configure Docker on %s: %s", n.Host, n.Detail)
	case KindRootless:
		return fmt.Errorf("cannot configure Docker on %s: %s. Run dockertls against a rootful daemon, or configure the rootless one by hand with the same daemon.json keys", n.Host, n.Detail)
	case KindSnap:
		if s.ConfigPath != "/var/snap/docker/current/config/daemon.json" || s.Restart == RestartAuto || s.Restart == RestartSystemd {
			return fmt.Errorf("%s. Set daemon.config: /var/snap/docker/current/config/daemon.json and daemon.restart: \"snap restart docker\" in the plan, then run this step again", n.Detail)
		}
	}
	if n.ConfigErr != nil && n.ConfigNormalized == nil {
		return n.ConfigErr
	}
	if n.Init == InitSystemd && !n.UnitLoaded && (s.Restart == RestartAuto || s.Restart == RestartSystemd) {
		return fmt.Errorf("%s runs systemd but has no docker.service: install Docker Engine (apt-get install docker.io) or set daemon.restart to the command that restarts your daemon", n.Host)
	}
	if s.Restart == RestartAuto && n.startedByHand() {
		return plan.FixIn("daemon.restart", fmt.Errorf("%s on %s, not by systemd or a service script, so dockertls cannot restart it (a service restart would start another daemon). "+
			"Type the command that restarts it in daemon.restart (Restart with), or none to restart it yourself after the change", n.handStarted(), n.Host))
	}
	if s.Mode == ModeSocket && n.Init != InitSystemd {
		return fmt.Errorf("daemon.mode socket needs systemd (a docker-tcp.socket unit), and %s does not run systemd: use mode hosts", n.Host)
	}
	cfgFlag := n.ConfigFileFlag()
	if cfgFlag != "" && cfgFlag != s.ConfigPath {
		return fmt.Errorf("dockerd on %s reads %s (--config-file), but the plan says daemon.config: %s; set daemon.config to %s", n.Host, cfgFlag, s.ConfigPath, cfgFlag)
	}
	if s.Mode == ModeHosts && n.TCPSocket.Exists {
		return fmt.Errorf("%s on %s is left from socket mode and holds the TLS port, so dockerd could not listen on it in mode hosts. Keep daemon.mode: socket, or remove it first: sudo systemctl disable --now docker-tcp.socket && sudo rm %s", TCPSocketPath, n.Host, TCPSocketPath)
	}
	if n.ListenOwner != "" && !ownListener(n, s) {
		port := listenPort(s.Listen)
		return fmt.Errorf("port %s on %s is already used by %s, so dockerd could not listen on %s. Stop that program or choose another port in daemon.listen (check with: sudo ss -ltnp 'sport = :%s')", port, n.Host, ownerText(n), s.Listen, port)
	}
	if n.Init != InitSystemd && !isCustomRestart(s.Restart) && s.Restart != RestartNone && len(n.RunningArgs) > 0 && hasOwnedFlag(parseDockerdArgs(n.RunningArgs[1:])) && !n.HasOpts {
		return fmt.Errorf("dockerd on %s is started with -H or TLS flags (%s) that dockertls cannot find in a unit or DOCKER_OPTS; remove them from wherever dockerd is started and put the settings in %s", n.Host, strings.Join(n.RunningArgs, " "), s.ConfigPath)
	}
	if isCustomRestart(s.Restart) && len(n.RunningArgs) > 0 && n.Init != InitSystemd && hasOwnedFlag(parseDockerdArgs(n.RunningArgs[1:])) {
		return fmt.Errorf("dockerd on %s is started with -H or TLS flags (%s); with a custom restart command dockertls cannot change them, and dockerd refuses the same setting as a flag and in daemon.json. Remove those flags from your start command, then run this step again", n.Host, strings.Join(n.RunningArgs, " "))
	}
	return nil
}

func ownerText(n *Node) string {
	if n.ListenPID > 0 {
		return fmt.Sprintf("%s (pid %d)", n.ListenOwner, n.ListenPID)
	}
	return n.ListenOwner
}

// ownListener reports whether the port's listener is this daemon (or
// systemd holding docker-tcp.socket for it).
func ownListener(n *Node, s Settings) bool {
	switch {
	case n.ListenPID != 0 && n.ListenPID == n.RunningPID:
		return true
	case n.ListenOwner == "dockerd" && n.RunningPID == 0:
		return false
	case n.ListenOwner == "dockerd" && n.ListenPID == 0:
		return true
	case n.ListenOwner == "systemd" && n.TCPSocket.Exists:
		return true
	}
	return false
}

// wantedHosts computes daemon.json "hosts": the daemon's existing local
// endpoints (fd:// when docker.socket activates it, rather than a unix://
// entry that would replace systemd's socket) plus the TLS address.
func wantedHosts(n *Node, s Settings, args []dockerdArg, doc *configDoc, socketActivated bool) ([]string, []string) {
	var existing, notes []string
	existing = append(existing, hostFlags(args)...)
	if doc != nil {
		if m, ok := doc.get("hosts"); ok {
			var list []string
			if err := json.Unmarshal(m.Raw, &list); err == nil {
				existing = append(existing, list...)
			} else {
				var one string
				if json.Unmarshal(m.Raw, &one) == nil {
					existing = append(existing, one)
				}
			}
		}
	}
	listen := normalizeListen(s.Listen)
	var hosts []string
	add := func(h string) {
		if !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	for _, h := range existing {
		switch {
		case h == "":
		case isLocalEndpoint(h):
			if socketActivated && isSystemdSocket(h, n.SocketPath) {
				add("fd://")
				notes = append(notes, fmt.Sprintf("The local endpoint %s is replaced by fd://: dockerd would otherwise replace the socket that docker.socket created, and local socket activation would stop working after `systemctl stop docker`.", h))
				continue
			}
			add(h)
		case sameTCP(h, listen):
			// our own entry from an earlier run; added below in its place
		default:
			notes = append(notes, fmt.Sprintf("%s is dropped from hosts: only %s (with TLS and client certificates) serves the API over the network.", h, s.Listen))
		}
	}
	if len(hosts) == 0 || (s.Mode == ModeSocket && !slices.Contains(hosts, "fd://")) {
		if socketActivated || s.Mode == ModeSocket {
			add("fd://")
		} else {
			add("unix:///var/run/docker.sock")
		}
	}
	if s.Mode == ModeHosts {
		add(listen)
	}
	return hosts, notes
}

// isSystemdSocket reports whether a unix:// entry is docker.socket's path.
func isSystemdSocket(h, socketPath string) bool {
	p := strings.TrimPrefix(h, "unix://")
	p = strings.TrimPrefix(p, "/var")
	sp := strings.TrimPrefix(socketPath, "/var")
	if sp == "" {
		sp = "/run/docker.sock"
	}
	return p == sp
}

// sameTCP compares two tcp:// addresses after normalising.
func sameTCP(a, b string) bool {
	x, err1 := netaddr.ParseListen(a)
	y, err2 := netaddr.ParseListen(b)
	return err1 == nil && err2 == nil && x.Port == y.Port && netaddr.SameHost(x.Host, y.Host)
}

// listenPort is the port of a listen address as text ("" when it has none).
func listenPort(listen string) string {
	if a, err := netaddr.ParseListen(listen); err == nil {
		return strconv.Itoa(a.Port)
	}
	return ""
}

// localSocketAfter is the unix socket to ping once the change is in place.
func localSocketAfter(n *Node, hosts []string) string {
	for _, h := range hosts {
		if strings.HasPrefix(h, "unix://") {
			return strings.TrimPrefix(h, "unix://")
		}
	}
	if n.SocketPath != "" {
		return n.SocketPath
	}
	return "/var/run/docker.sock"
}

// dropInTarget picks the drop-in file to write. systemd applies drop-ins in
// file name order and the last ExecStart= wins, so when another drop-in
// that sorts after dockertls.conf sets ExecStart= (a tutorial's
// override.conf), ours must sort after it.
func dropInTarget(n *Node) (FileState, error) {
	var later []string
	for p, text := range n.DropInTexts {
		base := path.Base(p)
		if p == DropInPath || p == LateDropInPath || base <= path.Base(DropInPath) || !setsExecStart(text) {
			continue
		}
		later = append(later, p)
	}
	if len(later) == 0 {
		st := n.DropIn
		st.Path = DropInPath
		return st, nil
	}
	slices.Sort(later)
	for _, p := range later {
		if path.Base(p) >= path.Base(LateDropInPath) {
			return FileState{}, fmt.Errorf("%s sets ExecStart= for docker.service and sorts after dockertls's own drop-in, so its -H flags would win; remove the -H flags from it (the listen addresses now live in daemon.json), then run this step again", p)
		}
	}
	st := n.LateDropIn
	st.Path = LateDropInPath
	return st, nil
}

// setsExecStart reports whether a unit file text has an ExecStart= line.
func setsExecStart(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "ExecStart=") {
			return true
		}
	}
	return false
}
