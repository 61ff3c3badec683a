package wizard

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/daemon"
	"github.com/dockertls/dockertls/wizard/fix"
	"github.com/dockertls/dockertls/wizard/netaddr"
	"github.com/dockertls/dockertls/wizard/plan"
)

// daemonConfigStep gives the daemon mutual TLS through package daemon:
// daemon.json merged (tlsverify, the files, hosts), the systemd drop-in
// without the conflicting -H, or the socket unit; restart; wait until it
// answers; roll back when it does not.
type daemonConfigStep struct{}

func (daemonConfigStep) Name() StepName { return StepDaemonConfig }

// daemonSettings are package daemon's Settings for the plan, with the
// cert_dir expanded on the node, the daemon's files where daemonFileSet
// finds them, and the health check using the local client certificate.
func (s *Session) daemonSettings(ctx context.Context, h remote.Host) (daemon.Settings, error) {
	set, err := s.baseDaemonSettings(ctx, h)
	if err != nil {
		return set, err
	}
	fs, err := s.daemonFileSet(ctx, h, set)
	if err != nil {
		return set, err
	}
	set.CACert, set.Cert, set.Key = fs.paths[roleCA], fs.paths[roleCert], fs.paths[roleKey]
	return set, nil
}

// baseDaemonSettings are the Settings with dockertls's own file names in
// cert_dir.
func (s *Session) baseDaemonSettings(ctx context.Context, h remote.Host) (daemon.Settings, error) {
	f := s.Filled().Daemon
	dir, err := remoteDir(ctx, h, f.CertDir)
	if err != nil {
		return daemon.Settings{}, err
	}
	set := daemon.Settings{
		Listen:        f.Listen,
		CertDir:       dir,
		CACert:        path.Join(dir, DaemonCAFile),
		Cert:          path.Join(dir, DaemonCertFile),
		Key:           path.Join(dir, DaemonKeyFile),
		ConfigPath:    f.Config,
		Restart:       f.Restart,
		Mode:          f.Mode,
		HealthAddress: f.Address,
		HealthTimeout: s.Options.HealthTimeout,
		Localizer:     s.Options.Localizer,
	}
	if cfg, err := s.clientTLS(); err == nil {
		set.HealthTLS = cfg
	}
	return set, nil
}

// daemonFiles is where the daemon's CA, certificate and key are, or will
// be.
type daemonFiles struct {
	paths [3]string
	// adopted: the daemon's configuration names them (wherever they are)
	// and they are valid, so they are kept as they are.
	adopted bool
}

// daemonFileSet finds the files the daemon really uses (tlscacert, tlscert,
// tlskey from its flags or daemon.json) and judges them. A valid set is
// adopted whatever its names and directory: nothing is copied, daemon.json
// is not changed, nothing restarts. A set that cannot be kept is replaced
// in the plan's cert_dir: a configured file there keeps its name (it is
// backed up and written again); one elsewhere is never touched, and the
// daemon is pointed at dockertls's file in cert_dir instead.
func (s *Session) daemonFileSet(ctx context.Context, h remote.Host, base daemon.Settings) (daemonFiles, error) {
	out := daemonFiles{paths: [3]string{base.CACert, base.Cert, base.Key}}
	n, err := daemon.Inspect(ctx, h, base)
	if err != nil || n.Kind != daemon.KindEngine {
		return out, nil // daemon-config's own check says what is wrong
	}
	ca, cert, key := n.TLSFilePaths()
	conf := [3]string{ca, cert, key}
	if ca != "" && cert != "" && key != "" && path.IsAbs(ca) && path.IsAbs(cert) && path.IsAbs(key) {
		found, _, err := readSet(ctx, h, conf, true)
		if err != nil {
			return out, err
		}
		var ourCA *x509.Certificate
		if d, ok := s.existingPKI(); ok {
			ourCA, _ = d.LoadCert(pki.FileCA)
		}
		if ourCA != nil && s.daemonJudge(ourCA).judgeSet(found).ok() {
			return daemonFiles{paths: conf, adopted: true}, nil
		}
	}
	for i, p := range conf {
		if p != "" && path.Dir(p) == base.CertDir {
			out.paths[i] = p
			out.adopted = true
		}
	}
	return out, nil
}

