package daemon

import (
	"crypto/tls"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/netaddr"
)

// Modes of exposing the TLS port.
const (
	ModeHosts  = "hosts"  // a tcp:// entry in daemon.json "hosts"
	ModeSocket = "socket" // a docker-tcp.socket unit (systemd socket activation)
)

// Restart kinds besides a custom command.
const (
	RestartAuto    = "auto"
	RestartSystemd = "systemd"
	RestartService = "service"
	RestartNone    = "none"
)

// Defaults match the plan file's (README, "The plan file").
const (
	DefaultConfigPath    = "/etc/docker/daemon.json"
	DefaultCertDir       = "/etc/docker/tls"
	DefaultListen        = "tcp://0.0.0.0:2376"
	DefaultHealthTimeout = 30 * time.Second
	DropInPath           = "/etc/systemd/system/docker.service.d/dockertls.conf"
	// LateDropInPath is used instead of DropInPath when another drop-in
	// that sorts after dockertls.conf sets ExecStart= (a tutorial's
	// override.conf): systemd applies drop-ins in file name order.
	LateDropInPath = "/etc/systemd/system/docker.service.d/zz-dockertls.conf"
	TCPSocketPath  = "/etc/systemd/system/docker-tcp.socket"
	TCPSocketUnit  = "docker-tcp.socket"
)

// Settings say what the daemon should end up with; the wizard fills them
// from the plan's `daemon:` section.
type Settings struct {
	Listen     string // tcp://0.0.0.0:2376
	CertDir    string // /etc/docker/tls on the node
	CACert     string // default CertDir/ca.pem
	Cert       string // default CertDir/server-cert.pem
	Key        string // default CertDir/server-key.pem
	ConfigPath string // /etc/docker/daemon.json
	Restart    string // auto | systemd | service | none | a command run with sudo (sh -c)
	Mode       string // hosts | socket

	// HealthAddress is what the health check dials from this machine,
	// e.g. tcp://node3:2376; empty skips the TCP check (only the local socket).
	HealthAddress string
	// HealthTLS holds the client certificate and the CA for that check.
	HealthTLS *tls.Config
	// HealthTimeout bounds the wait after a restart (default 30s).
	HealthTimeout time.Duration
	// LogCommand prints the daemon's recent log (run with sudo via sh -c)
	// when neither journald nor a known log file has it; used with a
	// custom restart command.
	LogCommand string
	// Localizer is the language of the texts Inspect, Check and Plan write
	// (a node's Detail, findings, notes, file summaries, the restart's
	// words); nil: English. Errors are i18n.Errors, said in the language
	// of whoever prints them.
	Localizer *i18n.Localizer
}

// withDefaults fills empty fields and checks the values.
func (s Settings) withDefaults() (Settings, error) {
	if s.Listen == "" {
		s.Listen = DefaultListen
	}
	if s.CertDir == "" {
		s.CertDir = DefaultCertDir
	}
	if !path.IsAbs(s.CertDir) {
		return s, i18n.Errorf("daemon.settings.cert_dir_relative", "Dir", strconv.Quote(s.CertDir))
	}
	if s.CACert == "" {
		s.CACert = path.Join(s.CertDir, "ca.pem")
	}
	if s.Cert == "" {
		s.Cert = path.Join(s.CertDir, "server-cert.pem")
	}
	if s.Key == "" {
		s.Key = path.Join(s.CertDir, "server-key.pem")
	}
	for _, p := range []string{s.CACert, s.Cert, s.Key} {
		if !path.IsAbs(p) {
			return s, i18n.Errorf("daemon.settings.tls_path_relative", "Path", strconv.Quote(p))
		}
	}
	if s.ConfigPath == "" {
		s.ConfigPath = DefaultConfigPath
	}
	if s.Restart == "" {
		s.Restart = RestartAuto
	}
	if s.Mode == "" {
		s.Mode = ModeHosts
	}
	if s.Mode != ModeHosts && s.Mode != ModeSocket {
		return s, i18n.Errorf("daemon.settings.mode_unknown", "Mode", strconv.Quote(s.Mode), "Hosts", strconv.Quote(ModeHosts), "Socket", strconv.Quote(ModeSocket))
	}
	if s.HealthTimeout <= 0 {
		s.HealthTimeout = DefaultHealthTimeout
	}
	if _, err := netaddr.ParseListen(s.Listen); err != nil {
		return s, i18n.Errorf("daemon.settings.listen", "Err", err)
	}
	return s, nil
}

// normalizeListen writes a listen address the way it goes into daemon.json.
func normalizeListen(listen string) string {
	a, err := netaddr.ParseListen(listen)
	if err != nil {
		return listen
	}
	return a.String()
}

// isLocalEndpoint reports whether a hosts entry serves only this machine
// (a unix socket or systemd's sockets) rather than the network.
func isLocalEndpoint(h string) bool {
	return strings.HasPrefix(h, "unix://") || strings.HasPrefix(h, "fd://") || strings.HasPrefix(h, "npipe://") || strings.HasPrefix(h, "/")
}
