package testlab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// DockerdBinary is where Debian's docker.io package installs the daemon.
const DockerdBinary = "/usr/sbin/dockerd"

// DockerdOptions say how StartDockerd / NewDockerd configure a daemon. The
// zero value is a plain daemon on its unix socket plus an unencrypted TCP
// listener on a free loopback port.
type DockerdOptions struct {
	// DaemonJSON is written to the daemon's --config-file before the first
	// start; empty writes "{}". Tests that edit the file later (the
	// daemon-config step does) simply rewrite ConfigPath and Restart.
	DaemonJSON string
	// TLS, when set, adds TLS flags for the TCP listener.
	TLS *DockerdTLS
	// NoTCP leaves out the TCP listener (only the unix socket).
	NoTCP bool
	// NoHostFlags passes no -H flag at all, so "hosts" must come from
	// DaemonJSON — the shape dockertls writes. The JSON must name
	// "unix://"+Socket (the harness waits on it); use NewDockerd to learn
	// Socket and TCPAddr before writing the JSON, then Start.
	NoHostFlags bool
	// ExtraArgs are appended to dockerd's command line.
	ExtraArgs []string
	// StartTimeout bounds the wait for /_ping; default 60s.
	StartTimeout time.Duration
}

// DockerdTLS are the TLS flags for the daemon's TCP listener. Paths are
// passed as given (dockerd reads them at start).
type DockerdTLS struct {
	CACert, Cert, Key string
	// Verify: true passes --tlsverify (client certificates required);
	// false passes --tls --tlsverify=false (TLS without client auth).
	Verify bool
}

// Dockerd is one real dockerd started by a test, with every bit of its
// state under Dir. It starts its own containerd with private state, so
// several can run at once.
type Dockerd struct {
	Dir        string // everything of this daemon lives here
	Socket     string // unix socket path
	Host       string // "unix://" + Socket, for DOCKER_HOST
	TCPAddr    string // "127.0.0.1:PORT" (reserved even with NoTCP/NoHostFlags)
	ConfigPath string // the --config-file (daemon.json)
	LogPath    string // dockerd's stdout+stderr, appended across restarts
	PidFile    string // dockerd's --pidfile
	DataRoot   string
	ExecRoot   string

	opts DockerdOptions
	t    testing.TB
	// waitDone is closed when the process this harness started directly is
	// reaped; nil when no such process runs (or it was started by the
	// restart script, which is not our child).
	waitDone chan struct{}
	childPid int
}

// StartDockerd starts a dockerd and waits until it answers /_ping. It stops
// the test when dockerd cannot run here (not root, not installed) or does
// not come up; everything is torn down by t.Cleanup.
func StartDockerd(t testing.TB, opts DockerdOptions) *Dockerd {
	t.Helper()
	d := NewDockerd(t, opts)
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	return d
}