// clientTLS is a TLS client configuration from the local PKI's client
// certificate and CA, for health checks from this machine.
func (s *Session) clientTLS() (*tls.Config, error) {
	d, ok := s.existingPKI()
	if !ok {
		if err := s.pkiAccessError(); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("no PKI directory at %s", s.pkiDirPath())
	}
	caPEM, err := d.TrustBundle()
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("%s holds no certificate", d.Path(pki.FileCA))
	}
	certPEM, err := fsread.ReadFile(d.Path(pki.FileClientCert), fsread.MaxPEM)
	if err != nil {
		return nil, err
	}
	keyPEM, err := fsread.ReadFile(d.Path(pki.FileClientKey), fsread.MaxPEM)
	if err != nil {
		return nil, err
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("%s and %s: %w", d.Path(pki.FileClientCert), d.Path(pki.FileClientKey), err)
	}
	return &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{pair}, ServerName: s.Filled().DaemonAddress().Host, MinVersion: tls.VersionTLS12}, nil
}

func (daemonConfigStep) Check(ctx context.Context, s *Session) []Finding {
	h, err := s.DaemonHost(ctx)
	if err != nil {
		return []Finding{{Step: StepDaemonConfig, Status: StatusFail, Code: "unreachable", Message: s.Error(err),
			Fix: fix.Words(s.T("daemon-config.check.unreachable.fix"))}}
	}
	set, err := s.daemonSettings(ctx, h)
	if err != nil {
		return []Finding{{Step: StepDaemonConfig, Status: StatusFail, Code: "settings", Message: s.Error(err), Fix: fix.Words(s.T("daemon.check.settings_invalid.fix"))}}
	}
	var out []Finding
	for _, is := range daemon.Check(ctx, h, set) {
		st := StatusOK
		switch is.Status {
		case daemon.IssueFail:
			st = StatusFail
		case daemon.IssueWarn:
			st = StatusWarn
		}
		out = append(out, Finding{Step: StepDaemonConfig, Status: st, Code: is.Code, Message: is.Message, Fix: is.Fix})
	}
	if len(out) == 0 {
		out = append(out, Finding{Step: StepDaemonConfig, Status: StatusOK, Code: "ok",
			Message: s.T("daemon.check.ok", "Host", h.Name(), "Listen", set.Listen)})
	}
	return out
}

// planChange inspects the node and plans the change.
func (s *Session) planDaemonChange(ctx context.Context) (remote.Host, *daemon.Change, error) {
	h, err := s.DaemonHost(ctx)
	if err != nil {
		return nil, nil, err
	}
	set, err := s.daemonSettings(ctx, h)
	if err != nil {
		return h, nil, err
	}
	n := s.takePrefetched(ctx)
	if n == nil {
		if n, err = daemon.Inspect(ctx, h, set); err != nil {
			return h, nil, i18n.Errorf("daemon.check.inspect_failed", "Host", h.Name(), "Err", err)
		}
	}
	c, err := daemon.Plan(n, set)
	if err != nil {
		return h, nil, err
	}
	c.Localizer = s.Options.Localizer
	return h, c, nil
}

// changesOf lists a planned daemon change for confirmation, in the
// change's language.
func changesOf(c *daemon.Change, restart bool) []Change {
	var out []Change
	for _, f := range c.Files {
		out = append(out, Change{Host: c.Host, Path: f.Path, Summary: f.Summary, Diff: f.Diff})
	}
	if restart && c.Restart.Kind != daemon.RestartNone {
		l := c.Localizer
		sum := l.T("daemon-config.change.restart", "Found", c.Restart.Found, "Command", c.Restart.Command())
		switch {
		case c.ContainersStopped > 0:
			sum = l.T("daemon-config.change.restart_stops", "Restart", sum, "Count", c.ContainersStopped)
		case c.ContainersStopped < 0:
			sum = l.T("daemon-config.change.restart_stops_unknown", "Restart", sum)
		}
		out = append(out, Change{Host: c.Host, Summary: sum})
	}
	return out
}

