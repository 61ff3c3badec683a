package daemon

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

const stockShow = "ExecStart={ path=/usr/sbin/dockerd ; argv[]=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }"

var stockArgv = []string{"/usr/sbin/dockerd", "-H", "fd://", "--containerd=/run/containerd/containerd.sock", "$DOCKER_OPTS"}

func TestParseExecStart(t *testing.T) {
	got, err := ParseExecStart(stockShow)
	if err != nil || !reflect.DeepEqual(got, stockArgv) {
		t.Fatalf("got %q, %v", got, err)
	}
	got, err = ParseExecStart(`ExecStart={ path=/usr/bin/dockerd ; argv[]=/usr/bin/dockerd --label "a b" ; ignore_errors=yes ; start_time=[Sun 2026-11-22] ; stop_time=[n/a] ; pid=12 ; code=(null) ; status=0/0 }`)
	if err != nil || !reflect.DeepEqual(got, []string{"/usr/bin/dockerd", "--label", "a b"}) {
		t.Fatalf("quoted: got %q, %v", got, err)
	}
	for _, bad := range []string{"", "ExecStart=", "ExecStart={ path=/x ; }", `ExecStart={ argv[]="unterminated ; x }`} {
		if _, err := ParseExecStart(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestParseDockerdArgs(t *testing.T) {
	args := parseDockerdArgs([]string{"-H", "fd://", "-Htcp://1.2.3.4:2375", "--host=unix:///x", "--tlsverify", "--tlscacert", "/ca", "--debug", "--log-level=warn", "-D", "--containerd=/c", "$DOCKER_OPTS"})
	if got := hostFlags(args); !reflect.DeepEqual(got, []string{"fd://", "tcp://1.2.3.4:2375", "unix:///x"}) {
		t.Errorf("hosts %q", got)
	}
	keys := flagConfigKeys(args)
	for _, k := range []string{"hosts", "tlsverify", "tlscacert", "debug", "log-level", "containerd"} {
		if !keys[k] {
			t.Errorf("key %s missing from %v", k, keys)
		}
	}
	if !hasOwnedFlag(args) || hasOwnedFlag(parseDockerdArgs([]string{"--containerd=/c", "--log-level", "debug"})) {
		t.Error("hasOwnedFlag wrong")
	}
}

func TestRewriteExecStartStock(t *testing.T) {
	out, notes, _ := RewriteExecStart(stockArgv, map[string]string{})
	want := []string{"/usr/sbin/dockerd", "--containerd=/run/containerd/containerd.sock", "$DOCKER_OPTS"}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("got %q want %q", out, want)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "-H fd://") {
		t.Errorf("notes %q", notes)
	}
}

func TestRewriteExecStartDockerOptsWithHosts(t *testing.T) {
	env := map[string]string{"DOCKER_OPTS": `--dns 8.8.8.8 -H tcp://0.0.0.0:2375 --tls --label "x=a b"`}
	out, notes, _ := RewriteExecStart(stockArgv, env)
	want := []string{"/usr/sbin/dockerd", "--containerd=/run/containerd/containerd.sock", "--dns", "8.8.8.8", "--label", "x=a b"}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("got %q want %q", out, want)
	}
	joined := strings.Join(notes, "\n")
	if !strings.Contains(joined, "$DOCKER_OPTS is no longer read") || !strings.Contains(joined, "-H tcp://0.0.0.0:2375") || !strings.Contains(joined, "--dns 8.8.8.8") {
		t.Errorf("notes do not explain: %s", joined)
	}
	// Harmless DOCKER_OPTS stay a reference.
	out, _, _ = RewriteExecStart(stockArgv, map[string]string{"DOCKER_OPTS": "--dns 1.1.1.1"})
	if out[len(out)-1] != "$DOCKER_OPTS" {
		t.Errorf("harmless $DOCKER_OPTS not kept: %q", out)
	}
}

// An unknown flag right before $DOCKER_OPTS or a -H flag is refused and
// named: whether it takes a value decides whether the -H survives.
func TestRewriteExecStartRefusesToGuess(t *testing.T) {
	env := map[string]string{"DOCKER_OPTS": "-H tcp://0.0.0.0:2375"}
	for _, tc := range []struct {
		argv []string
		env  map[string]string
		flag string
	}{
		{[]string{"/usr/bin/dockerd", "--some-new-switch", "$DOCKER_OPTS"}, env, "--some-new-switch"},
		{[]string{"/usr/bin/dockerd", "--some-new-switch", "${DOCKER_OPTS}"}, env, "--some-new-switch"},
		{[]string{"/usr/bin/dockerd", "--some-new-switch", "-H", "fd://"}, nil, "--some-new-switch"},
		{[]string{"0", "-0", "$DOCKER_OPTS"}, map[string]string{"DOCKER_OPTS": "0 -H"}, "-0"},
		{[]string{"/usr/bin/dockerd", "$DOCKER_OPTS"}, map[string]string{"DOCKER_OPTS": "--some-new-switch -H tcp://0.0.0.0:2375"}, "--some-new-switch"},
	} {
		_, _, err := RewriteExecStart(tc.argv, tc.env)
		if err == nil || !strings.Contains(err.Error(), "passes "+tc.flag+", a dockerd flag dockertls does not know") || !strings.Contains(err.Error(), tc.flag+"=true") {
			t.Errorf("%q with %q: got %v, want a refusal naming %s", tc.argv, tc.env, err, tc.flag)
		}
	}
	// Known switches and value flags are no guess: -H after them is dropped.
	for _, argv := range [][]string{
		{"/usr/bin/dockerd", "--cri-containerd", "$DOCKER_OPTS"},
		{"/usr/bin/dockerd", "--some-new-switch=true", "$DOCKER_OPTS"},
		{"/usr/bin/dockerd", "--log-level", "debug", "$DOCKER_OPTS"},
		{"/usr/bin/dockerd", "--some-new-flag", "value", "$DOCKER_OPTS"},
	} {
		out, _, err := RewriteExecStart(argv, env)
		if err != nil {
			t.Errorf("%q: %v", argv, err)
			continue
		}
		if hasOwnedFlag(parseDockerdArgs(out[1:])) || slices.Contains(out, "$DOCKER_OPTS") {
			t.Errorf("%q: -H survives in %q", argv, out)
		}
	}
}

// Plan refuses the unknown flag too, before anything is changed, also when
// the -H it swallows is on the command line itself.
func TestPlanRefusesUnknownFlagBeforeHost(t *testing.T) {
	n := stockNode()
	n.ExecStart = []string{"/usr/bin/dockerd", "--some-new-switch", "-H", "fd://"}
	if _, err := Plan(n, Settings{Mode: ModeHosts}); err == nil || !strings.Contains(err.Error(), "--some-new-switch") {
		t.Fatalf("Plan: %v, want a refusal naming --some-new-switch", err)
	}
}

func TestRenderDropIn(t *testing.T) {
	data, _, err := RenderDropIn(stockArgv, nil, DefaultConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !strings.Contains(text, "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock $DOCKER_OPTS\n") {
		t.Errorf("drop-in:\n%s", text)
	}
	data, _, _ = RenderDropIn([]string{"/usr/bin/dockerd", "-H", "fd://", "--label", "a b", "--x=50%"}, nil, DefaultConfigPath)
	if !strings.Contains(string(data), `ExecStart=/usr/bin/dockerd --label "a b" --x=50%%`+"\n") {
		t.Errorf("quoting:\n%s", data)
	}
}

func TestRenderTCPSocket(t *testing.T) {
	data, err := RenderTCPSocket("tcp://0.0.0.0:2376")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Socket]\nListenStream=2376\nBindIPv6Only=both\nService=docker.service\n", "WantedBy=sockets.target"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("socket unit lacks %q:\n%s", want, data)
		}
	}
	data, _ = RenderTCPSocket("tcp://10.0.0.12:2376")
	if !strings.Contains(string(data), "ListenStream=10.0.0.12:2376\nService=") {
		t.Errorf("specific address:\n%s", data)
	}
	if _, err := RenderTCPSocket("tcp://host"); err == nil || !strings.Contains(err.Error(), "2375") {
		t.Errorf("no port: %v", err)
	}
}

