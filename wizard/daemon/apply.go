package daemon

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/plan"
)

// Outcome is what Apply did.
type Outcome struct {
	Changed   bool              // files were written
	Restarted bool              // the daemon was restarted
	Backups   map[string]string // original path → backup path
	// Manual lists the commands the user must run (restart "none").
	Manual []string
}

// ApplyError is a failed Apply: why the daemon did not come back, what
// was done about it, and the daemon log that says so.
type ApplyError struct {
	Host        string
	What        string // "the restart failed", "health check timed out" (in the Change's language)
	Cause       string // plain words, from Explain
	Fix         string
	Log         string // the daemon's log lines around the failure
	RolledBack  bool   // every file is as it was before
	Answers     bool   // the daemon answers again after the rollback
	RollbackErr error  // what went wrong while rolling back, if anything
	// RestartFailedAgain: restarting with the restored files failed as
	// well, yet the daemon answers: the restart never stopped it.
	RestartFailedAgain bool
	Err                error // the underlying error

	lang *i18n.Localizer // the language of Error; nil: English
}

func (e *ApplyError) Error() string { return e.Localize(e.lang) }

// Localize is the error in l's language; What, Cause and Fix were written
// in the language of the Change (Change.Localizer).
func (e *ApplyError) Localize(l *i18n.Localizer) string {
	var b strings.Builder
	b.WriteString(l.T("daemon.apply_error.failed", "Host", e.Host, "What", e.What))
	if e.Err != nil {
		b.WriteString(l.T("daemon.apply_error.err", "Err", e.Err))
	}
	if e.Cause != "" {
		b.WriteString(l.T("daemon.apply_error.cause", "Cause", e.Cause))
	}
	switch {
	case e.RollbackErr != nil:
		b.WriteString(l.T("daemon.apply_error.rollback_failed", "Err", e.RollbackErr))
	case e.RolledBack && e.Answers && e.RestartFailedAgain:
		b.WriteString(l.T("daemon.apply_error.restored_restart_failed"))
	case e.RolledBack && e.Answers:
		b.WriteString(l.T("daemon.apply_error.restored_answers"))
	case e.RolledBack:
		b.WriteString(l.T("daemon.apply_error.restored"))
	}
	if e.Fix != "" {
		b.WriteString(l.T("daemon.apply_error.fix", "Fix", e.Fix))
	}
	if e.Log != "" {
		// The last lines carry the reason; the whole log is in e.Log.
		lines := strings.Split(e.Log, "\n")
		if len(lines) > 15 {
			lines = lines[len(lines)-15:]
		}
		b.WriteString("\n" + l.T("daemon.apply_error.log") + "\n" + strings.Join(lines, "\n"))
	}
	return b.String()
}

func (e *ApplyError) Unwrap() error { return e.Err }