func (daemonConfigStep) Describe(ctx context.Context, s *Session) (Description, error) {
	f := s.Filled().Daemon
	d := Description{Step: StepDaemonConfig, Title: s.title(StepDaemonConfig), Why: s.why(StepDaemonConfig)}
	dir := f.CertDir
	what := func(restart string) string {
		return s.T("daemon-config.what", "Host", s.hostLabel(f.SSH), "Config", f.Config, "CA", path.Join(dir, DaemonCAFile),
			"Cert", path.Join(dir, DaemonCertFile), "Key", path.Join(dir, DaemonKeyFile), "Listen", f.Listen, "Restart", restart)
	}
	d.What = what(f.Restart)
	d.Commands = daemonManualCommands(s.Options.Localizer, f)
	// --dry-run looks at the node too (reading only): its list of changes
	// is the daemon.json diff and the restart this node needs.
	if _, c, err := s.planDaemonChange(ctx); err == nil {
		if cmd := c.Restart.Command(); cmd != "" {
			// the restart the confirmation will name, not just "auto"
			d.What = what(s.T("daemon-config.restart_with", "Found", c.Restart.Found, "Command", cmd))
		}
		d.Changes = changesOf(c, !c.NoOp)
		d.Commands = daemonChangeCommands(f, c)
		if notes := append(slices.Clone(c.Info), c.Notes...); len(notes) > 0 {
			d.What += "\n" + s.T("daemon-config.notes", "Notes", strings.Join(notes, " "))
		}
		if c.NoOp {
			d.What += "\n" + s.T("daemon-config.noop")
		}
	} else {
		d.What += "\n" + s.T("daemon-config.not_inspected", "Err", err)
	}
	return d, nil
}

// daemonChangeCommands are the manual commands of exactly this change on
// this node: each file as it will be written (after a backup), the restart
// this node needs (or the one daemon.restart names), and the check that
// dockerd listens where the plan says.
func daemonChangeCommands(f plan.Daemon, c *daemon.Change) []string {
	var cmds []string
	if f.SSH != plan.TargetLocal {
		cmds = append(cmds, "ssh "+sshArgs(f.SSH))
	}
	for _, fc := range c.Files {
		if fc.Before.Exists {
			cmds = append(cmds, "sudo cp -p "+shellquote.POSIX(fc.Path)+" "+shellquote.POSIX(fc.Path+".bak"))
		} else {
			cmds = append(cmds, "sudo mkdir -p "+shellquote.POSIX(path.Dir(fc.Path)))
		}
		cmds = append(cmds, "sudo tee "+shellquote.POSIX(fc.Path)+" >/dev/null <<'EOF'\n"+strings.TrimRight(string(fc.After), "\n")+"\nEOF")
	}
	if !c.NoOp {
		cmds = append(cmds, c.Restart.Manual...)
	}
	if l, err := netaddr.ParseListen(f.Listen); err == nil {
		cmds = append(cmds, "sudo ss -ltnp 'sport = :"+strconv.Itoa(l.Port)+"'   # "+c.Localizer.T("daemon-config.cmd.listens", "Listen", f.Listen))
	}
	return cmds
}