// NewDockerd prepares a daemon's directory, config file and restart script
// without starting it, so a test can learn Socket/TCPAddr first (or expect
// Start to fail).
func NewDockerd(t testing.TB, opts DockerdOptions) *Dockerd {
	t.Helper()
	RequireRoot(t)
	if _, err := os.Stat(DockerdBinary); err != nil {
		Unavailable(t, "dockerd", "apt-get install docker.io")
	}
	removeStaleDockerds()
	// A short directory: unix socket paths are limited to 108 bytes and
	// containerd nests its sockets under the exec root.
	dir, err := os.MkdirTemp("", "dtd")
	if err != nil {
		t.Fatalf("creating a directory for dockerd: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		t.Fatalf("recording the owner of dockerd's directory: %v", err)
	}
	port, err := freeLoopbackPort()
	if err != nil {
		t.Fatalf("finding a free loopback port for dockerd: %v", err)
	}
	d := &Dockerd{
		Dir:        dir,
		Socket:     filepath.Join(dir, "docker.sock"),
		TCPAddr:    "127.0.0.1:" + strconv.Itoa(port),
		ConfigPath: filepath.Join(dir, "daemon.json"),
		LogPath:    filepath.Join(dir, "dockerd.log"),
		PidFile:    filepath.Join(dir, "dockerd.pid"),
		DataRoot:   filepath.Join(dir, "data"),
		ExecRoot:   filepath.Join(dir, "exec"),
		opts:       opts,
		t:          t,
	}
	d.Host = "unix://" + d.Socket
	if opts.StartTimeout == 0 {
		d.opts.StartTimeout = 60 * time.Second
	}
	t.Cleanup(d.cleanup)
	cfg := opts.DaemonJSON
	if cfg == "" {
		cfg = "{}\n"
	}
	if err := os.WriteFile(d.ConfigPath, []byte(cfg), 0o644); err != nil {
		t.Fatalf("writing dockerd's config file: %v", err)
	}
	if err := os.WriteFile(d.restartScriptPath(), []byte(d.restartScript()), 0o755); err != nil {
		t.Fatalf("writing dockerd's restart script: %v", err)
	}
	return d
}

// Args is dockerd's full command line (argv[0] included).
func (d *Dockerd) Args() []string {
	args := []string{DockerdBinary,
		"--config-file", d.ConfigPath,
		"--data-root", d.DataRoot,
		"--exec-root", d.ExecRoot,
		"--pidfile", d.PidFile,
		// Private containerd namespaces: the daemons start their own
		// containerd (state under ExecRoot/DataRoot) and never meet.
		"--containerd-namespace", "dtd-" + filepath.Base(d.Dir),
		"--containerd-plugins-namespace", "dtd-" + filepath.Base(d.Dir) + "-plugins",
		// Leave the host's firewall and bridges alone; vfs works on any fs.
		"--iptables=false", "--ip6tables=false", "--ip-forward=false", "--ip-masq=false",
		"--bridge=none", "--storage-driver=vfs",
	}
	if !d.opts.NoHostFlags {
		args = append(args, "-H", d.Host)
		if !d.opts.NoTCP {
			args = append(args, "-H", "tcp://"+d.TCPAddr)
		}
	}
	if tls := d.opts.TLS; tls != nil {
		if tls.Verify {
			args = append(args, "--tlsverify")
		} else {
			args = append(args, "--tls", "--tlsverify=false")
		}
		if tls.CACert != "" {
			args = append(args, "--tlscacert", tls.CACert)
		}
		if tls.Cert != "" {
			args = append(args, "--tlscert", tls.Cert)
		}
		if tls.Key != "" {
			args = append(args, "--tlskey", tls.Key)
		}
	}
	return append(args, d.opts.ExtraArgs...)
}

// Start launches dockerd and waits (bounded by StartTimeout) until /_ping
// answers on the unix socket. The error carries the tail of the log.
func (d *Dockerd) Start() error {
	if pid := d.runningPid(); pid > 0 {
		return fmt.Errorf("dockerd in %s is already running as pid %d: call Stop or Restart", d.Dir, pid)
	}
	logf, err := os.OpenFile(d.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("opening dockerd's log file: %w", err)
	}
	defer logf.Close()
	args := d.Args()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own session and process group, like the restart script's setsid,
	// so Stop can signal the whole group.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", DockerdBinary, err)
	}
	if err := os.WriteFile(d.launcherPidPath(), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		_ = cmd.Process.Kill()
		return fmt.Errorf("recording dockerd's pid: %w", err)
	}
	done := make(chan struct{})
	d.waitDone, d.childPid = done, cmd.Process.Pid
	go func() { _ = cmd.Wait(); close(done) }()
	return d.WaitReady(d.opts.StartTimeout)
}

