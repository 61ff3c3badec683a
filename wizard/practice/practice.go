// Package practice runs a throwaway dockerd on this Linux machine for
// following the seven steps without a second machine: its own config file,
// data root, exec root, pidfile and socket, a loopback address such as
// 127.0.0.2, and a restart command of its own, so it never touches the
// machine's own Docker.
package practice

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
)

// DefaultDir is where `practice up` puts everything when --dir is not
// given.
const DefaultDir = "dockertls-practice"

// Files of a practice directory.
const (
	marker   = ".dockertls-practice" // says the directory is ours to remove
	PlanFile = "dockertls.yaml"
)

// Dockerd is where Debian's docker.io installs the daemon.
const Dockerd = "/usr/sbin/dockerd"

// Practice is one practice daemon, all of it under Dir except its runtime
// directory (sockets have a short length limit, so they live in /run).
type Practice struct {
	Dir string // absolute
}

// New names the practice daemon of dir ("" = DefaultDir).
func New(dir string) (*Practice, error) {
	if dir == "" {
		dir = DefaultDir
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, i18n.Errorf("practice.dir", "Dir", dir, "Err", err)
	}
	return &Practice{Dir: abs}, nil
}

// The daemon's paths.
func (p *Practice) daemonDir() string  { return filepath.Join(p.Dir, "daemon") }
func (p *Practice) ConfigPath() string { return filepath.Join(p.daemonDir(), "daemon.json") }
func (p *Practice) dataRoot() string   { return filepath.Join(p.daemonDir(), "data") }
func (p *Practice) logPath() string    { return filepath.Join(p.daemonDir(), "dockerd.log") }
func (p *Practice) scriptPath() string { return filepath.Join(p.daemonDir(), "restart.sh") }
func (p *Practice) PlanPath() string   { return filepath.Join(p.Dir, PlanFile) }

// RunDir is the daemon's exec root, socket and pid files: short, in /run,
// named after the practice directory so two practice daemons never meet.
func (p *Practice) RunDir() string {
	sum := sha256.Sum256([]byte(p.Dir))
	return "/run/dockertls-practice-" + hex.EncodeToString(sum[:4])
}
func (p *Practice) Socket() string      { return filepath.Join(p.RunDir(), "docker.sock") }
func (p *Practice) pidFile() string     { return filepath.Join(p.RunDir(), "dockerd.pid") }
func (p *Practice) launcherPid() string { return filepath.Join(p.RunDir(), "launcher.pid") }
func (p *Practice) execRoot() string    { return filepath.Join(p.RunDir(), "exec") }

// RestartCommand is the daemon's restart command, what the plan's
// daemon.restart names.
func (p *Practice) RestartCommand() string { return "/bin/sh " + p.scriptPath() }

// Requirements says what this machine lacks to run a practice daemon, in
// plain words with the fix, or nil.
func Requirements() error {
	var missing needs
	if os.Geteuid() != 0 {
		missing = append(missing, i18n.M("practice.needs.root"))
	}
	if _, err := os.Stat(Dockerd); err != nil {
		missing = append(missing, i18n.M("practice.needs.dockerd", "Dockerd", Dockerd))
	}
	if runtime.GOOS != "linux" {
		missing = append(missing, i18n.M("practice.needs.linux"))
	}
	if len(missing) > 0 {
		return missing
	}
	return nil
}

// needs is what a practice daemon lacks on this machine, said as one
// sentence in the reader's language.
type needs []i18n.Message

func (n needs) Error() string { return n.Localize(nil) }

// Localize is "a practice daemon needs A; and B" in l's language.
func (n needs) Localize(l *i18n.Localizer) string {
	parts := make([]string, len(n))
	for i, m := range n {
		parts[i] = l.Msg(m)
	}
	return l.T("practice.needs", "Missing", strings.Join(parts, l.T("practice.needs.and")))
}

// args is dockerd's command line: everything of its own, no -H (the hosts
// are in its config file, where the daemon-config step adds the TCP
// listener), and the host's firewall, bridges and storage left alone.
func (p *Practice) args() []string {
	ns := "dockertls-practice-" + filepath.Base(p.RunDir())[len("dockertls-practice-"):]
	return []string{Dockerd,
		"--config-file", p.ConfigPath(),
		"--data-root", p.dataRoot(),
		"--exec-root", p.execRoot(),
		"--pidfile", p.pidFile(),
		"--containerd-namespace", ns,
		"--containerd-plugins-namespace", ns + "-plugins",
		"--iptables=false", "--ip6tables=false", "--ip-forward=false", "--ip-masq=false",
		"--bridge=none", "--storage-driver=vfs",
	}
}

// Info is what Up made.
type Info struct {
	Address string // tcp://127.0.0.2:PORT, what the plan dials
	Plan    string // the plan file
	Pid     int
}

