package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/wizard/plan"
)

// stockNode is a Debian node as Inspect reports it: stock docker.service
// with -H fd://, docker.socket, no daemon.json, two running containers.
func stockNode() *Node {
	return &Node{
		Host: "node3", OS: "Linux", Kind: KindEngine, Init: InitSystemd,
		UnitLoaded: true, ExecStart: stockArgv, UnitEnv: map[string]string{}, ActiveState: "active",
		SocketUnit: true, SocketPath: "/run/docker.sock",
		DropIn: FileState{Path: DropInPath}, TCPSocket: FileState{Path: TCPSocketPath},
		Config: FileState{Path: DefaultConfigPath}, Answers: true, Containers: 2,
		Version: "20.10.24+dfsg1", Dockerd: "/usr/sbin/dockerd", RunningPID: 100,
		TLSFiles: map[string]FileState{},
	}
}

func configHosts(t *testing.T, data []byte) []string {
	t.Helper()
	var v struct {
		Hosts []string `json:"hosts"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("daemon.json: %v\n%s", err, data)
	}
	return v.Hosts
}

func fileChange(c *Change, p string) *FileChange {
	for i := range c.Files {
		if c.Files[i].Path == p {
			return &c.Files[i]
		}
	}
	return nil
}

func TestPlanStockNode(t *testing.T) {
	c, err := Plan(stockNode(), Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if c.NoOp || len(c.Files) != 2 || c.ContainersStopped != 2 {
		t.Fatalf("plan: noop %v files %d stopped %d", c.NoOp, len(c.Files), c.ContainersStopped)
	}
	cfg := fileChange(c, DefaultConfigPath)
	if got := configHosts(t, cfg.After); !reflect.DeepEqual(got, []string{"fd://", "tcp://0.0.0.0:2376"}) {
		t.Errorf("hosts %q", got)
	}
	if !strings.HasPrefix(cfg.Diff, "--- /dev/null\n+++ /etc/docker/daemon.json\n") || cfg.Mode != 0o644 {
		t.Errorf("diff/mode: %o\n%s", cfg.Mode, cfg.Diff)
	}
	drop := fileChange(c, DropInPath)
	if drop == nil || !strings.Contains(string(drop.After), "ExecStart=/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock $DOCKER_OPTS\n") {
		t.Fatalf("drop-in: %+v", drop)
	}
	want := []string{"sudo systemctl daemon-reload", "sudo systemctl reset-failed docker.service docker.socket",
		"sudo systemctl stop docker.service", "sudo systemctl restart docker.socket", "sudo systemctl start docker.service"}
	if !reflect.DeepEqual(c.Restart.Manual, want) {
		t.Errorf("restart %q", c.Restart.Manual)
	}
}

// configured is the stock node after a successful Apply.
func configured(t *testing.T, mode string) *Node {
	n := stockNode()
	c, err := Plan(n, Settings{Mode: mode})
	if err != nil {
		t.Fatal(err)
	}
	n.Config.Exists, n.Config.Data = true, fileChange(c, DefaultConfigPath).After
	if d := fileChange(c, DropInPath); d != nil {
		n.DropIn.Exists, n.DropIn.Data = true, d.After
		n.ExecStart, _, _ = RewriteExecStart(n.ExecStart, n.UnitEnv)
	}
	if s := fileChange(c, TCPSocketPath); s != nil {
		n.TCPSocket.Exists, n.TCPSocket.Data = true, s.After
		n.TCPSocketLive = "active"
		n.ListenOwner = "systemd"
	} else {
		n.ListenOwner, n.ListenPID = "dockerd", n.RunningPID
	}
	return n
}

func TestPlanAgainIsNoOp(t *testing.T) {
	for _, mode := range []string{ModeHosts, ModeSocket} {
		c, err := Plan(configured(t, mode), Settings{Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if !c.NoOp || len(c.Files) != 0 {
			t.Errorf("%s: re-plan is not a no-op: %+v", mode, c.Files)
		}
	}
}

func TestPlanRestartsWhenRightButNotLoaded(t *testing.T) {
	n := configured(t, ModeHosts)
	n.ListenOwner, n.ListenPID = "", 0
	c, err := Plan(n, Settings{})
	if err != nil || c.NoOp || len(c.Files) != 0 || !strings.Contains(strings.Join(c.Notes, " "), "has not loaded it") {
		t.Fatalf("err %v noop %v notes %q", err, c.NoOp, c.Notes)
	}
}

func TestPlanRepairsClassicBrokenState(t *testing.T) {
	n := stockNode()
	n.ActiveState, n.Answers, n.Containers = "failed", false, -1
	n.Config = FileState{Path: DefaultConfigPath, Exists: true, Data: []byte(`{
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
  "tls": true,
  "tlsverify": true,
  "tlscacert": "/etc/docker/tls/ca.pem",
  "tlscert": "/etc/docker/tls/server-cert.pem",
  "tlskey": "/etc/docker/tls/server-key.pem",
  "log-driver": "journald"
}
`)}
	c, err := Plan(n, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if fileChange(c, DropInPath) == nil {
		t.Fatal("no drop-in: the -H fd:// conflict stays")
	}
	if got := configHosts(t, fileChange(c, DefaultConfigPath).After); !reflect.DeepEqual(got, []string{"fd://", "tcp://0.0.0.0:2376"}) {
		t.Errorf("hosts %q", got)
	}
	if !strings.Contains(strings.Join(c.Notes, "\n"), "is replaced by fd://") {
		t.Errorf("notes %q", c.Notes)
	}
	if c.ContainersStopped != -1 {
		t.Errorf("unknown container count shown as %d", c.ContainersStopped)
	}
}

func TestPlanSocketMode(t *testing.T) {
	c, err := Plan(stockNode(), Settings{Mode: ModeSocket, Listen: "tcp://0.0.0.0:2376"})
	if err != nil {
		t.Fatal(err)
	}
	if got := configHosts(t, fileChange(c, DefaultConfigPath).After); !reflect.DeepEqual(got, []string{"fd://"}) {
		t.Errorf("hosts %q", got)
	}
	if fileChange(c, TCPSocketPath) == nil {
		t.Fatal("no docker-tcp.socket")
	}
	manual := strings.Join(c.Restart.Manual, "\n")
	if !strings.Contains(manual, "enable docker-tcp.socket") || !strings.Contains(manual, "restart docker-tcp.socket") {
		t.Errorf("restart %s", manual)
	}
}

func TestPlanRefusals(t *testing.T) {
	taken := stockNode()
	taken.ListenOwner, taken.ListenPID = "nginx", 77
	bad := stockNode()
	bad.Config = FileState{Path: DefaultConfigPath, Exists: true, Data: []byte("{\n  \"debug\": true,\n}\n")}
	_, bad.ConfigErr = parseConfig(bad.Config.Data)
	mac := &Node{Host: "mac", OS: "Darwin", Kind: KindUnsupported, Detail: "Docker Desktop on macOS"}
	custom := stockNode()
	custom.Init, custom.ExecStart = InitNone, nil
	custom.RunningArgs = []string{"/usr/sbin/dockerd", "-H", "unix:///x.sock"}
	cases := []struct {
		n    *Node
		s    Settings
		want string
	}{
		{taken, Settings{}, "nginx (pid 77)"},
		{bad, Settings{}, "line 3, column 1"},
		{mac, Settings{}, "macOS"},
		{custom, Settings{Restart: "/usr/local/bin/restart-docker"}, "cannot change them"},
		{stockNode(), Settings{Mode: "tcp"}, "unknown"},
		{configured(t, ModeSocket), Settings{Mode: ModeHosts}, "disable --now docker-tcp.socket"},
		{stockNode(), Settings{CertDir: "~/certs"}, "absolute"},
		{stockNode(), Settings{Listen: "tcp://0.0.0.0"}, "port"},
	}
	for _, c := range cases {
		_, err := Plan(c.n, c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want an error with %q, got %v", c.want, err)
		}
	}
	var je *JSONError
	if _, err := Plan(bad, Settings{}); !errors.As(err, &je) {
		t.Errorf("invalid JSON must be a *JSONError, got %T", err)
	}
}

func TestPlanKeepsSettingsAndDropsTLSFalse(t *testing.T) {
	n := stockNode()
	n.Config = FileState{Path: DefaultConfigPath, Exists: true, Data: []byte(`{"live-restore": true, "tls": false, "log-opts": {"max-size": "10m"}}`)}
	n.LiveRestore = true
	c, err := Plan(n, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	after := string(fileChange(c, DefaultConfigPath).After)
	if strings.Contains(after, `"tls"`) || !strings.Contains(after, `"log-opts": {"max-size": "10m"}`) || c.ContainersStopped != 0 {
		t.Errorf("stopped %d, daemon.json:\n%s", c.ContainersStopped, after)
	}
}

func TestPlanRestartNoneAndCustom(t *testing.T) {
	c, err := Plan(stockNode(), Settings{Restart: RestartNone})
	if err != nil || c.Restart.Kind != RestartNone || len(c.Restart.Steps) != 0 || len(c.Restart.Manual) != 5 {
		t.Fatalf("none: %+v %v", c.Restart, err)
	}
	c, err = Plan(stockNode(), Settings{Restart: "/opt/restart docker"})
	if err != nil || !reflect.DeepEqual(c.Restart.Steps[0].Args, []string{"sh", "-c", "/opt/restart docker"}) {
		t.Fatalf("custom: %+v %v", c.Restart, err)
	}
}

func TestPlanDockerOptsNonSystemd(t *testing.T) {
	n := stockNode()
	n.Init, n.ExecStart, n.UnitLoaded, n.SocketUnit = InitSysV, nil, false, false
	n.RunningArgs = []string{"/usr/bin/dockerd", "-H", "unix:///var/run/docker.sock", "--dns", "8.8.8.8"}
	n.Defaults = FileState{Path: "/etc/default/docker", Exists: true, Mode: 0o644, Data: []byte("DOCKER_OPTS=\"-H unix:///var/run/docker.sock --dns 8.8.8.8\"\n")}
	n.DockerOpts, n.HasOpts = "-H unix:///var/run/docker.sock --dns 8.8.8.8", true
	c, err := Plan(n, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	d := fileChange(c, "/etc/default/docker")
	if d == nil || string(d.After) != "DOCKER_OPTS=\"--dns 8.8.8.8\"\n" {
		t.Fatalf("defaults: %+v", d)
	}
	if got := configHosts(t, fileChange(c, DefaultConfigPath).After); !reflect.DeepEqual(got, []string{"unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"}) {
		t.Errorf("hosts %q", got)
	}
	if c.Restart.Manual[0] != "sudo service docker restart" {
		t.Errorf("restart %q", c.Restart.Manual)
	}
}

func TestCheckNode(t *testing.T) {
	codes := func(is []Issue) string {
		var c []string
		for _, i := range is {
			c = append(c, i.Code)
		}
		return strings.Join(c, ",")
	}
	if got := codes(CheckNode(context.Background(), nil, configured(t, ModeHosts), Settings{})); got != "daemon-config-ok" {
		t.Errorf("configured node: %s", got)
	}
	n := stockNode()
	n.Config = FileState{Path: DefaultConfigPath, Exists: true, Data: []byte(`{"hosts": ["tcp://0.0.0.0:2375"]}`)}
	got := codes(CheckNode(context.Background(), nil, n, Settings{}))
	for _, want := range []string{"daemon-flag-file-conflict", "daemon-tls-off", "daemon-plain-tcp", "daemon-not-listening-configured"} {
		if !strings.Contains(got, want) {
			t.Errorf("broken node: %s lacks %s", got, want)
		}
	}
	n = configured(t, ModeHosts)
	n.Config.Data = []byte(strings.Replace(string(n.Config.Data), `"tlsverify": true`, `"tlsverify": false`, 1))
	if got := codes(CheckNode(context.Background(), nil, n, Settings{})); !strings.Contains(got, "daemon-tlsverify-off") {
		t.Errorf("tlsverify false: %s", got)
	}
}

// A tutorial's override.conf (it sorts after dockertls.conf) sets ExecStart
// with -H: our drop-in must sort after it to win.
func TestPlanTutorialOverride(t *testing.T) {
	n := stockNode()
	override := "/etc/systemd/system/docker.service.d/override.conf"
	n.DropIns = []string{override}
	n.DropInTexts = map[string]string{override: "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// -H tcp://0.0.0.0:2375 --containerd=/run/containerd/containerd.sock\n"}
	n.ExecStart = []string{"/usr/sbin/dockerd", "-H", "fd://", "-H", "tcp://0.0.0.0:2375", "--containerd=/run/containerd/containerd.sock"}
	c, err := Plan(n, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if fileChange(c, DropInPath) != nil || fileChange(c, LateDropInPath) == nil {
		t.Fatalf("drop-in not written after override.conf: %+v", c.Files)
	}
	if !strings.Contains(string(fileChange(c, LateDropInPath).After), "ExecStart=/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock\n") {
		t.Errorf("drop-in:\n%s", fileChange(c, LateDropInPath).After)
	}
	if notes := strings.Join(c.Notes, "\n"); !strings.Contains(notes, "tcp://0.0.0.0:2375 is dropped") {
		t.Errorf("the plain 2375 listener is not named: %s", notes)
	}
	n.DropInTexts["/etc/systemd/system/docker.service.d/zzz.conf"] = "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\n"
	if _, err := Plan(n, Settings{}); err == nil || !strings.Contains(err.Error(), "zzz.conf") {
		t.Errorf("a drop-in sorting after ours must be named: %v", err)
	}
}

func TestPlanRefusesSnapAndRootlessUnlessConfigured(t *testing.T) {
	snap := stockNode()
	snap.Kind, snap.Detail = KindSnap, "Docker is installed as a snap"
	if _, err := Plan(snap, Settings{}); err == nil || !strings.Contains(err.Error(), "/var/snap/docker/current/config/daemon.json") {
		t.Errorf("snap with default settings: %v", err)
	}
	c, err := Plan(snap, Settings{ConfigPath: "/var/snap/docker/current/config/daemon.json", Restart: "snap restart docker"})
	if err != nil || c.Restart.Manual[0] != "sudo sh -c 'snap restart docker'" {
		t.Errorf("snap with its paths: %v %+v", err, c)
	}
	rootless := stockNode()
	rootless.Kind, rootless.Detail = KindRootless, "dockerd runs rootless as uid 1000"
	if _, err := Plan(rootless, Settings{}); err == nil || !strings.Contains(err.Error(), "rootless") {
		t.Errorf("rootless: %v", err)
	}
}

// The -H fd:// the drop-in leaves out is expected and handled: it is
// information, not a warning; $DOCKER_OPTS losing flags stays a warning.
func TestPlanDropInNoteIsInfo(t *testing.T) {
	c, err := Plan(stockNode(), Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Info) != 1 || !strings.Contains(c.Info[0], "-H fd://") {
		t.Errorf("info %q", c.Info)
	}
	if strings.Contains(strings.Join(c.Notes, " "), "-H fd://") {
		t.Errorf("the handled -H fd:// is among the warnings: %q", c.Notes)
	}
	n := stockNode()
	n.ExecStart = []string{"/usr/sbin/dockerd", "-H", "fd://", "$DOCKER_OPTS"}
	n.UnitEnv = map[string]string{"DOCKER_OPTS": "-H tcp://0.0.0.0:2375 --dns 8.8.8.8"}
	c, err = Plan(n, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(c.Notes, " "), "$DOCKER_OPTS is no longer read") {
		t.Errorf("the $DOCKER_OPTS warning is gone: notes %q info %q", c.Notes, c.Info)
	}
}

// A daemon that does not answer is described in plain words; curl's own
// words are only a trailing detail.
func TestCheckNodeDaemonDownInPlainWords(t *testing.T) {
	n := configured(t, ModeHosts)
	n.Answers = false
	n.PingOutput = "curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server"
	var got *Issue
	for _, is := range CheckNode(context.Background(), nil, n, Settings{}) {
		if is.Code == "daemon-down" {
			got = &is
		}
	}
	if got == nil {
		t.Fatal("no daemon-down issue")
	}
	// curl's own words name port 80, which has nothing to do with it
	want := "the Docker daemon on node3 is not running: its socket /run/docker.sock does not answer (nothing accepts connections on the socket)"
	if got.Message != want || strings.Contains(got.Message, "curl") {
		t.Errorf("message %q, want %q", got.Message, want)
	}
	if fx := got.Fix.String(); !strings.Contains(fx, "systemctl start docker") || !strings.Contains(fx, "journalctl -u docker") || len(got.Fix.Commands()) != 1 || !strings.Contains(fx, "--yes") {
		t.Errorf("fix %q", got.Fix.String())
	}
	n.ActiveState = "failed"
	for _, is := range CheckNode(context.Background(), nil, n, Settings{}) {
		if is.Code == "daemon-down" && is.Message != "the Docker daemon on node3 is not running (docker.service is failed)" {
			t.Errorf("failed unit: %q", is.Message)
		}
	}
}

// A dockerd started by hand (its own pid file, no unit, no service script
// behind it) is not restarted by auto: the refusal says what runs it and
// names daemon.restart; a custom command or none is taken.
func TestPlanHandStartedDaemonNeedsRestartCommand(t *testing.T) {
	hand := func(init string) *Node {
		n := stockNode()
		n.Init, n.UnitLoaded, n.ExecStart, n.SocketUnit, n.ActiveState = init, false, nil, false, ""
		n.RunningArgs = []string{"/usr/sbin/dockerd", "--config-file", DefaultConfigPath, "--pidfile", "/tmp/d/docker.pid"}
		return n
	}
	for _, init := range []string{InitSysV, InitNone} {
		_, err := Plan(hand(init), Settings{})
		if err == nil || plan.FieldOf(err) != "daemon.restart" {
			t.Fatalf("init %q: err %v (field %q), want a refusal naming daemon.restart", init, err, plan.FieldOf(err))
		}
		for _, w := range []string{"dockerd (pid 100) was started by hand: /usr/sbin/dockerd --config-file /etc/docker/daemon.json --pidfile /tmp/d/docker.pid", "Restart with"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("init %q: %q lacks %q", init, err, w)
			}
		}
	}
	c, err := Plan(hand(InitSysV), Settings{Restart: "/tmp/d/restart.sh"})
	if err != nil || c.Restart.Found != "your command (daemon.restart)" || c.Restart.Command() != "sudo sh -c /tmp/d/restart.sh" {
		t.Fatalf("custom restart: %v %+v", err, c)
	}
	c, err = Plan(hand(InitSysV), Settings{Restart: RestartNone})
	if err != nil || !strings.Contains(strings.Join(c.Restart.Manual, "\n"), "sudo /usr/sbin/dockerd --config-file") {
		t.Fatalf("none: %v %+v", err, c.Restart)
	}
	// The service script's own daemon (default pid file) is restarted by it.
	svc := hand(InitSysV)
	svc.RunningArgs = []string{"/usr/sbin/dockerd", "-p", "/var/run/docker.pid"}
	if c, err := Plan(svc, Settings{}); err != nil || c.Restart.Found != "the service script /etc/init.d/docker" {
		t.Fatalf("service: %v %+v", err, c)
	}
}
