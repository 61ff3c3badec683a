package daemon

import (
	"encoding/json"
	"errors"
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
	l := s.Localizer
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := planRefusals(n, s); err != nil {
		return nil, err
	}
	c := &Change{Host: n.Host, Settings: s, Node: n, ContainersStopped: n.Containers, Validate: n.canValidate(), Localizer: l}
	if n.LiveRestore {
		c.ContainersStopped = 0
	}

	args := n.expandedArgs()
	if err := refuseGuess(args, i18n.M("daemon.where.start_command", "Host", n.Host)); err != nil {
		return nil, err
	}
	flagKeys := flagConfigKeys(args)
	doc := n.configDoc()
	socketActivated := n.Init == InitSystemd && n.SocketUnit
	c.Hosts, c.Notes = wantedHosts(l, n, s, args, doc, socketActivated)

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
				c.Notes = append(c.Notes, l.T("daemon.plan.note.tls_false"))
			}
		}
	}
	base := n.Config.Data
	if n.ConfigNormalized != nil {
		base = n.ConfigNormalized
		c.Notes = append(c.Notes, l.T("daemon.plan.note.normalized", "Config", s.ConfigPath))
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
		summary := l.T("daemon.plan.file.merge", "File", path.Base(s.ConfigPath))
		if n.ConfigNormalized != nil {
			summary = l.T("daemon.plan.file.normalize", "File", path.Base(s.ConfigPath))
		}
		c.addFile(n.Config, merged, 0o644, summary)
	}

	// The command line: -H and TLS flags move to daemon.json.
	if hasOwnedFlag(args) {
		if n.Init != InitSystemd {
			if err := planDefaultsRewrite(l, c, n); err != nil {
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
				if strings.HasPrefix(note.ID, dropInRemovesNote) {
					c.Info = append(c.Info, l.Msg(note))
				} else {
					c.Notes = append(c.Notes, l.Msg(note))
				}
			}
			c.addFile(target, dropIn, 0o644, l.T("daemon.plan.file.dropin"))
		}
	}
	for k := range flagKeys {
		if k == "hosts" || isTLSFlag(k) {
			continue
		}
		if doc != nil {
			if _, ok := doc.get(k); ok {
				c.Notes = append(c.Notes, l.T("daemon.plan.note.flag_and_file", "Key", strconv.Quote(k)))
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
			c.addFile(n.TCPSocket, unit, 0o644, l.T("daemon.plan.file.tcp_socket", "Listen", s.Listen))
		}
	}

	c.LocalSocket = localSocketAfter(n, c.Hosts)
	c.Restart = planRestart(l, n, s)
	running := n.Answers && (n.Init != InitSystemd || n.ActiveState == "active")
	listening := n.ListenOwner != ""
	c.NoOp = len(c.Files) == 0 && running && listening
	if !c.NoOp && len(c.Files) == 0 {
		switch {
		case !running:
			c.Notes = append(c.Notes, l.T("daemon.plan.note.right_not_running"))
		default:
			c.Notes = append(c.Notes, l.T("daemon.plan.note.right_not_loaded", "Listen", s.Listen))
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
		return i18n.Errorf("daemon.plan.unsupported", "Host", n.Host, "Detail", n.Detail)
	case KindRootless:
		return i18n.Errorf("daemon.plan.rootless", "Host", n.Host, "Detail", n.Detail)
	case KindSnap:
		if s.ConfigPath != "/var/snap/docker/current/config/daemon.json" || s.Restart == RestartAuto || s.Restart == RestartSystemd {
			return i18n.Errorf("daemon.plan.snap", "Detail", n.Detail)
		}
	}
	if n.ConfigErr != nil && n.ConfigNormalized == nil {
		return n.ConfigErr
	}
	if n.Init == InitSystemd && !n.UnitLoaded && (s.Restart == RestartAuto || s.Restart == RestartSystemd) {
		return i18n.Errorf("daemon.plan.no_unit", "Host", n.Host)
	}
	if s.Restart == RestartAuto && n.startedByHand() {
		return plan.FixIn("daemon.restart", i18n.Errorf("daemon.plan.started_by_hand", "What", n.handStarted(), "Host", n.Host))
	}
	if s.Mode == ModeSocket && n.Init != InitSystemd {
		return i18n.Errorf("daemon.plan.socket_needs_systemd", "Host", n.Host)
	}
	cfgFlag := n.ConfigFileFlag()
	if cfgFlag != "" && cfgFlag != s.ConfigPath {
		return i18n.Errorf("daemon.plan.config_file_flag", "Host", n.Host, "Flag", cfgFlag, "Config", s.ConfigPath)
	}
	if s.Mode == ModeHosts && n.TCPSocket.Exists {
		return i18n.Errorf("daemon.plan.socket_left", "Path", TCPSocketPath, "Host", n.Host)
	}
	if n.ListenOwner != "" && !ownListener(n, s) {
		port := listenPort(s.Listen)
		return i18n.Errorf("daemon.plan.port_taken", "Port", port, "Host", n.Host, "Owner", ownerMsg(n), "Listen", s.Listen)
	}
	if n.Init != InitSystemd && !isCustomRestart(s.Restart) && s.Restart != RestartNone && len(n.RunningArgs) > 0 && hasOwnedFlag(parseDockerdArgs(n.RunningArgs[1:])) && !n.HasOpts {
		return i18n.Errorf("daemon.plan.flags_unfound", "Host", n.Host, "Args", strings.Join(n.RunningArgs, " "), "Config", s.ConfigPath)
	}
	if isCustomRestart(s.Restart) && len(n.RunningArgs) > 0 && n.Init != InitSystemd && hasOwnedFlag(parseDockerdArgs(n.RunningArgs[1:])) {
		return i18n.Errorf("daemon.plan.flags_custom_restart", "Host", n.Host, "Args", strings.Join(n.RunningArgs, " "))
	}
	return nil
}

// ownerMsg names the program that holds the TLS port.
func ownerMsg(n *Node) i18n.Message {
	owner := any(n.ListenOwner)
	if n.ListenOwner == unknownOwner {
		owner = i18n.M("daemon.owner.unknown")
	}
	if n.ListenPID > 0 {
		return i18n.M("daemon.owner.pid", "Owner", owner, "PID", n.ListenPID)
	}
	return i18n.M("daemon.owner.name", "Owner", owner)
}

func ownerText(l *i18n.Localizer, n *Node) string { return l.Msg(ownerMsg(n)) }

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
func wantedHosts(l *i18n.Localizer, n *Node, s Settings, args []dockerdArg, doc *configDoc, socketActivated bool) ([]string, []string) {
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
				notes = append(notes, l.T("daemon.plan.note.fd", "Endpoint", h))
				continue
			}
			add(h)
		case sameTCP(h, listen):
			// our own entry from an earlier run; added below in its place
		default:
			notes = append(notes, l.T("daemon.plan.note.dropped", "Endpoint", h, "Listen", s.Listen))
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
			return FileState{}, i18n.Errorf("daemon.plan.late_dropin", "Path", p)
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
