package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/netaddr"
)

// run runs a command on the host (as root) and returns its trimmed stdout,
// its exit code and stderr. Only a failure to run at all is an error.
func run(ctx context.Context, h remote.Host, args ...string) (string, int, string, error) {
	res, err := h.Run(ctx, remote.Command{Args: args, Sudo: true})
	if err != nil {
		return "", -1, "", i18n.Errorf("daemon.run_failed", "Command", strings.Join(args, " "), "Host", h.Name(), "Err", err)
	}
	return strings.TrimSpace(string(res.Stdout)), res.ExitCode, strings.TrimSpace(string(res.Stderr)), nil
}

// Inspect finds out how Docker runs on the host: everything Plan and Check
// need. It changes nothing and never starts the daemon (a socket-activated
// daemon that is stopped is not pinged). It costs two commands on the host
// (each one a round trip over SSH): one script reads the units, files and
// processes, a second asks the chosen dockerd and socket (which depend on
// what the first found). The node's Detail is in s.Localizer's language.
func Inspect(ctx context.Context, h remote.Host, s Settings) (*Node, error) {
	l := s.Localizer
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	listen, err := netaddr.ParseListen(s.Listen)
	if err != nil {
		return nil, i18n.Errorf("daemon.settings.listen", "Err", err)
	}
	n := &Node{Host: h.Name(), Kind: KindEngine, Containers: -1, UnitEnv: map[string]string{}, TLSFiles: map[string]FileState{}}
	a, code, err := runScript(ctx, h, i18n.M("daemon.script.inspecting"), gatherScript,
		append([]string{s.ConfigPath, strconv.Itoa(listen.Port), DropInPath, LateDropInPath, TCPSocketPath, TCPSocketUnit}, s.CACert, s.Cert, s.Key)...)
	if err != nil && a == nil {
		return nil, err
	}
	if _, ok := a.get("uname", ""); !ok && code != 0 {
		// No POSIX shell answered at all: not a system dockertls configures.
		n.OS = noUname
	} else if err != nil {
		return nil, err
	} else {
		n.OS = a.text("uname", "")
	}
	if n.OS != "Linux" {
		if n.OS == "" {
			n.OS = noUname
		}
		n.Kind = KindUnsupported
		osName := n.OS
		if osName == noUname {
			osName = l.T("daemon.inspect.no_uname")
		}
		n.Detail = l.T("daemon.inspect.not_linux", "Host", n.Host, "OS", osName)
		return n, nil
	}
	init, ok := a.get("init", "")
	if !ok {
		return nil, i18n.Errorf("daemon.inspect.no_init", "Host", n.Host)
	}
	switch init.field(0) {
	case "systemd":
		n.Init = InitSystemd
	case "openrc":
		n.Init = InitOpenRC
	case "sysv":
		n.Init = InitSysV
	}
	if n.Init == InitSystemd {
		if err := inspectSystemd(a, n); err != nil {
			return nil, err
		}
	}
	if err := inspectDefaults(a, n); err != nil {
		return nil, err
	}
	inspectRunning(a, n, s.ConfigPath)
	if n.Config, err = a.fileState(s.ConfigPath); err != nil {
		return nil, err
	}
	if _, perr := parseConfig(n.Config.Data); perr != nil {
		var je *JSONError
		if errors.As(perr, &je) {
			je.Path = s.ConfigPath
			if norm, ok := normalizeConfig(n.Config.Data); ok {
				n.ConfigNormalized = norm
				je.Normalizable = true
			}
		}
		n.ConfigErr = perr
	}
	n.LiveRestore = liveRestore(n)
	inspectKind(l, a, n)
	if err := inspectProbe(ctx, h, n); err != nil {
		return nil, err
	}
	if ss, ok := a.get("ss", ""); ok && ss.code(0) == 0 {
		// No ss (or it failed): Apply's health check will tell.
		n.ListenOwner, n.ListenPID = parseSSOwner(string(ss.Body))
	}
	for _, p := range []string{s.CACert, s.Cert, s.Key} {
		if n.TLSFiles[p], err = a.statState(p); err != nil {
			return nil, err
		}
	}
	return n, nil
}

var envFileRE = regexp.MustCompile(`(\S+) \(ignore_errors=(yes|no)\)`)