func TestRewriteDockerOpts(t *testing.T) {
	in := "# Docker defaults\nDOCKER_OPTS=\"--dns 8.8.8.8 -H tcp://0.0.0.0:2375 -H unix:///var/run/docker.sock\"\nOTHER=1\n"
	out, removed, err := RewriteDockerOpts(in)
	if err != nil {
		t.Fatal(err)
	}
	if out != "# Docker defaults\nDOCKER_OPTS=\"--dns 8.8.8.8\"\nOTHER=1\n" || len(removed) != 2 {
		t.Errorf("got %q removed %q", out, removed)
	}
	same, removed, _ := RewriteDockerOpts("DOCKER_OPTS=\"--dns 8.8.8.8\"\n")
	if same != "DOCKER_OPTS=\"--dns 8.8.8.8\"\n" || len(removed) != 0 {
		t.Errorf("harmless line changed: %q", same)
	}
}

func TestParseSSOwner(t *testing.T) {
	name, pid := parseSSOwner(`LISTEN 0      4096               *:2376            *:*    users:(("dockerd",pid=812,fd=9))`)
	if name != "dockerd" || pid != 812 {
		t.Errorf("got %s %d", name, pid)
	}
	if name, _ := parseSSOwner(""); name != "" {
		t.Errorf("empty: %s", name)
	}
	if name, _ := parseSSOwner("LISTEN 0 5 0.0.0.0:2376 0.0.0.0:*"); name == "" {
		t.Error("a listener without process info must count as taken")
	}
}

