package wizard

import (
	"context"
	"os"
	"path"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/fix"
	"github.com/dockertls/dockertls/wizard/plan"
	"github.com/dockertls/dockertls/wizard/probe"
)

// ClientCertDir is client.cert_dir on the client, with "~" expanded there
// (connecting to the client when it is remote).
func (s *Session) ClientCertDir(ctx context.Context) (string, error) {
	dir := s.Filled().Client.CertDir
	home, err := s.clientHome(ctx)
	if err != nil {
		return "", err
	}
	dir = plan.HostPath(dir, home)
	if s.ClientIsLocal() {
		dir = s.Plan().LocalPath(dir)
	}
	return path.Clean(dir), nil
}

// clientHome is the home directory of the user on the client.
func (s *Session) clientHome(ctx context.Context) (string, error) {
	if s.ClientIsLocal() {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", i18n.Errorf("wizard.clientenv.home", "Err", err)
		}
		return home, nil
	}
	h, err := s.ClientHost(ctx)
	if err != nil {
		return "", err
	}
	home, err := h.HomeDir(ctx)
	if err != nil {
		return "", i18n.Errorf("wizard.clientenv.home_on", "Host", h.Name(), "Err", err)
	}
	return home, nil
}

// ClientEnv is the docker CLI environment for the plan's daemon: DOCKER_HOST
// with its port, and DOCKER_CERT_PATH unless the files are in ~/.docker.
func (s *Session) ClientEnv(ctx context.Context) (EnvVars, error) {
	dir, err := s.ClientCertDir(ctx)
	if err != nil {
		return EnvVars{}, err
	}
	home, err := s.clientHome(ctx)
	if err != nil {
		return EnvVars{}, err
	}
	v := EnvVars{Host: s.Filled().Daemon.Address, CertPath: dir}
	if dir == path.Join(home, ".docker") {
		v.CertPath = ""
	}
	return v, nil
}

// PersistEnv writes (or, with unset, removes) the marked block of
// variables in the client's start-up file for shell, replacing an earlier
// block of ours. It returns the file and whether it changed; the old file is
// backed up before a change.
func (s *Session) PersistEnv(ctx context.Context, shell string, unset bool) (string, bool, error) {
	rel, err := PersistFile(shell)
	if err != nil {
		return "", false, err
	}
	home, err := s.clientHome(ctx)
	if err != nil {
		return "", false, err
	}
	h, err := s.ClientHost(ctx)
	if err != nil {
		return "", false, err
	}
	file := path.Join(home, rel)
	old, err := h.ReadFile(ctx, file, false)
	exists := err == nil
	if err != nil && !isNotExist(err) {
		return file, false, i18n.Errorf("wizard.clientenv.read", "File", file, "Host", h.Name(), "Err", err)
	}
	var updated string
	if unset {
		var had bool
		if updated, had = WithoutPersistBlock(string(old)); !had {
			return file, false, nil
		}
	} else {
		v, err := s.ClientEnv(ctx)
		if err != nil {
			return file, false, err
		}
		block, err := RenderEnv(shell, v, false, nil)
		if err != nil {
			return file, false, err
		}
		updated = WithPersistBlock(string(old), block)
	}
	if updated == string(old) {
		return file, false, nil
	}
	mode := os.FileMode(0o644)
	if exists {
		if fi, err := h.Stat(ctx, file, false); err == nil {
			mode = fi.Mode.Perm()
		}
		if _, err := h.Backup(ctx, file, false); err != nil {
			return file, false, i18n.Errorf("wizard.clientenv.backup", "File", file, "Host", h.Name(), "Err", err)
		}
	} else if err := h.MkdirAll(ctx, path.Dir(file), writeOpts(0o755)); err != nil {
		return file, false, i18n.Errorf("wizard.clientenv.mkdir", "Dir", path.Dir(file), "Host", h.Name(), "Err", err)
	}
	if err := h.WriteFile(ctx, file, []byte(updated), writeOpts(mode)); err != nil {
		return file, false, i18n.Errorf("wizard.clientenv.write", "File", file, "Host", h.Name(), "Err", err)
	}
	return file, true, nil
}

// clientSetUp is what the client-env step left that outlives a shell: the
// plan's docker context (when it exists and points at the daemon) or the
// variables persisted in a start-up file ("" when neither).
type clientSetUp string

// checkEnvironment reports DOCKER_* variables of this process that will not
// reach the plan's daemon (doctor runs in the user's shell). An unset
// DOCKER_HOST is fine when the step left a docker context or persisted
// variables (setUp names which); otherwise nothing points the docker CLI at
// the daemon yet, and that is a warning with the command that does it.
func checkEnvironment(ctx context.Context, s *Session, setUp clientSetUp) []Finding {
	eval := fix.New("eval \"$(", fix.Run("env"), ")\"")
	var out []Finding
	for _, p := range probe.CheckEnvIn(s.Options.Localizer, s.getenv, s.Filled().Daemon.Address) {
		st := StatusFail
		if p.Warn {
			st = StatusWarn
		}
		fx := p.Fix
		msg := p.Message
		if p.Code == probe.EnvHostUnset {
			switch {
			case setUp == "" && s.Filled().Client.Context != "":
				continue // the context's own finding says what is missing
			case setUp != "":
				// Not a fault: the context or the start-up file does it.
				st, fx = StatusOK, fix.Text{}
				msg = s.T("wizard.clientenv.host_unset_ok", "SetUp", string(setUp), "Command", eval.Render(s.Renderer()))
			default:
				st = StatusWarn
				msg = s.T("wizard.clientenv.nothing_points", "Address", s.Filled().Daemon.Address)
				fx = s.tfix("wizard.clientenv.nothing_points_fix", "Eval", "eval \"$("+cmdText(fix.Run("env"))+")\"", "Persist", cmdText(fix.Run("env", "--persist")), "Apply", cmdText(applySteps(StepClientEnv)))
			}
		}
		out = append(out, Finding{Step: StepClientEnv, Status: st, Code: p.Code, Message: msg, Fix: fx})
	}
	dir, _ := s.ClientCertDir(ctx)
	f := s.Filled()
	for _, p := range probe.CheckClientSideIn(s.Options.Localizer, s.getenv, probe.ClientWant{Address: f.Daemon.Address, CertDir: dir, Context: f.Client.Context}) {
		out = append(out, Finding{Step: StepClientEnv, Status: StatusWarn, Code: p.Code, Message: p.Message, Fix: p.Fix})
	}
	return out
}

// persistedEnv reports the client's start-up file (for its shell) that
// holds our block of variables, or "" when none does. It only reads.
func (s *Session) persistedEnv(ctx context.Context) string {
	rel, err := PersistFile(s.clientShell(ctx))
	if err != nil {
		return ""
	}
	home, err := s.clientHome(ctx)
	if err != nil {
		return ""
	}
	h, err := s.ClientHost(ctx)
	if err != nil {
		return ""
	}
	file := path.Join(home, rel)
	data, err := h.ReadFile(ctx, file, false)
	if err != nil {
		return ""
	}
	if _, _, ok := findPersistBlock(string(data)); !ok {
		return ""
	}
	return file
}
