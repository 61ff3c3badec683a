package daemon

import (
	"context"
	"io/fs"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
)

// scriptLib is shared by the inspection scripts: how a section is printed
// (see sections.go). file prints a file's state and contents, stat its
// state only (never the contents: the TLS key is one of them), data the
// contents only. Globbing is off because paths are split on spaces.
const scriptLib = `set -f
LC_ALL=C; export LC_ALL
enc() { printf '%s' "$1" | base64 | tr -d '\n'; }
body() { base64 | tr -d '\n'; echo; }
statline() { stat -L -c '%f %U %G %u %g' -- "$1" 2>&1; }
file() {
  k=$(enc "$1")
  if [ ! -e "$1" ]; then echo "=file $k 0"; echo; return; fi
  if [ -d "$1" ]; then echo "=file $k err"; printf '%s is a directory' "$1" | body; return; fi
  if ! st=$(statline "$1"); then echo "=file $k err"; printf '%s' "$st" | body; return; fi
  echo "=file $k 1 $st"; cat -- "$1" 2>/dev/null | body
}
stat1() {
  k=$(enc "$1")
  if [ ! -e "$1" ]; then echo "=stat $k 0"; echo; return; fi
  if ! st=$(statline "$1"); then echo "=stat $k err"; printf '%s' "$st" | body; return; fi
  echo "=stat $k 1 $st"; echo
}
data() {
  k=$(enc "$1")
  if [ -f "$1" ] && [ -r "$1" ]; then echo "=data $k 1"; cat -- "$1" 2>/dev/null | body; else echo "=data $k 0"; echo; fi
}
`

// gatherScript reads everything Inspect needs in one command, as root.
// Positional parameters: daemon.json's path, the TLS port, our drop-in,
// our late drop-in, our socket unit's file and name, then the TLS files.
const gatherScript = scriptLib + `conf=$1 port=$2 dropin=$3 late=$4 tcpsock=$5 tcpunit=$6; shift 6
os=$(uname -s 2>/dev/null)
echo "=uname"; printf '%s' "$os" | body
[ "$os" = Linux ] || exit 0
if [ -e /run/systemd/system ]; then init=systemd
elif command -v rc-service >/dev/null 2>&1; then init=openrc
elif command -v service >/dev/null 2>&1; then init=sysv
else init=none; fi
echo "=init $init"; echo
if [ $init = systemd ]; then
  show=$(systemctl show docker.service -p LoadState -p ExecStart -p DropInPaths -p EnvironmentFiles -p Environment \
    -p ActiveState -p SubState -p MainPID -p ActiveEnterTimestampMonotonic 2>&1)
  echo "=show service $?"; printf '%s' "$show" | body
  out=$(systemctl show docker.socket -p LoadState -p ActiveState -p Listen 2>&1)
  echo "=show socket $?"; printf '%s' "$out" | body
  out=$(systemctl show "$tcpunit" -p ActiveState 2>&1)
  echo "=show tcpsocket $?"; printf '%s' "$out" | body
  for f in $(printf '%s\n' "$show" | sed -n 's/^EnvironmentFiles=//p' | grep -o '[^ ]* (ignore_errors=[a-z]*)' | sed 's/ (ignore_errors=[a-z]*)$//'); do
    data "$f"
  done
  for f in $(printf '%s\n' "$show" | sed -n 's/^DropInPaths=//p'); do data "$f"; done
  file "$dropin"; file "$late"; file "$tcpsock"
fi
for f in /etc/default/docker /etc/conf.d/docker /etc/sysconfig/docker; do file "$f"; done
pids=$(pidof dockerd 2>/dev/null)
echo "=pids"; printf '%s' "$pids" | body
for p in $pids; do data /proc/$p/cmdline; data /proc/$p/status; done
file "$conf"
stat1 /snap/bin/docker; stat1 /opt/docker-desktop
out=$(ss -Hltnp "sport = :$port" 2>/dev/null)
echo "=ss $?"; printf '%s' "$out" | body
for f; do stat1 "$f"; done
`

// probeScript asks the chosen dockerd its version and, when a socket is
// given, pings the daemon there and counts its containers: curl when the
// host has it, else the docker CLI. Parameters: dockerd, socket or "".
const probeScript = scriptLib + `dockerd=$1 sock=$2
out=$("$dockerd" --version 2>/dev/null)
echo "=version $?"; printf '%s' "$out" | body
[ -n "$sock" ] || exit 0
if command -v curl >/dev/null 2>&1; then
  out=$(curl -sS --max-time 5 --unix-socket "$sock" http://localhost/_ping 2>&1); rc=$?
  echo "=ping curl $rc"; printf '%s' "$out" | body
  [ $rc = 0 ] && [ "$out" = OK ] || exit 0
  out=$(curl -sS --max-time 5 --unix-socket "$sock" http://localhost/containers/json 2>/dev/null)
  echo "=containers json $?"; printf '%s' "$out" | body
else
  out=$(docker -H "unix://$sock" version --format '{{.Server.Version}}' 2>&1); rc=$?
  echo "=ping docker $rc"; printf '%s' "$out" | body
  [ $rc = 0 ] && [ -n "$out" ] || exit 0
  out=$(docker -H "unix://$sock" ps -q 2>/dev/null)
  echo "=containers ids $?"; printf '%s' "$out" | body
fi
`

