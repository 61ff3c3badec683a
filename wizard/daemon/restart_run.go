package daemon

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/remote"
)

// runRestart runs the restart steps; the output of a failing step is returned.
func runRestart(ctx context.Context, h remote.Host, r Restart) (string, error) {
	_, out, err := restartNoting(ctx, h, r)
	return out, err
}

// restartNoting runs the restart steps and, under systemd, first notes
// where the daemon's journal ends (so the log shown after a failure is this
// restart's only). Several steps (systemd's reload, reset-failed, stop,
// socket restart, start) run in one command: over SSH each command is a
// round trip. A single step (a custom restart command) runs as itself.
func restartNoting(ctx context.Context, h remote.Host, r Restart) (cursor, out string, err error) {
	if len(r.Steps) == 1 && r.Kind != RestartSystemd {
		st := r.Steps[0]
		res, err := h.Run(ctx, remote.Command{Args: st.Args, Sudo: true})
		if err != nil {
			return "", "", i18n.Errorf("daemon.restart.run_failed", "Command", strings.Join(st.Args, " "), "Err", err)
		}
		if res.ExitCode != 0 && !st.MayFail {
			out := strings.TrimSpace(string(res.Stdout) + "\n" + string(res.Stderr))
			return "", out, i18n.Errorf("daemon.restart.exit_status", "Command", strings.Join(st.Args, " "), "Code", strconv.Itoa(res.ExitCode), "Output", out)
		}
		return "", "", nil
	}
	a, _, err := runScript(ctx, h, i18n.M("daemon.script.restarting"), restartScript(r))
	if err != nil {
		return "", "", err
	}
	for _, line := range strings.Split(a.text("cursor", ""), "\n") {
		if c, ok := strings.CutPrefix(strings.TrimSpace(line), "-- cursor: "); ok {
			cursor = c
		}
	}
	if f, ok := a.get("failed", ""); ok {
		i, _ := strconv.Atoi(f.field(0))
		if i < 0 || i >= len(r.Steps) {
			return cursor, "", i18n.Errorf("daemon.restart.unexpected", "Host", h.Name(), "Answer", fmt.Sprint(f.Fields))
		}
		out := strings.TrimSpace(string(f.Body))
		return cursor, out, i18n.Errorf("daemon.restart.exit_status", "Command", strings.Join(r.Steps[i].Args, " "), "Code", f.field(1), "Output", out)
	}
	if _, ok := a.get("ok", ""); !ok {
		return cursor, "", i18n.Errorf("daemon.restart.cut_short", "Host", h.Name())
	}
	return cursor, "", nil
}

// restartScript is the restart steps as one shell script: it stops at the
// first step that fails and may not (=failed INDEX STATUS, its output), else
// says =ok. Under systemd it prints the journal's cursor first (=cursor).
func restartScript(r Restart) string {
	var b strings.Builder
	b.WriteString(scriptLib)
	if r.Kind == RestartSystemd {
		fmt.Fprintf(&b, "out=$(%s 2>/dev/null) && { echo \"=cursor\"; printf '%%s' \"$out\" | body; }\n",
			shellquote.POSIXJoin(append(journalUnits(), "-n", "0", "--show-cursor", "--no-pager")))
	}
	for i, st := range r.Steps {
		if st.MayFail {
			fmt.Fprintf(&b, "%s >/dev/null 2>&1\n", shellquote.POSIXJoin(st.Args))
			continue
		}
		fmt.Fprintf(&b, "out=$(%s 2>&1) || { rc=$?; echo \"=failed %d $rc\"; printf '%%s' \"$out\" | body; exit 0; }\n", shellquote.POSIXJoin(st.Args), i)
	}
	b.WriteString("echo \"=ok\"; echo\n")
	return b.String()
}