// Up creates the practice directory and its plan, and starts the daemon;
// an Up on a running practice daemon starts nothing and says so through
// its Info. A directory that is not a practice directory is refused.
func (p *Practice) Up(ctx context.Context) (Info, error) {
	if err := Requirements(); err != nil {
		return Info{}, err
	}
	if err := p.claimDir(); err != nil {
		return Info{}, err
	}
	if pid := p.Pid(); pid > 0 {
		addr, _ := p.address()
		return Info{Address: addr, Plan: p.PlanPath(), Pid: pid}, nil
	}
	for _, d := range []string{p.daemonDir(), p.RunDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return Info{}, i18n.Errorf("practice.create", "Dir", d, "Err", err)
		}
	}
	addr, err := p.address()
	if err != nil {
		return Info{}, err
	}
	if _, err := os.Stat(p.ConfigPath()); errors.Is(err, fs.ErrNotExist) {
		cfg := `{"hosts": ["unix://` + p.Socket() + `"]}` + "\n"
		if err := os.WriteFile(p.ConfigPath(), []byte(cfg), 0o644); err != nil {
			return Info{}, err
		}
	}
	if err := os.WriteFile(p.scriptPath(), []byte(p.restartScript()), 0o755); err != nil {
		return Info{}, err
	}
	if _, err := os.Stat(p.PlanPath()); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(p.PlanPath(), []byte(p.plan(addr)), 0o644); err != nil {
			return Info{}, err
		}
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", p.scriptPath())
	if out, err := cmd.CombinedOutput(); err != nil {
		return Info{}, i18n.Errorf("practice.not_started", "Err", err, "Output", strings.TrimSpace(string(out)), "Log", p.logPath())
	}
	if err := p.ping(); err != nil {
		return Info{}, i18n.Errorf("practice.no_answer", "Socket", p.Socket(), "Err", err, "Log", p.logPath())
	}
	return Info{Address: addr, Plan: p.PlanPath(), Pid: p.Pid()}, nil
}

// claimDir makes the directory ours: a new or empty one gets the marker;
// one with other files and no marker is refused, so `down` never removes
// someone's own files.
func (p *Practice) claimDir() error {
	if _, err := os.Stat(filepath.Join(p.Dir, marker)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(p.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(p.Dir, 0o700); err != nil {
			return i18n.Errorf("practice.create_dir", "Err", err)
		}
	case err != nil:
		return i18n.Errorf("practice.dir", "Dir", p.Dir, "Err", err)
	case len(entries) > 0:
		return i18n.Errorf("practice.dir_in_use", "Dir", p.Dir)
	}
	return os.WriteFile(filepath.Join(p.Dir, marker), []byte("made by dockertls practice up; dockertls practice down removes this directory\n"), 0o644)
}

// address is the loopback address the plan dials: 127.0.0.2 on the first
// free port from 2376 (kept once chosen: the plan names it).
func (p *Practice) address() (string, error) {
	if data, err := os.ReadFile(filepath.Join(p.daemonDir(), "address")); err == nil {
		return strings.TrimSpace(string(data)), nil
	}
	for port := 2376; port < 2476; port++ {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.2", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		_ = l.Close()
		addr := "tcp://127.0.0.2:" + strconv.Itoa(port)
		return addr, os.WriteFile(filepath.Join(p.daemonDir(), "address"), []byte(addr+"\n"), 0o644)
	}
	return "", i18n.Errorf("practice.no_port")
}

// plan is the practice plan: everything on this machine, in the practice
// directory, the daemon restarted by its own command.
func (p *Practice) plan(addr string) string {
	port := addr[strings.LastIndex(addr, ":")+1:]
	return fmt.Sprintf(`# A practice daemon made by `+"`dockertls practice up`"+`: a real dockerd on this
# machine with its own config, data and socket, listening on 127.0.0.2.
# Follow the seven steps with `+"`dockertls`"+` (or `+"`dockertls apply -f %[1]s`"+`), then
# `+"`dockertls practice down --dir %[2]s`"+` removes it and everything here.
dir: ./pki
ca:
  common_name: Practice CA
  key: ecdsa-p256
  days: 90
daemon:
  ssh: local
  common_name: practice
  sans: [127.0.0.2]
  listen: tcp://127.0.0.2:%[3]s
  address: %[4]s
  cert_dir: %[5]s
  config: %[6]s
  restart: %[7]q
client:
  cert_dir: %[8]s
`, p.PlanPath(), p.Dir, port, addr, filepath.Join(p.daemonDir(), "tls"), p.ConfigPath(), p.RestartCommand(), filepath.Join(p.Dir, "client"))
}

// restartScript stops the practice dockerd when it runs and starts it
// again with its flags and the current config, like `systemctl restart
// docker`; it fails with the log's tail when the daemon does not come up.
func (p *Practice) restartScript() string {
	return fmt.Sprintf(`#!/bin/sh
# Restarts the dockertls practice dockerd (%[1]s).
set -u
run=%[2]s
sock=%[3]s
log=%[4]s
alive() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	grep -q ') Z' "/proc/$1/stat" && return 1
	tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF "$run"
}
# The daemon just started is our own child: its pid cannot be reused before
# we reap it, and until setsid has exec'd dockerd its command line is still
# this script's, so only "not gone" is asked of it.
running() {
	[ -r "/proc/$1/stat" ] && ! grep -q ') Z' "/proc/$1/stat"
}
pid=$(cat "$run/launcher.pid" 2>/dev/null || true)
if alive "$pid"; then
	kill -TERM "-$pid" 2>/dev/null
	i=0; while alive "$pid" && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
	if alive "$pid"; then kill -KILL "-$pid" 2>/dev/null; sleep 0.5; fi
fi
rm -f "$sock"
setsid %[5]s >>"$log" 2>&1 </dev/null &
new=$!
echo "$new" >"$run/launcher.pid"
i=0
while [ $i -lt 600 ]; do
	[ -S "$sock" ] && exit 0
	if ! running "$new"; then
		echo "the practice dockerd exited; its log ends with:" >&2; tail -n 20 "$log" >&2; exit 1
	fi
	sleep 0.1; i=$((i+1))
done
echo "the practice dockerd did not open $sock within 60s; its log ends with:" >&2; tail -n 20 "$log" >&2
exit 1
`, p.Dir, shellquote.POSIX(p.RunDir()), shellquote.POSIX(p.Socket()), shellquote.POSIX(p.logPath()), shellquote.POSIXJoin(p.args()))
}

// ping asks the daemon's socket for /_ping, waiting up to 30 s for the
// API to answer after the socket appeared.
func (p *Practice) ping() error {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", p.Socket())
		}}}
	defer client.CloseIdleConnections()
	var last error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := client.Get("http://docker/_ping")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = i18n.Errorf("practice.ping_status", "Status", resp.Status)
		}
		last = err
	}
	return last
}