// answer is a script's sections by kind and first field (a path's
// sections by the decoded path).
type answer struct {
	host string
	by   map[string]section
}

// runScript runs one inspection script as root and parses its answer.
// what says what the script does: an i18n.Message ("inspecting Docker")
// or plain text.
func runScript(ctx context.Context, h remote.Host, what any, script string, args ...string) (*answer, int, error) {
	res, err := h.Run(ctx, remote.Command{Args: append([]string{"sh", "-c", script, "sh"}, args...), Sudo: true})
	if err != nil {
		return nil, -1, i18n.Errorf("daemon.script.failed", "What", what, "Host", h.Name(), "Err", err)
	}
	secs, perr := parseSections(res.Stdout)
	if perr != nil {
		if msg := strings.TrimSpace(string(res.Stderr)); msg != "" {
			return nil, res.ExitCode, i18n.Errorf("daemon.script.unreadable", "What", what, "Host", h.Name(), "Err", perr, "Stderr", clip(msg))
		}
		return nil, res.ExitCode, i18n.Errorf("daemon.script.failed", "What", what, "Host", h.Name(), "Err", perr)
	}
	a := &answer{host: h.Name(), by: map[string]section{}}
	for _, s := range secs {
		// Sections named by their first field: a path (base64), a unit,
		// a tool. The others hold values or exit codes there.
		k := s.Kind + " "
		switch s.Kind {
		case "file", "stat", "data":
			k += decodePath(s.field(0))
		case "show", "ping", "containers":
			k += s.field(0)
		}
		if _, dup := a.by[k]; !dup {
			a.by[k] = s
		}
	}
	if res.ExitCode != 0 && len(secs) == 0 {
		return a, res.ExitCode, i18n.Errorf("daemon.script.status", "What", what, "Host", h.Name(), "Code", res.ExitCode, "Stderr", clip(strings.TrimSpace(string(res.Stderr))))
	}
	return a, res.ExitCode, nil
}

// get returns the section of kind for key (a path for file/stat/data).
func (a *answer) get(kind, key string) (section, bool) {
	s, ok := a.by[kind+" "+key]
	return s, ok
}

// text is a section's body as trimmed text ("" when absent).
func (a *answer) text(kind, key string) string {
	s, _ := a.get(kind, key)
	return strings.TrimSpace(string(s.Body))
}

// code is the exit status a section's header carries at index i (-1 when
// absent or unreadable).
func (s section) code(i int) int {
	c, err := strconv.Atoi(s.field(i))
	if err != nil {
		return -1
	}
	return c
}

// fileState is a "file" section as a FileState; a file the script could
// not look at is an error naming it.
func (a *answer) fileState(p string) (FileState, error) {
	return a.state("file", p)
}

// statState is a "stat" section as a FileState without contents.
func (a *answer) statState(p string) (FileState, error) {
	return a.state("stat", p)
}

// state reads a "file" or "stat" section: both carry found (0/1) and the
// stat fields; only a "file" section's body is the contents.
func (a *answer) state(kind, p string) (FileState, error) {
	st := FileState{Path: p}
	s, ok := a.get(kind, p)
	if !ok {
		return st, i18n.Errorf("daemon.script.state_missing", "Path", p, "Host", a.host)
	}
	switch s.field(1) {
	case "0":
		return st, nil
	case "1":
		info, err := statFields(s.Fields[2:])
		if err != nil {
			return st, i18n.Errorf("daemon.script.state_error", "Path", p, "Host", a.host, "Err", err)
		}
		st.Exists, st.Mode, st.Owner, st.Group = true, info.mode, info.owner, info.group
		if kind == "file" {
			st.Data = s.Body
		}
		return st, nil
	}
	return st, i18n.Errorf("daemon.script.state_error", "Path", p, "Host", a.host, "Err", strings.TrimSpace(string(s.Body)))
}

// exists reports whether a "stat" section found its path.
func (a *answer) exists(p string) bool {
	s, ok := a.get("stat", p)
	return ok && s.field(1) == "1"
}

// data is a "data" section's contents; false when it could not be read.
func (a *answer) data(p string) ([]byte, bool) {
	s, ok := a.get("data", p)
	if !ok || s.field(1) != "1" {
		return nil, false
	}
	return s.Body, true
}

type statInfo struct {
	mode         fs.FileMode
	owner, group string
}

// statFields reads `stat -c '%f %U %G %u %g'`; owners without a name
// (stat says UNKNOWN) are given by number, as remote.Stat does.
func statFields(f []string) (statInfo, error) {
	if len(f) != 5 {
		return statInfo{}, i18n.Errorf("daemon.answer.stat", "Text", strconv.Quote(strings.Join(f, " ")))
	}
	raw, err := strconv.ParseUint(f[0], 16, 32)
	if err != nil {
		return statInfo{}, i18n.Errorf("daemon.answer.stat", "Text", strconv.Quote(strings.Join(f, " ")))
	}
	info := statInfo{mode: remote.UnixMode(uint32(raw)), owner: f[1], group: f[2]}
	if info.owner == "UNKNOWN" {
		info.owner = f[3]
	}
	if info.group == "UNKNOWN" {
		info.group = f[4]
	}
	return info, nil
}