// inspectSystemd reads docker.service, docker.socket and our own units.
func inspectSystemd(a *answer, n *Node) error {
	show, ok := a.get("show", "service")
	if !ok {
		return i18n.Errorf("daemon.inspect.no_show", "Host", n.Host)
	}
	if show.code(1) != 0 {
		return i18n.Errorf("daemon.inspect.show_failed", "Host", n.Host, "Output", strings.TrimSpace(string(show.Body)))
	}
	p := parseShow(string(show.Body))
	n.UnitLoaded = p["LoadState"] == "loaded"
	n.ActiveState, n.SubState, n.StartedAt = p["ActiveState"], p["SubState"], p["ActiveEnterTimestampMonotonic"]
	n.MainPID, _ = strconv.Atoi(p["MainPID"])
	n.DropIns = strings.Fields(p["DropInPaths"])
	if n.UnitLoaded {
		var err error
		if n.ExecStart, err = ParseExecStart(p["ExecStart"]); err != nil {
			return i18n.Errorf("daemon.inspect.unit_unreadable", "Host", n.Host, "Err", err)
		}
	}
	for _, m := range envFileRE.FindAllStringSubmatch(p["EnvironmentFiles"], -1) {
		n.EnvFiles = append(n.EnvFiles, m[1])
		if data, ok := a.data(m[1]); ok {
			for k, v := range parseEnvFile(string(data)) {
				n.UnitEnv[k] = v
			}
		}
	}
	if env, err := splitWords(p["Environment"]); err == nil {
		for _, kv := range env {
			if k, v, ok := strings.Cut(kv, "="); ok {
				n.UnitEnv[k] = v
			}
		}
	}
	sp := parseShow(a.text("show", "socket"))
	n.SocketUnit = sp["LoadState"] == "loaded"
	n.SocketActive = sp["ActiveState"]
	for _, l := range strings.Split(sp["Listen"], " ") {
		if strings.HasPrefix(l, "/") {
			n.SocketPath = l
			break
		}
	}
	var err error
	if n.DropIn, err = a.fileState(DropInPath); err != nil {
		return err
	}
	if n.LateDropIn, err = a.fileState(LateDropInPath); err != nil {
		return err
	}
	n.DropInTexts = map[string]string{}
	for _, p := range n.DropIns {
		if data, ok := a.data(p); ok {
			n.DropInTexts[p] = string(data)
		}
	}
	if n.TCPSocket, err = a.fileState(TCPSocketPath); err != nil {
		return err
	}
	n.TCPSocketLive = parseShow(a.text("show", "tcpsocket"))["ActiveState"]
	return nil
}

// defaultsFiles hold DOCKER_OPTS for the init scripts of Debian, Alpine/Gentoo and RHEL.
func defaultsFiles() []string {
	return []string{"/etc/default/docker", "/etc/conf.d/docker", "/etc/sysconfig/docker"}
}

// inspectDefaults reads DOCKER_OPTS: from the unit's environment under
// systemd, else from the init script's defaults file.
func inspectDefaults(a *answer, n *Node) error {
	if n.Init == InitSystemd {
		v, ok := n.UnitEnv["DOCKER_OPTS"]
		n.DockerOpts, n.HasOpts = v, ok
		for _, f := range n.EnvFiles {
			if slices.Contains(defaultsFiles(), f) {
				st, err := a.fileState(f)
				if err != nil {
					return err
				}
				n.Defaults = st
			}
		}
		return nil
	}
	for _, f := range defaultsFiles() {
		st, err := a.fileState(f)
		if err != nil {
			return err
		}
		if !st.Exists {
			continue
		}
		n.Defaults = st
		if v, ok := parseEnvFile(string(st.Data))["DOCKER_OPTS"]; ok {
			n.DockerOpts, n.HasOpts = v, true
		}
		return nil
	}
	return nil
}

// inspectRunning finds the running dockerd that reads configPath (several
// may run on one machine).
func inspectRunning(a *answer, n *Node, configPath string) {
	for _, f := range strings.Fields(a.text("pids", "")) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			continue
		}
		data, ok := a.data(fmt.Sprintf("/proc/%d/cmdline", pid))
		if !ok {
			continue // gone meanwhile
		}
		args := parseCmdline(data)
		uid := -1
		if st, ok := a.data(fmt.Sprintf("/proc/%d/status", pid)); ok {
			uid = statusUID(string(st))
		}
		if uid > 0 && n.RootlessUID == 0 {
			n.RootlessUID = uid // a user's own daemon; judged in inspectKind
		}
		cfg := DefaultConfigPath
		for _, a := range parseDockerdArgs(args[min(1, len(args)):]) {
			if a.Name == "config-file" {
				cfg = a.Value
			}
		}
		if cfg != configPath && pid != n.MainPID {
			continue
		}
		n.RunningPID, n.RunningArgs, n.RunningUID = pid, args, max(uid, 0)
		if pid == n.MainPID {
			break
		}
	}
	n.Dockerd = "dockerd"
	switch {
	case len(n.ExecStart) > 0 && path.Base(n.ExecStart[0]) == "dockerd":
		n.Dockerd = n.ExecStart[0]
	case len(n.RunningArgs) > 0 && path.IsAbs(n.RunningArgs[0]):
		n.Dockerd = n.RunningArgs[0]
	}
}