// Apply carries out a planned change: back up every file it touches, check
// the new daemon.json with `dockerd --validate` (23.0+), write atomically
// (root-owned, 0644), restart, and wait until the daemon answers on its
// local socket and the TLS port. When the restart fails or the wait times
// out it captures the daemon log, restores every file, restarts again and
// confirms the daemon answers as before; the returned *ApplyError explains
// the cause. A NoOp change does nothing at all (no restart).
func Apply(ctx context.Context, h remote.Host, c *Change, progress func(msg string)) (*Outcome, error) {
	l := c.Localizer
	say := func(id string, kv ...any) {
		if progress != nil {
			progress(l.T(id, kv...))
		}
	}
	out := &Outcome{Backups: map[string]string{}}
	if c.NoOp {
		say("daemon.apply.noop", "Host", c.Host)
		return out, nil
	}
	if err := validate(ctx, h, c, say); err != nil {
		return out, err
	}
	// One command checks that nobody edited a file since Inspect read it,
	// backs up every existing one and writes them all.
	res, err := commit(ctx, h, c)
	if err != nil {
		return out, err
	}
	if res.changed != "" {
		return out, i18n.Errorf("daemon.apply.changed_meanwhile", "Path", res.changed, "Host", c.Host)
	}
	for _, f := range c.Files {
		if b, ok := res.backups[f.Path]; ok {
			out.Backups[f.Path] = b
			say("daemon.apply.backed_up", "Path", f.Path, "Backup", b)
		}
	}
	for _, f := range res.written {
		out.Changed = true
		say("daemon.apply.wrote", "Path", f.Path)
	}
	if res.err != nil {
		if len(res.written) == 0 {
			return out, i18n.Errorf("daemon.apply.nothing_changed", "Err", res.err)
		}
		return out, i18n.Join(res.err, restoreFiles(ctx, h, res.written))
	}
	written := res.written
	if c.Restart.Kind == RestartNone {
		out.Manual = c.Restart.Manual
		say("daemon.apply.restart_none", "Host", c.Host, "Commands", strings.Join(c.Restart.Manual, "\n  "))
		return out, nil
	}
	say("daemon.apply.restarting", "Commands", strings.Join(c.Restart.Manual, " && "))
	cursor, restartOut, rerr := restartNoting(ctx, h, c.Restart)
	out.Restarted = true
	var failure error
	what := ""
	if rerr != nil {
		failure, what = rerr, l.T("daemon.apply.what.restart_failed")
	} else {
		say("daemon.apply.waiting", "Timeout", c.Settings.HealthTimeout.String())
		if herr := waitHealthy(ctx, h, c, true, c.Settings.HealthTimeout, progress); herr != nil {
			failure, what = herr, l.T("daemon.apply.what.unhealthy")
		}
	}
	if failure == nil {
		if c.Settings.HealthAddress != "" && c.Settings.HealthTLS != nil {
			say("daemon.apply.answers_tls", "Socket", c.LocalSocket, "Address", c.Settings.HealthAddress)
		} else {
			say("daemon.apply.answers_local", "Socket", c.LocalSocket)
		}
		return out, nil
	}
	rbErr := rollback(ctx, h, c, written, out.Backups, what, failure, restartOut, cursor, say)
	if rerr != nil {
		// the restart itself failed: daemon.restart is the answer to change
		return out, plan.FixIn("daemon.restart", rbErr)
	}
	return out, rbErr
}

// rollback restores every written file, restarts, and reports.
func rollback(ctx context.Context, h remote.Host, c *Change, written []FileChange, backups map[string]string, what string, failure error, restartOut, cursor string, say func(id string, kv ...any)) error {
	// A cancelled run still rolls back: the daemon must not stay dead.
	ctx = context.WithoutCancel(ctx)
	log := strings.TrimSpace(captureLog(ctx, h, c.Restart, cursor) + "\n" + restartOut)
	cause, fix := Explain(c.Localizer, log)
	ae := &ApplyError{Host: c.Host, What: what, Cause: cause, Fix: fix, Log: log, Err: failure, lang: c.Localizer}
	say("daemon.apply.rolling_back", "What", what, "Why", firstNonEmpty(cause, c.Localizer.Error(failure)))
	if c.Restart.Kind == RestartSystemd && !c.Node.TCPSocket.Exists && c.Settings.Mode == ModeSocket {
		_, _ = h.Run(ctx, remote.Command{Args: []string{"systemctl", "disable", "--now", TCPSocketUnit}, Sudo: true})
	}
	if err := restoreFiles(ctx, h, written); err != nil {
		ae.RollbackErr = err
		return ae
	}
	ae.RolledBack = true
	say("daemon.apply.restored", "Count", len(written))
	back := c.Restart
	if back.Kind == RestartSystemd {
		back = systemdRestart(c.Node.TCPSocket.Exists, c.Node.SocketUnit)
	}
	if _, err := runRestart(ctx, h, back); err != nil && c.Node.Answers {
		// Say what is true: a restart that never reached this daemon (a
		// service script for another one) left it running as it was.
		if herr := waitHealthy(ctx, h, c, false, c.Settings.HealthTimeout/2, nil); herr == nil {
			ae.Answers, ae.RestartFailedAgain = true, true
			return ae
		}
		ae.RollbackErr = i18n.Errorf("daemon.apply.rollback.restart_failed_too", "Err", err)
		return ae
	}
	if c.Node.Answers {
		if err := waitHealthy(ctx, h, c, false, c.Settings.HealthTimeout/2, nil); err != nil {
			// One more restart: systemd may still have been busy with the
			// failed start (auto-restart, start limit) the first time.
			say("daemon.apply.restart_again", "Err", err)
			if _, err := runRestart(ctx, h, back); err != nil {
				ae.RollbackErr = i18n.Errorf("daemon.apply.rollback.restart_failed", "Err", err)
				return ae
			}
			if err := waitHealthy(ctx, h, c, false, c.Settings.HealthTimeout, nil); err != nil {
				ae.RollbackErr = i18n.Errorf("daemon.apply.rollback.no_answer", "Err", err)
				return ae
			}
		}
		ae.Answers = true
	}
	for _, f := range written {
		if b, ok := backups[f.Path]; ok {
			_ = h.Remove(ctx, b, true) // the original is back, byte for byte
		}
	}
	return ae
}