func TestVersion(t *testing.T) {
	v := parseDockerdVersion("Docker version 20.10.24+dfsg1, build 5d6db84\n")
	if v != "20.10.24+dfsg1" {
		t.Fatalf("got %q", v)
	}
	if ma, mi := versionMajorMinor(v); ma != 20 || mi != 10 {
		t.Errorf("got %d.%d", ma, mi)
	}
	if !(&Node{Version: "28.2.2"}).canValidate() || (&Node{Version: v}).canValidate() {
		t.Error("canValidate wrong")
	}
}

func TestUnifiedDiff(t *testing.T) {
	old := "{\n  \"a\": 1,\n  \"b\": 2\n}\n"
	new := "{\n  \"a\": 1,\n  \"b\": 3,\n  \"c\": 4\n}\n"
	got := UnifiedDiff("/etc/docker/daemon.json", old, new, true)
	want := "--- /etc/docker/daemon.json\n+++ /etc/docker/daemon.json\n@@ -1,4 +1,5 @@\n {\n   \"a\": 1,\n-  \"b\": 2\n+  \"b\": 3,\n+  \"c\": 4\n }\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if d := UnifiedDiff("/x", "", "a\n", false); d != "--- /dev/null\n+++ /x\n@@ -0,0 +1 @@\n+a\n" {
		t.Errorf("new file: %q", d)
	}
	if UnifiedDiff("/x", "same", "same", true) != "" {
		t.Error("equal texts must give no diff")
	}
	if d := UnifiedDiff("/x", "a", "b", true); !strings.Contains(d, "\\ No newline at end of file") {
		t.Errorf("missing newline marker: %q", d)
	}
}

func TestSplitWords(t *testing.T) {
	got, err := splitWords(`a "b c" 'd e' f\ g "h\"i"`)
	if err != nil || !reflect.DeepEqual(got, []string{"a", "b c", "d e", "f g", `h"i`}) {
		t.Errorf("got %q %v", got, err)
	}
}

// FuzzRewriteExecStart: any `systemctl show` value either fails to parse
// or gives a command line without -H/TLS flags that the drop-in renders.
func FuzzRewriteExecStart(f *testing.F) {
	f.Add(stockShow, "--dns 8.8.8.8 -H tcp://0.0.0.0:2375")
	f.Add(`ExecStart={ path=/d ; argv[]=/d --tlsverify --tlscacert "/a b" -Hfd:// ${X} ; ignore_errors=no }`, "")
	// An unknown flag before the reference once swallowed it, and its -H survived.
	f.Add(`ExecStart={ path=0 ; argv[]=0 -0 $DOCKER_OPTS ; ignore_errors=no }`, "0 -H")
	f.Fuzz(func(t *testing.T, show, opts string) {
		argv, err := ParseExecStart(show)
		if err != nil {
			return
		}
		env := map[string]string{"DOCKER_OPTS": opts, "X": opts}
		out, _, err := RewriteExecStart(argv, env)
		if err != nil {
			// Refused: a flag dockertls does not know before a word that
			// matters; the drop-in is refused the same way.
			if _, _, rerr := RenderDropIn(argv, env, DefaultConfigPath); rerr == nil {
				t.Fatalf("RewriteExecStart refuses (%v) but RenderDropIn renders", err)
			}
			return
		}
		var expanded []string
		for _, w := range out[1:] {
			if isEnvRef(w) {
				words, err := splitWords(env[envRefName(w)])
				if err != nil {
					words = strings.Fields(env[envRefName(w)])
				}
				expanded = append(expanded, words...)
				continue
			}
			expanded = append(expanded, w)
		}
		if hasOwnedFlag(parseDockerdArgs(expanded)) {
			t.Fatalf("rewritten command still passes -H/TLS flags: %q (from %q, opts %q)", out, argv, opts)
		}
		if _, _, err := RenderDropIn(argv, env, DefaultConfigPath); err != nil {
			t.Fatal(err)
		}
	})
}