// inspectProbe asks the chosen dockerd for its version and, unless the
// daemon is a stopped socket-activated one (a ping would start it),
// whether it answers locally and how many containers run.
func inspectProbe(ctx context.Context, h remote.Host, n *Node) error {
	sock := localSocket(n)
	if n.Init == InitSystemd && n.UnitLoaded && n.ActiveState != "active" {
		n.PingOutput = "docker.service is " + n.ActiveState
		sock = ""
	}
	a, _, err := runScript(ctx, h, i18n.M("daemon.script.asking"), probeScript, n.Dockerd, sock)
	if err != nil {
		return err
	}
	if v, ok := a.get("version", ""); ok && v.code(0) == 0 {
		n.Version = parseDockerdVersion(string(v.Body))
	}
	if sock == "" {
		return nil
	}
	ping, ok := a.get("ping", "curl")
	if !ok {
		if ping, ok = a.get("ping", "docker"); !ok {
			return i18n.Errorf("daemon.inspect.no_ping", "Host", n.Host)
		}
	}
	out := strings.TrimSpace(string(ping.Body))
	// curl prints /_ping's "OK"; the docker CLI the server's version.
	n.Answers = ping.code(1) == 0 && (out == "OK" || ping.field(0) == "docker" && out != "")
	if !n.Answers {
		n.PingOutput = out
		return nil
	}
	if c, ok := a.get("containers", "json"); ok && c.code(1) == 0 {
		var list []json.RawMessage
		if json.Unmarshal(c.Body, &list) == nil {
			n.Containers = len(list)
		}
	} else if c, ok := a.get("containers", "ids"); ok && c.code(1) == 0 {
		n.Containers = len(strings.Fields(string(c.Body)))
	}
	return nil
}

// statusUID reads the real uid from /proc/PID/status.
func statusUID(status string) int {
	for _, line := range strings.Split(status, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "Uid:" {
			uid, _ := strconv.Atoi(f[1])
			return uid
		}
	}
	return 0
}

// liveRestore is on when daemon.json or a flag says so.
func liveRestore(n *Node) bool {
	for _, a := range n.expandedArgs() {
		if a.Name == "live-restore" && a.Value != "false" {
			return true
		}
	}
	if doc := n.configDoc(); doc != nil {
		if m, ok := doc.get("live-restore"); ok {
			var b bool
			return json.Unmarshal(m.Raw, &b) == nil && b
		}
	}
	return false
}

// inspectKind recognises the installations dockertls does not configure the
// usual way: snap, rootless, Docker Desktop; the Detail in l's language.
func inspectKind(l *i18n.Localizer, a *answer, n *Node) {
	if len(n.RunningArgs) > 0 && strings.HasPrefix(n.RunningArgs[0], "/snap/") || !n.UnitLoaded && a.exists("/snap/bin/docker") {
		n.Kind = KindSnap
		n.Detail = l.T("daemon.inspect.snap")
		return
	}
	uid := n.RunningUID
	if n.RunningPID == 0 && !n.UnitLoaded {
		uid = n.RootlessUID // only a user's daemon runs here
	}
	if uid > 0 {
		n.Kind = KindRootless
		n.Detail = l.T("daemon.inspect.rootless", "UID", uid)
		return
	}
	if n.RunningPID == 0 && !n.UnitLoaded && a.exists("/opt/docker-desktop") {
		n.Kind = KindDesktop
		n.Detail = l.T("daemon.inspect.desktop")
	}
}

// localSocket is the unix socket to ping: from the daemon's hosts, else
// docker.socket's path, else the default.
func localSocket(n *Node) string {
	var hosts []string
	hosts = append(hosts, hostFlags(n.expandedArgs())...)
	if doc := n.configDoc(); doc != nil {
		if m, ok := doc.get("hosts"); ok {
			var list []string
			if json.Unmarshal(m.Raw, &list) == nil {
				hosts = append(hosts, list...)
			}
		}
	}
	for _, h := range hosts {
		if strings.HasPrefix(h, "unix://") && len(h) > len("unix://") {
			return strings.TrimPrefix(h, "unix://")
		}
	}
	if n.SocketPath != "" {
		return n.SocketPath
	}
	return "/var/run/docker.sock"
}

// pingLocal asks the daemon's unix socket for /_ping through the host:
// curl when the host has it, else the docker CLI.
func pingLocal(ctx context.Context, h remote.Host, socket string) (bool, string, error) {
	out, code, stderr, err := run(ctx, h, "curl", "-sS", "--max-time", "5", "--unix-socket", socket, "http://localhost/_ping")
	if err != nil {
		return false, "", err
	}
	if code != 127 {
		if code == 0 && out == "OK" {
			return true, "", nil
		}
		return false, strings.TrimSpace(out + " " + stderr), nil
	}
	out, code, stderr, err = run(ctx, h, "docker", "-H", "unix://"+socket, "version", "--format", "{{.Server.Version}}")
	if err != nil {
		return false, "", err
	}
	if code == 0 && out != "" {
		return true, "", nil
	}
	return false, strings.TrimSpace(out + " " + stderr), nil
}

var ssUserRE = regexp.MustCompile(`\("([^"]+)",pid=(\d+)`)

// parseSSOwner reads `ss -Hltnp` lines: the first process that listens.
// A listener without process information still counts as taken.
func parseSSOwner(out string) (string, int) {
	for _, line := range strings.Split(out, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		if m := ssUserRE.FindStringSubmatch(line); m != nil {
			pid, _ := strconv.Atoi(m[2])
			return m[1], pid
		}
		return unknownOwner, 0
	}
	return "", 0
}

// unknownOwner is Node.ListenOwner for a listener ss shows no process of.
const unknownOwner = "an unknown process"

// noUname is Node.OS when no POSIX shell answered.
const noUname = "a system without uname (Windows?)"