// restoreFiles puts every file back as Inspect found it (content, mode,
// owner) or removes the ones that did not exist, and checks the bytes.
func restoreFiles(ctx context.Context, h remote.Host, written []FileChange) error {
	var errs []error
	for i := len(written) - 1; i >= 0; i-- {
		f := written[i]
		if !f.Before.Exists {
			if err := h.Remove(ctx, f.Path, true); err != nil {
				errs = append(errs, i18n.Errorf("daemon.apply.restore.remove", "Path", f.Path, "Err", err))
			}
			continue
		}
		mode := f.Before.Mode.Perm()
		if err := h.WriteFile(ctx, f.Path, f.Before.Data, remote.WriteOptions{Mode: mode, Owner: f.Before.Owner, Group: f.Before.Group, Sudo: true}); err != nil {
			errs = append(errs, i18n.Errorf("daemon.apply.restore.write", "Path", f.Path, "Err", err))
			continue
		}
		got, err := h.ReadFile(ctx, f.Path, true)
		if err != nil || !bytes.Equal(got, f.Before.Data) {
			errs = append(errs, i18n.Errorf("daemon.apply.restore.differs", "Path", f.Path, "Err", fmt.Sprint(err)))
		}
	}
	return i18n.Join(errs...)
}

// validate runs `dockerd --validate` on the new daemon.json when the
// installed dockerd has it, before anything is written.
func validate(ctx context.Context, h remote.Host, c *Change, say func(id string, kv ...any)) error {
	if !c.Validate {
		return nil
	}
	for _, f := range c.Files {
		if f.Path != c.Settings.ConfigPath {
			continue
		}
		stage := path.Join(path.Dir(f.Path), ".dockertls-validate-"+path.Base(f.Path))
		if err := h.WriteFile(ctx, stage, f.After, remote.WriteOptions{Mode: 0o600, Sudo: true}); err != nil {
			return i18n.Errorf("daemon.apply.validate.stage", "Path", f.Path, "Err", err)
		}
		defer func() { _ = h.Remove(context.WithoutCancel(ctx), stage, true) }()
		out, code, stderr, err := run(ctx, h, c.Node.Dockerd, "--validate", "--config-file", stage)
		if err != nil {
			return err
		}
		if code != 0 {
			msg := strings.TrimSpace(out + "\n" + stderr)
			cause, fix := Explain(c.Localizer, msg)
			return i18n.Errorf("daemon.apply.validate.rejects", "Path", f.Path, "Output", msg, "Cause", cause, "Fix", fix)
		}
		say("daemon.apply.validate.accepts", "Path", f.Path)
	}
	return nil
}

// captureLog reads the daemon's log after a failure.
func captureLog(ctx context.Context, h remote.Host, r Restart, cursor string) string {
	args := r.Log
	if len(args) == 0 {
		return ""
	}
	if cursor != "" && r.Kind == RestartSystemd {
		args = append(journalUnits(), "--after-cursor", cursor, "-n", "50", "--no-pager")
	}
	out, code, stderr, err := run(ctx, h, args...)
	if err != nil || code != 0 {
		return "" // no log there (tail: cannot open …): nothing to show
	}
	if out == "" {
		return stderr
	}
	return out
}

func firstNonEmpty(a ...string) string {
	for _, s := range a {
		if s != "" {
			return s
		}
	}
	return ""
}
