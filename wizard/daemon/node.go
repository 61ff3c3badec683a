package daemon

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// Init systems Inspect tells apart.
const (
	InitSystemd = "systemd"
	InitOpenRC  = "openrc"
	InitSysV    = "sysv" // `service docker restart`
	InitNone    = ""     // none found: a custom restart command is needed
)

// Kinds of Docker installations.
const (
	KindEngine      = "engine"      // the system daemon (docker.io, docker-ce)
	KindSnap        = "snap"        // the snap package: other paths and restart command
	KindRootless    = "rootless"    // dockerd running as a normal user
	KindDesktop     = "desktop"     // Docker Desktop: its daemon lives in a VM
	KindUnsupported = "unsupported" // not Linux
)

// FileState is one file on the node as Inspect found it.
type FileState struct {
	Path   string
	Exists bool
	Data   []byte
	Mode   fs.FileMode
	Owner  string
	Group  string
}

// Node is what Inspect learned about the daemon node. Plan decides from it
// alone, so tests can build one by hand.
type Node struct {
	Host   string // the host's name, for messages
	OS     string // `uname -s`
	Kind   string // KindEngine, KindSnap, ...
	Detail string // what differs, for Kind != KindEngine
	Init   string // InitSystemd, InitOpenRC, InitSysV, InitNone

	// systemd's docker.service
	UnitLoaded  bool
	ExecStart   []string          // the effective command, $VARS unexpanded
	DropIns     []string          // drop-in files in effect
	UnitEnv     map[string]string // Environment= and EnvironmentFile= values
	EnvFiles    []string          // EnvironmentFile= paths
	ActiveState string            // active, failed, inactive, activating
	SubState    string
	MainPID     int
	StartedAt   string // ActiveEnterTimestampMonotonic: changes on every start

	// docker.socket and dockertls's own units
	SocketUnit   bool   // docker.socket is loaded
	SocketPath   string // its ListenStream path (/run/docker.sock)
	SocketActive string
	DropIn       FileState // /etc/systemd/system/docker.service.d/dockertls.conf
	LateDropIn   FileState // .../zz-dockertls.conf (see LateDropInPath)
	// DropInTexts holds every drop-in in effect (path → contents), to find
	// the ones that set ExecStart=.
	DropInTexts   map[string]string
	TCPSocket     FileState // /etc/systemd/system/docker-tcp.socket
	TCPSocketLive string    // ActiveState of docker-tcp.socket

	// /etc/default/docker (or /etc/conf.d, /etc/sysconfig) for DOCKER_OPTS
	Defaults   FileState
	DockerOpts string
	HasOpts    bool

	// the running daemon
	RunningPID  int
	RunningArgs []string // from /proc/PID/cmdline
	RunningUID  int
	RootlessUID int    // uid of a dockerd not run by root, if any runs
	Dockerd     string // dockerd's path
	Version     string // "20.10.24+dfsg1"
	Answers     bool   // the local socket answered /_ping
	PingOutput  string // what the ping said when it did not answer
	Containers  int    // running containers; -1 when unknown
	LiveRestore bool

	// daemon.json
	Config    FileState
	ConfigErr error // *JSONError when it is not valid JSON
	// ConfigNormalized is daemon.json as plain JSON when ConfigErr is only
	// comments or trailing commas (nil otherwise): what the daemon's
	// settings are read from, and what Plan merges into.
	ConfigNormalized []byte

	// the TLS port
	ListenOwner string // "" free; "dockerd", "systemd" or another program's "name (pid N)"
	ListenPID   int

	// the TLS files named in Settings
	TLSFiles map[string]FileState
}

// versionMajorMinor parses "20.10.24+dfsg1" into 20, 10.
func versionMajorMinor(v string) (int, int) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0
	}
	major, err1 := strconv.Atoi(parts[0])
	digits := strings.IndexFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' })
	if digits < 0 {
		digits = len(parts[1])
	}
	minor, err2 := strconv.Atoi(parts[1][:digits])
	if err1 != nil || err2 != nil {
		return 0, 0
	}
	return major, minor
}

