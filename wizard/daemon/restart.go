package daemon

import (
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
)

// Step is one command Apply runs with sudo.
type Step struct {
	Args    []string
	MayFail bool // a failure here does not stop the restart (reset-failed of a unit that is fine)
}

// Restart says how the daemon is restarted and where its log is.
type Restart struct {
	Kind string // systemd | service | openrc | command | none
	// Found says what runs the daemon, in words: "the systemd unit
	// docker.service", "the service script /etc/init.d/docker", "your
	// command (daemon.restart)".
	Found string
	Steps []Step // run in order; the last one starts the daemon
	// Manual is what the user runs by hand (always filled; with Kind
	// "none" Apply prints it instead of running anything).
	Manual []string
	// Log prints the daemon's recent log lines (sudo); nil when unknown.
	Log []string
}

func isCustomRestart(r string) bool {
	switch r {
	case RestartAuto, RestartSystemd, RestartService, RestartNone, "":
		return false
	}
	return true
}

// planRestart picks the restart for the node and settings, its words in
// l's language.
func planRestart(l *i18n.Localizer, n *Node, s Settings) Restart {
	kind := s.Restart
	if kind == RestartAuto {
		switch {
		case n.Kind == KindSnap:
			return commandRestart(l, "snap restart docker", s)
		case n.Init == InitSystemd:
			kind = RestartSystemd
		case n.Init == InitOpenRC:
			kind = "openrc"
		case n.Init == InitSysV:
			kind = RestartService
		default:
			kind = RestartNone
		}
	}
	switch kind {
	case RestartSystemd:
		r := systemdRestart(s.Mode == ModeSocket, n.SocketUnit)
		r.Found = l.T("daemon.restart.found.systemd")
		return r
	case RestartService:
		r := simpleRestart(RestartService, []string{"service", "docker", "restart"}, []string{"tail", "-n", "50", "/var/log/docker.log"})
		r.Found = l.T("daemon.restart.found.service")
		return r
	case "openrc":
		r := simpleRestart("openrc", []string{"rc-service", "docker", "restart"}, []string{"tail", "-n", "50", "/var/log/docker.log"})
		r.Found = l.T("daemon.restart.found.openrc")
		return r
	case RestartNone:
		r := Restart{Kind: RestartNone, Found: l.T("daemon.restart.found.none")}
		switch {
		case n.startedByHand():
			r.Manual = []string{"# " + l.T("daemon.restart.by_hand", "PID", n.RunningPID), "sudo " + shellquote.POSIXJoin(n.RunningArgs)}
			return r
		}
		switch n.Init {
		case InitSystemd:
			r.Manual = systemdRestart(s.Mode == ModeSocket, n.SocketUnit).Manual
		case InitOpenRC:
			r.Manual = []string{"sudo rc-service docker restart"}
		default:
			r.Manual = []string{"sudo service docker restart"}
		}
		return r
	}
	return commandRestart(l, s.Restart, s)
}

func simpleRestart(kind string, args, log []string) Restart {
	return Restart{Kind: kind, Steps: []Step{{Args: args}}, Manual: []string{"sudo " + strings.Join(args, " ")}, Log: log}
}

func commandRestart(l *i18n.Localizer, cmd string, s Settings) Restart {
	r := Restart{Kind: "command", Found: l.T("daemon.restart.found.command"), Steps: []Step{{Args: []string{"sh", "-c", cmd}}}, Manual: []string{"sudo sh -c " + shellquote.POSIX(cmd)}}
	if s.LogCommand != "" {
		r.Log = []string{"sh", "-c", s.LogCommand}
	}
	return r
}

// systemdRestart clears a failed state and the start limit (after the
// classic hosts conflict both docker.service and docker.socket are failed
// and restart is refused), then restarts. With docker.socket the service is
// stopped and the socket restarted before the start: a daemon that ran with
// -H unix:///var/run/docker.sock replaced systemd's socket file, and the
// fd:// daemon would otherwise get a socket nobody can reach. In socket mode
// docker-tcp.socket is (re)bound the same way, before dockerd starts, so
// systemd hands it over.
func systemdRestart(socketMode, dockerSocket bool) Restart {
	r := Restart{Kind: RestartSystemd, Log: append(journalUnits(), "-n", "50", "--no-pager")}
	add := func(mayFail bool, args ...string) {
		r.Steps = append(r.Steps, Step{Args: args, MayFail: mayFail})
		r.Manual = append(r.Manual, "sudo "+strings.Join(args, " "))
	}
	add(false, "systemctl", "daemon-reload")
	units := []string{"docker.service"}
	if dockerSocket {
		units = append(units, "docker.socket")
	}
	if socketMode {
		units = append(units, TCPSocketUnit)
	}
	add(true, append([]string{"systemctl", "reset-failed"}, units...)...)
	if !dockerSocket && !socketMode {
		add(false, "systemctl", "restart", "docker.service")
		return r
	}
	add(false, "systemctl", "stop", "docker.service")
	if socketMode {
		add(false, "systemctl", "enable", TCPSocketUnit)
		add(false, "systemctl", "restart", TCPSocketUnit)
	}
	if dockerSocket {
		add(false, "systemctl", "restart", "docker.socket")
	}
	add(false, "systemctl", "start", "docker.service")
	return r
}

// journalUnits is journalctl for the daemon and its sockets: a socket that
// cannot bind logs under its own unit.
func journalUnits() []string {
	return []string{"journalctl", "-u", "docker.service", "-u", "docker.socket", "-u", TCPSocketUnit}
}

// Command is the restart as one line a user can read and run: what the
// confirmation names.
func (r Restart) Command() string {
	if r.Kind == RestartNone || len(r.Manual) == 0 {
		return ""
	}
	return strings.Join(r.Manual, " && ")
}

// startedByHand tells whether the running dockerd (the one reading the
// plan's daemon.json) was started by neither systemd's docker.service nor
// a service script: restarting either would start another daemon, or
// none at all, and leave this one as it is.
func (n *Node) startedByHand() bool {
	if n.RunningPID == 0 || len(n.RunningArgs) == 0 {
		return false
	}
	switch n.Init {
	case InitSystemd:
		// an active unit whose main process is another one, or a daemon
		// running while the unit is not
		return n.RunningPID != n.MainPID && (n.MainPID != 0 || n.ActiveState != "active")
	case InitSysV, InitOpenRC:
		// The scripts start dockerd with its default pid file.
		pidfile := "/var/run/docker.pid"
		for _, a := range parseDockerdArgs(n.RunningArgs[1:]) {
			if a.Name == "pidfile" {
				pidfile = a.Value
			}
		}
		return pidfile != "/var/run/docker.pid" && pidfile != "/run/docker.pid"
	}
	return true
}

// handStarted says what runs the daemon when it was started by hand.
func (n *Node) handStarted() i18n.Message {
	return i18n.M("daemon.restart.started_by_hand", "PID", strconv.Itoa(n.RunningPID), "Args", shellquote.POSIXJoin(n.RunningArgs))
}