// daemonManualCommands are the tutorial's commands for this step, when the
// node could not be looked at (daemonChangeCommands are exact).
func daemonManualCommands(l *i18n.Localizer, f plan.Daemon) []string {
	dir := f.CertDir
	json := fmt.Sprintf(`{"tlsverify": true, "tlscacert": "%s", "tlscert": "%s", "tlskey": "%s", "hosts": ["fd://", "%s"]}`,
		path.Join(dir, DaemonCAFile), path.Join(dir, DaemonCertFile), path.Join(dir, DaemonKeyFile), f.Listen)
	var cmds []string
	if f.SSH != plan.TargetLocal {
		cmds = append(cmds, "ssh "+sshArgs(f.SSH))
	}
	cmds = append(cmds,
		"sudo cp -p "+shellPath(f.Config)+" "+shellPath(f.Config+".bak")+"   # "+l.T("daemon-config.cmd.when_exists"),
		"echo "+shellquote.POSIX(json)+" | sudo tee "+shellPath(f.Config)+"   # "+l.T("daemon-config.cmd.when_missing"),
		"sudo mkdir -p /etc/systemd/system/docker.service.d",
		"printf '[Service]\\nExecStart=\\nExecStart=/usr/sbin/dockerd --containerd=/run/containerd/containerd.sock\\n' | sudo tee /etc/systemd/system/docker.service.d/override.conf",
		"sudo systemctl daemon-reload && sudo systemctl restart docker",
		"sudo journalctl -u docker -n 20 --no-pager   # "+l.T("daemon-config.cmd.look_for"))
	return cmds
}

func (daemonConfigStep) Apply(ctx context.Context, s *Session, emit func(Event)) error {
	// The node lock covers the whole run, from reading the configuration
	// to the rollback: a second run waits, then names this one, and never
	// restarts the daemon under it.
	h, err := s.DaemonHost(ctx)
	if err != nil {
		return err
	}
	unlock, err := daemon.Lock(ctx, h, s.Filled().Daemon.Config, s.lockWait())
	if err != nil {
		return err
	}
	defer unlock()
	h, c, err := s.planDaemonChange(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	certsChanged := s.daemonFilesChanged
	s.mu.Unlock()
	if c.NoOp && certsChanged {
		// The configuration is right, but dockerd reads its certificates
		// only when it starts: restart it to load the new ones.
		c.NoOp = false
		emit(Event{Kind: EventInfo, Message: s.T("daemon-config.apply.certs_changed")})
	}
	if c.NoOp {
		emit(Event{Kind: EventSkipped, Message: s.T("daemon-config.apply.already", "Host", h.Name(), "Listen", c.Settings.Listen)})
		return nil
	}
	for _, n := range c.Info {
		emit(Event{Kind: EventInfo, Message: n})
	}
	for _, n := range c.Notes {
		emit(Event{Kind: EventWarn, Message: n})
	}
	if !s.Options.Yes {
		ok, err := s.Prompter.Confirm(ctx, ConfirmRequest{Step: StepDaemonConfig, Changes: changesOf(c, true)})
		if err != nil {
			return err
		}
		if !ok {
			return notConfirmed{s.T("daemon-config.apply.not_confirmed")}
		}
	}
	out, err := daemon.Apply(ctx, h, c, func(msg string) { emit(Event{Kind: EventProgress, Message: msg}) })
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.daemonFilesChanged = false
	s.mu.Unlock()
	for orig, b := range out.Backups {
		emit(Event{Kind: EventInfo, Message: s.T("daemon-config.apply.backed_up", "Host", h.Name(), "Path", orig, "Backup", b)})
	}
	for _, f := range c.Files {
		msg := s.T("daemon-config.apply.file", "Host", h.Name(), "Summary", f.Summary, "Path", f.Path)
		if c.Node != nil && c.Node.ConfigNormalized != nil && f.Path == c.Settings.ConfigPath {
			msg = s.T("daemon-config.apply.file_diff", "Msg", msg, "Diff", strings.TrimRight(f.Diff, "\n"))
		}
		emit(Event{Kind: EventInfo, Message: msg})
	}
	if len(out.Manual) > 0 {
		emit(Event{Kind: EventWarn, Message: s.T("daemon-config.apply.restart_none", "Host", h.Name(), "Commands", strings.Join(out.Manual, "\n"))})
		emit(Event{Kind: EventDone, Message: s.T("daemon-config.apply.no_restart", "Host", h.Name())})
		return nil
	}
	emit(Event{Kind: EventDone, Message: s.T("daemon-config.apply.done", "Host", h.Name(), "Listen", c.Settings.Listen)})
	return nil
}