// WaitReady waits until the daemon answers /_ping on its unix socket and
// its TCP listener (when it has one: from the flags, or TCPAddr named in
// the config file) accepts connections; it fails early when the process is
// gone.
func (d *Dockerd) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if err := d.Ping(); err == nil && d.tcpReady() {
			return nil
		}
		if d.exited() {
			return fmt.Errorf("dockerd exited before answering /_ping on %s; its log ends with:\n%s", d.Socket, d.LogTail(30))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("dockerd did not answer /_ping on %s within %s; its log ends with:\n%s", d.Socket, timeout, d.LogTail(30))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// exited reports whether the dockerd launched last is gone: for our own
// child by its reaping, for one the restart script launched by /proc.
func (d *Dockerd) exited() bool {
	if d.waitDone != nil && d.ownedPidFile() == d.childPid {
		select {
		case <-d.waitDone:
			return true
		default:
			return false
		}
	}
	return d.runningPid() == 0
}

// ownedPidFile is the pid recorded in launcher.pid, alive or not.
func (d *Dockerd) ownedPidFile() int {
	b, err := os.ReadFile(d.launcherPidPath())
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// tcpReady reports whether the TCP listener, when this daemon has one,
// accepts connections: dockerd opens it a moment after the unix socket.
func (d *Dockerd) tcpReady() bool {
	want := !d.opts.NoTCP && !d.opts.NoHostFlags
	if d.opts.NoHostFlags {
		cfg, err := os.ReadFile(d.ConfigPath)
		want = err == nil && strings.Contains(string(cfg), d.TCPAddr)
	}
	if !want {
		return true
	}
	c, err := net.DialTimeout("tcp", d.TCPAddr, time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// Ping asks the daemon's unix socket for /_ping once.
func (d *Dockerd) Ping() error {
	client := &http.Client{
		Timeout: 2 * time.Second,
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var dialer net.Dialer
			return dialer.DialContext(ctx, "unix", d.Socket)
		}},
	}
	defer client.CloseIdleConnections()
	resp, err := client.Get("http://docker/_ping")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("dockerd answered /_ping with %s", resp.Status)
	}
	return nil
}

// Stop terminates dockerd (SIGTERM to its process group, SIGKILL after 15s)
// and waits until it and its containerd are gone. Stopping a stopped
// daemon is fine.
func (d *Dockerd) Stop() error {
	pid := d.runningPid()
	if pid > 0 {
		_ = syscall.Kill(-pid, syscall.SIGTERM)
		if !d.waitGone(pid, 15*time.Second) {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			if !d.waitGone(pid, 5*time.Second) {
				return fmt.Errorf("dockerd (pid %d) in %s did not exit after SIGKILL", pid, d.Dir)
			}
		}
	}
	// dockerd stops its containerd on SIGTERM and containerd dies with it
	// on SIGKILL (Pdeathsig); make sure, as a leftover would hold mounts.
	if cpid := d.ownedPid(filepath.Join(d.ExecRoot, "containerd", "containerd.pid")); cpid > 0 {
		_ = syscall.Kill(cpid, syscall.SIGKILL)
		d.waitGone(cpid, 5*time.Second)
	}
	return nil
}

// Restart stops the daemon and starts it again with the same flags, reading
// ConfigPath anew.
func (d *Dockerd) Restart() error {
	if err := d.Stop(); err != nil {
		return err
	}
	return d.Start()
}

// RestartCommand is a shell command that does what `systemctl restart
// docker` does for this daemon: stop it, start it again with the same flags
// and the current ConfigPath, and exit non-zero (with the log's tail on
// stderr) when it does not come up within StartTimeout. It is what tests
// give the daemon-config step as a custom restart command.
func (d *Dockerd) RestartCommand() string {
	return "/bin/sh " + d.restartScriptPath()
}

// Logs returns everything dockerd has logged so far (all restarts).
func (d *Dockerd) Logs() string {
	b, err := os.ReadFile(d.LogPath)
	if err != nil {
		return fmt.Sprintf("(cannot read dockerd's log %s: %v)", d.LogPath, err)
	}
	return string(b)
}

// LogTail returns the last n lines of the log.
func (d *Dockerd) LogTail(n int) string {
	lines := strings.Split(strings.TrimRight(d.Logs(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Pid is the running dockerd's pid, or 0.
func (d *Dockerd) Pid() int { return d.runningPid() }

func (d *Dockerd) launcherPidPath() string   { return filepath.Join(d.Dir, "launcher.pid") }
func (d *Dockerd) restartScriptPath() string { return filepath.Join(d.Dir, "restart.sh") }

// runningPid is the pid of the dockerd this harness (or its restart script)
// launched, when that process is still alive and not a zombie.
func (d *Dockerd) runningPid() int {
	return d.ownedPid(d.launcherPidPath())
}

// ownedPid reads a pid file and returns the pid when that process is alive
// and its command line mentions Dir (so a recycled pid is never signalled).
func (d *Dockerd) ownedPid(pidFile string) int {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	if !processAlive(pid) {
		return 0
	}
	// A recycled pid runs something else; an empty or unreadable cmdline
	// (the kernel gives none while a process execs or exits) is not proof
	// of that.
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err == nil && len(cmdline) > 0 && !strings.Contains(string(cmdline), d.Dir) {
		return 0
	}
	return pid
}

// waitGone polls until pid has exited (and, if it is our child, been
// reaped).
func (d *Dockerd) waitGone(pid int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if !processAlive(pid) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return !processAlive(pid)
}

// processAlive is true for a running process; a zombie counts as gone.
func processAlive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return false
	}
	return s[i+2] != 'Z'
}

// cleanup stops the daemon, unmounts whatever it left under Dir (the exec
// root's netns bind mount, for one) and removes Dir. On failure it keeps
// Dir and names it, so the leftovers can be inspected.
func (d *Dockerd) cleanup() {
	if err := d.Stop(); err != nil {
		d.t.Errorf("cleaning up dockerd: %v", err)
	}
	if d.waitDone != nil {
		select {
		case <-d.waitDone:
		case <-time.After(5 * time.Second):
		}
	}
	if err := unmountUnder(d.Dir); err != nil {
		d.t.Errorf("cleaning up dockerd: %v (leaving %s in place)", err, d.Dir)
		return
	}
	if err := os.RemoveAll(d.Dir); err != nil {
		d.t.Errorf("removing dockerd's directory: %v", err)
	}
}

// unmountUnder detaches every mount point at or below dir, deepest first.
func unmountUnder(dir string) error {
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return fmt.Errorf("reading /proc/self/mountinfo: %w", err)
	}
	var points []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		mp := unescapeMountPath(f[4])
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			points = append(points, mp)
		}
	}
	var errs []error
	for i := len(points) - 1; i >= 0; i-- {
		if err := syscall.Unmount(points[i], syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) {
			errs = append(errs, fmt.Errorf("unmounting %s: %w", points[i], err))
		}
	}
	return errors.Join(errs...)
}

// unescapeMountPath undoes mountinfo's octal escapes (\040 for a space...).
func unescapeMountPath(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// freeLoopbackPort asks the kernel for a free port on 127.0.0.1. Another
// process may take it before dockerd binds it; Start then fails with
// "address already in use" in the log, which says so.
func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