// parseDockerdVersion reads `dockerd --version`:
// "Docker version 20.10.24+dfsg1, build 5d6db84".
func parseDockerdVersion(out string) string {
	out = strings.TrimSpace(out)
	const prefix = "Docker version "
	i := strings.Index(out, prefix)
	if i < 0 {
		return ""
	}
	v := out[i+len(prefix):]
	if j := strings.IndexAny(v, ", \n"); j >= 0 {
		v = v[:j]
	}
	return v
}

// canValidate reports whether this dockerd has --validate (23.0 and later).
func (n *Node) canValidate() bool {
	major, _ := versionMajorMinor(n.Version)
	return major >= 23
}

// commandArgs is the daemon's command line as configured (systemd unit) or,
// lacking that, as running.
func (n *Node) commandArgs() []string {
	if n.Init == InitSystemd && len(n.ExecStart) > 0 {
		return n.ExecStart
	}
	return n.RunningArgs
}

// expandedArgs parses the configured command line with $VARS expanded from
// the unit's environment (systemd splits an unbraced $VAR into words).
func (n *Node) expandedArgs() []dockerdArg {
	args := n.commandArgs()
	if len(args) == 0 {
		return nil
	}
	var words []string
	for _, w := range args[1:] {
		if isEnvRef(w) {
			v := n.envValue(envRefName(w))
			if strings.HasPrefix(w, "${") {
				if v != "" {
					words = append(words, v)
				}
				continue
			}
			split, err := splitWords(v)
			if err != nil {
				split = strings.Fields(v)
			}
			words = append(words, split...)
			continue
		}
		words = append(words, w)
	}
	if n.Init != InitSystemd && n.HasOpts && len(n.RunningArgs) == 0 {
		if extra, err := splitWords(n.DockerOpts); err == nil {
			words = append(words, extra...)
		}
	}
	return parseDockerdArgs(words)
}

// envValue is a variable from the unit's environment (DOCKER_OPTS falls back
// to /etc/default/docker when the unit reads that file).
func (n *Node) envValue(name string) string {
	if v, ok := n.UnitEnv[name]; ok {
		return v
	}
	return ""
}

// configValue decodes one key of daemon.json (nil when absent or invalid).
func (n *Node) configDoc() *configDoc {
	data := n.Config.Data
	if n.ConfigErr != nil {
		if n.ConfigNormalized == nil {
			return nil
		}
		data = n.ConfigNormalized
	}
	doc, err := parseConfig(data)
	if err != nil {
		return nil
	}
	return doc
}

// Setting is a daemon setting as dockerd sees it: a flag on its command
// line (a bare boolean flag reads "true") wins over daemon.json. ok is
// false when neither sets it.
func (n *Node) Setting(key string) (string, bool) {
	for _, a := range n.expandedArgs() {
		if a.Name == key {
			if a.Value == "" {
				return "true", true
			}
			return a.Value, true
		}
	}
	doc := n.configDoc()
	if doc == nil {
		return "", false
	}
	m, ok := doc.get(key)
	if !ok {
		return "", false
	}
	var v any
	if json.Unmarshal(m.Raw, &v) != nil {
		return string(m.Raw), true
	}
	return fmt.Sprint(v), true
}

// TLSFilePaths are the daemon's tlscacert, tlscert and tlskey as dockerd
// reads them (flags, else daemon.json); "" where unset.
func (n *Node) TLSFilePaths() (ca, cert, key string) {
	ca, _ = n.Setting("tlscacert")
	cert, _ = n.Setting("tlscert")
	key, _ = n.Setting("tlskey")
	return ca, cert, key
}

// Hosts are the daemon's listen addresses as dockerd reads them: -H flags
// and daemon.json's "hosts".
func (n *Node) Hosts() []string {
	hosts := hostFlags(n.expandedArgs())
	if doc := n.configDoc(); doc != nil {
		if m, ok := doc.get("hosts"); ok {
			var list []string
			if json.Unmarshal(m.Raw, &list) == nil {
				hosts = append(hosts, list...)
			}
		}
	}
	return hosts
}

// ConfigFileFlag is the --config-file dockerd runs with ("" when none).
func (n *Node) ConfigFileFlag() string {
	args := n.commandArgs()
	for _, a := range parseDockerdArgs(args[min(1, len(args)):]) {
		if a.Name == "config-file" {
			return a.Value
		}
	}
	return ""
}
