package wizard

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/fix"
	"github.com/dockertls/dockertls/wizard/probe"
)

// verifyStep is the live test: GET /_ping and /version over mutual TLS with
// the client's own files, the handshake, and the proof that the daemon
// refuses plain HTTP, TLS without a certificate, and another CA's
// certificate.
type verifyStep struct{}

func (verifyStep) Name() StepName { return StepVerify }

// probeTarget reads the client's files (from the client, where the docker
// CLI will read them) and names the daemon to test.
func (s *Session) probeTarget(ctx context.Context) (probe.Target, error) {
	t := probe.Target{Address: s.Filled().Daemon.Address, Localizer: s.Options.Localizer}
	h, err := s.ClientHost(ctx)
	if err != nil {
		return t, err
	}
	dir, err := s.ClientCertDir(ctx)
	if err != nil {
		return t, err
	}
	read := func(name string) []byte {
		b, _ := h.ReadFile(ctx, path.Join(dir, name), false)
		return b // missing: probe explains which file is missing
	}
	t.CA, t.Cert, t.Key = read(ClientCAFile), read(ClientCertFile), read(ClientKeyFile)
	t.DaemonLog = func(ctx context.Context) (string, error) { return s.daemonLog(ctx) }
	return t, nil
}

// daemonLog is the daemon's recent log, read on the node (journald, else
// the usual log file).
func (s *Session) daemonLog(ctx context.Context) (string, error) {
	h, err := s.DaemonHost(ctx)
	if err != nil {
		return "", err
	}
	for _, args := range [][]string{
		{"journalctl", "-u", "docker.service", "-n", "200", "--no-pager"},
		{"tail", "-n", "200", "/var/log/docker.log"},
	} {
		res, err := h.Run(ctx, remote.Command{Args: args, Sudo: true})
		if err == nil && res.ExitCode == 0 && len(strings.TrimSpace(string(res.Stdout))) > 0 &&
			!strings.Contains(string(res.Stdout), "-- No entries --") {
			return string(res.Stdout), nil
		}
	}
	return "", i18n.Errorf("wizard.verify.no_log", "Host", h.Name())
}

// runProbe runs the live test.
func (s *Session) runProbe(ctx context.Context) (*probe.Report, error) {
	t, err := s.probeTarget(ctx)
	if err != nil {
		return nil, err
	}
	r, err := probe.Run(ctx, t)
	if r != nil {
		rd := s.Renderer()
		r.Fixes = &rd // the report's fixes name this plan when shown
	}
	return r, err
}

// serverLine is the one-line result: the server's version, like the last
// line of `dockertls apply`.
func (s *Session) serverLine(r *probe.Report) string {
	v := r.Server
	line := s.T("verify.server", "Version", v.Version, "API", v.APIVersion, "OS", v.Os, "Arch", v.Arch, "Address", r.Address)
	if r.Handshake != nil && r.Handshake.Version != "" {
		line += s.T("verify.over", "TLS", r.Handshake.Version)
	}
	if r.Secure() {
		line += s.T("verify.refused_others")
	}
	return line
}

func (verifyStep) Check(ctx context.Context, s *Session) []Finding {
	r, err := s.runProbe(ctx)
	if err != nil {
		return []Finding{{Step: StepVerify, Status: StatusFail, Code: "unavailable", Message: s.Error(err), Fix: s.tfix("wizard.verify.unavailable_fix", "Command", cmdText(fix.Run("verify")))}}
	}
	switch {
	case r.Insecure():
		return []Finding{{Step: StepVerify, Status: StatusFail, Code: "insecure", Message: r.Verdict(),
			Fix: s.tfix("wizard.verify.insecure_fix", "Command", cmdText(applySteps(StepDaemonConfig).With("--yes")))}}
	case r.Problem != nil:
		return []Finding{{Step: StepVerify, Status: StatusFail, Code: r.Problem.Code, Message: oneLineText(r.Problem.Cause), Fix: r.Problem.Fix.OneLine()}}
	case r.Secure():
		return []Finding{{Step: StepVerify, Status: StatusOK, Code: "ok", Message: s.serverLine(r)}}
	}
	return []Finding{{Step: StepVerify, Status: StatusWarn, Code: "unsure", Message: r.Verdict()}}
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

func (verifyStep) Describe(ctx context.Context, s *Session) (Description, error) {
	f := s.Filled()
	hostPort := f.DaemonAddress().HostPort()
	dir := f.Client.CertDir
	if s.ClientIsLocal() {
		if local, err := s.ClientCertDir(ctx); err == nil {
			dir = local
		}
	}
	d := Description{Step: StepVerify, Title: s.title(StepVerify), Why: s.why(StepVerify),
		What: s.T("verify.what", "Address", f.Daemon.Address, "Dir", dir)}
	d.Commands = []string{
		fmt.Sprintf("docker --tlsverify --tlscacert=%s --tlscert=%s --tlskey=%s -H=%s version", shellPath(path.Join(dir, ClientCAFile)), shellPath(path.Join(dir, ClientCertFile)), shellPath(path.Join(dir, ClientKeyFile)), shellquote.POSIX(f.Daemon.Address)),
		fmt.Sprintf("curl --cacert %s --cert %s --key %s https://%s/version", shellPath(path.Join(dir, ClientCAFile)), shellPath(path.Join(dir, ClientCertFile)), shellPath(path.Join(dir, ClientKeyFile)), hostPort),
		fmt.Sprintf("curl -sS http://%s/version        # %s", hostPort, s.T("wizard.verify.must_fail_plain")),
		fmt.Sprintf("curl -sS --cacert %s https://%s/version   # %s", shellPath(path.Join(dir, ClientCAFile)), hostPort, s.T("wizard.verify.must_fail_no_cert")),
	}
	return d, nil
}

func (verifyStep) Apply(ctx context.Context, s *Session, emit func(Event)) error {
	r, err := s.runProbe(ctx)
	if err != nil {
		return err
	}
	// The whole report travels as Report (the TUI's final screen, `dockertls
	// verify`); the plain printer leaves it out so apply stays one line a step.
	emit(Event{Kind: EventInfo, Message: r.Verdict(), Report: r})
	switch {
	case r.Insecure():
		return i18n.Errorf("wizard.verify.insecure", "Verdict", r.Verdict(), "Command", s.say(applySteps(StepDaemonConfig)))
	case r.Problem != nil:
		return fmt.Errorf("%s", strings.TrimSpace(r.Problem.Text(s.Options.Localizer, s.Renderer())))
	case !r.Secure():
		emit(Event{Kind: EventWarn, Message: r.Verdict()})
	}
	emit(Event{Kind: EventDone, Message: s.serverLine(r), Report: r})
	return nil
}