// Pid is the running practice dockerd's pid, or 0: the pid recorded at
// start, when that process is alive and its command line names the
// practice's runtime directory (a recycled pid is never taken for it).
func (p *Practice) Pid() int {
	return ownedPid(p.launcherPid(), p.RunDir())
}

func ownedPid(pidFile, mustMention string) int {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 || !alive(pid) {
		return 0
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !strings.Contains(string(cmdline), mustMention) {
		return 0
	}
	return pid
}

// alive is true for a running process; a zombie counts as gone.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z'
}

// Down stops the practice daemon (and its containerd) and removes the
// practice directory and the runtime directory. A directory without the
// practice marker is refused: it is not ours to remove.
func (p *Practice) Down() error {
	if _, err := os.Stat(filepath.Join(p.Dir, marker)); err != nil {
		if _, statErr := os.Stat(p.Dir); errors.Is(statErr, fs.ErrNotExist) {
			return i18n.Errorf("practice.down.none", "Dir", p.Dir)
		}
		return i18n.Errorf("practice.down.not_ours", "Dir", p.Dir, "Marker", marker)
	}
	if pid := p.Pid(); pid > 0 {
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		if !waitGone(pid, 20*time.Second) {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			if !waitGone(pid, 5*time.Second) {
				return i18n.Errorf("practice.down.unkillable", "Pid", pid)
			}
		}
	}
	// dockerd stops its containerd; make sure, as a leftover holds mounts.
	if cpid := ownedPid(filepath.Join(p.execRoot(), "containerd", "containerd.pid"), p.RunDir()); cpid > 0 {
		_ = syscall.Kill(cpid, syscall.SIGKILL)
		waitGone(cpid, 5*time.Second)
	}
	var errs []error
	for _, d := range []string{p.RunDir(), p.Dir} {
		if err := unmountUnder(d); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := os.RemoveAll(d); err != nil {
			errs = append(errs, i18n.Errorf("practice.down.remove", "Path", d, "Err", err))
		}
	}
	return i18n.Join(errs...)
}

func waitGone(pid int, timeout time.Duration) bool {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if !alive(pid) {
			return true
		}
	}
	return !alive(pid)
}

// unmountUnder detaches every mount point at or below dir, deepest first
// (the exec root's network namespace, for one).
func unmountUnder(dir string) error {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return i18n.Errorf("practice.down.mountinfo", "Err", err)
	}
	var points []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		mp := strings.ReplaceAll(f[4], `\040`, " ")
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			points = append(points, mp)
		}
	}
	var errs []error
	for i := len(points) - 1; i >= 0; i-- {
		if err := syscall.Unmount(points[i], syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) {
			errs = append(errs, i18n.Errorf("practice.down.unmount", "Path", points[i], "Err", err))
		}
	}
	return i18n.Join(errs...)
}
