package wizard

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/fix"
)

// clientEnvStep sets up the client: the docker CLI's variables (printed, and
// with --persist kept in the shell's start-up file) and, with
// client.context, a docker context.
type clientEnvStep struct{}

func (clientEnvStep) Name() StepName { return StepClientEnv }

// contextState is what `docker context inspect` says about our context.
type contextState struct {
	cli     bool   // the docker CLI is on the client
	exists  bool   // a context of that name exists
	host    string // its docker endpoint
	current bool   // its TLS files are the ones in client.cert_dir
}

// dockerContext looks at the plan's docker context on the client.
func (s *Session) dockerContext(ctx context.Context, h remote.Host, name, certDir string) (contextState, error) {
	var st contextState
	res, err := h.Run(ctx, remote.Command{Args: []string{"sh", "-c", "command -v docker"}})
	if err != nil {
		return st, i18n.Errorf("wizard.clientenv.look_cli", "Host", h.Name(), "Err", err)
	}
	if res.ExitCode != 0 {
		return st, nil
	}
	st.cli = true
	res, err = h.Run(ctx, remote.Command{Args: []string{"docker", "context", "inspect", name}})
	if err != nil {
		return st, i18n.Errorf("wizard.clientenv.inspect", "Host", h.Name(), "Err", err)
	}
	if res.ExitCode != 0 {
		return st, nil
	}
	var info []struct {
		Endpoints map[string]struct{ Host string }
		Storage   struct{ TLSPath string }
	}
	if err := json.Unmarshal(res.Stdout, &info); err != nil || len(info) == 0 {
		return st, i18n.Errorf("wizard.clientenv.inspect_read", "Context", name, "Host", h.Name(), "Err", fmt.Sprint(err))
	}
	st.exists = true
	st.host = info[0].Endpoints["docker"].Host
	st.current = true
	// Each read is a round trip on a remote client: stop at the first
	// file that differs.
	for _, pair := range [][2]string{{"ca.pem", ClientCAFile}, {"cert.pem", ClientCertFile}, {"key.pem", ClientKeyFile}} {
		a, errA := h.ReadFile(ctx, path.Join(info[0].Storage.TLSPath, "docker", pair[0]), false)
		b, errB := h.ReadFile(ctx, path.Join(certDir, pair[1]), false)
		if errA != nil || errB != nil || string(a) != string(b) {
			st.current = false
			break
		}
	}
	return st, nil
}

// contextArgs is the --docker value of docker context create/update.
func contextArgs(address, dir string) string {
	return fmt.Sprintf("host=%s,ca=%s,cert=%s,key=%s", address, path.Join(dir, ClientCAFile), path.Join(dir, ClientCertFile), path.Join(dir, ClientKeyFile))
}

func (clientEnvStep) Check(ctx context.Context, s *Session) []Finding {
	f := s.Filled()
	var out []Finding
	var setUp clientSetUp
	if f.Client.Context != "" {
		h, err := s.ClientHost(ctx)
		if err != nil {
			return []Finding{{Step: StepClientEnv, Status: StatusFail, Code: "unreachable", Message: s.Error(err), Fix: s.tfix("wizard.clientenv.check_target")}}
		}
		dir, err := s.ClientCertDir(ctx)
		if err != nil {
			return []Finding{{Step: StepClientEnv, Status: StatusFail, Code: "unreachable", Message: s.Error(err)}}
		}
		st, err := s.dockerContext(ctx, h, f.Client.Context, dir)
		again := fix.New(applySteps(StepClientEnv))
		switch {
		case err != nil:
			out = append(out, Finding{Step: StepClientEnv, Status: StatusWarn, Code: "context-unknown", Message: s.Error(err)})
		case !st.cli:
			out = append(out, Finding{Step: StepClientEnv, Status: StatusOK, Code: "no-docker-cli",
				Message: s.T("client-env.check.no_cli", "Host", h.Name())})
		case !st.exists:
			out = append(out, Finding{Step: StepClientEnv, Status: StatusFail, Code: "context-missing",
				Message: s.T("client-env.check.context_missing", "Context", f.Client.Context, "Host", h.Name()), Fix: again})
		case st.host != f.Daemon.Address:
			out = append(out, Finding{Step: StepClientEnv, Status: StatusFail, Code: "context-other-host",
				Message: s.T("client-env.check.context_other", "Context", f.Client.Context, "Other", st.host, "Address", f.Daemon.Address),
				Fix:     s.tfix("client-env.check.context_other_fix", "Context", f.Client.Context)})
		case !st.current:
			out = append(out, Finding{Step: StepClientEnv, Status: StatusFail, Code: "context-outdated",
				Message: s.T("client-env.check.context_outdated", "Context", f.Client.Context), Fix: again})
		default:
			setUp = clientSetUp("docker --context " + f.Client.Context)
			out = append(out, Finding{Step: StepClientEnv, Status: StatusOK, Code: "ok",
				Message: s.T("client-env.check.context_ok", "Context", f.Client.Context, "Address", f.Daemon.Address)})
		}
	}
	if setUp == "" {
		if file := s.persistedEnv(ctx); file != "" {
			setUp = clientSetUp(s.T("wizard.clientenv.new_shell", "File", file))
		}
	}
	if s.ClientIsLocal() {
		out = append(out, checkEnvironment(ctx, s, setUp)...)
	} else if setUp == "" && f.Client.Context == "" {
		h, err := s.ClientHost(ctx)
		name := f.Client.Target
		if err == nil {
			name = h.Name()
		}
		out = append(out, Finding{Step: StepClientEnv, Status: StatusWarn, Code: "env-not-set-up",
			Message: s.T("client-env.check.not_set_up", "Host", name, "Address", f.Daemon.Address),
			Fix:     s.tfix("client-env.check.not_set_up_fix", "Command", cmdText(fix.Run("env", "--persist")))})
	}
	if len(out) == 0 {
		out = append(out, Finding{Step: StepClientEnv, Status: StatusOK, Code: "ok", Message: s.T("client-env.check.ok")})
	}
	return out
}

func (clientEnvStep) Describe(ctx context.Context, s *Session) (Description, error) {
	f := s.Filled()
	shell := s.clientShell(ctx)
	d := Description{Step: StepClientEnv, Title: s.title(StepClientEnv), Why: s.why(StepClientEnv)}
	v := EnvVars{Host: f.Daemon.Address}
	if dir := f.Client.CertDir; strings.TrimSuffix(dir, "/") != "~/.docker" {
		v.CertPath = dir
	}
	if s.ClientIsLocal() {
		if got, err := s.ClientEnv(ctx); err == nil {
			v = got
		}
	}
	vars := "DOCKER_HOST, DOCKER_TLS_VERIFY=1"
	if v.CertPath != "" {
		vars += ", DOCKER_CERT_PATH=" + v.CertPath
	}
	d.What = s.T("client-env.what", "Host", s.hostLabel(f.Client.Target), "Address", f.Daemon.Address, "Vars", vars)
	if f.Client.Context != "" {
		d.What += " " + s.T("client-env.what_context", "Context", f.Client.Context)
	}
	if s.Options.Persist {
		rel, _ := PersistFile(shell)
		d.What += " " + s.T("client-env.what_persist", "File", "~/"+rel)
		if !s.ClientIsLocal() {
			d.Changes = append(d.Changes, Change{Host: s.hostLabel(f.Client.Target), Path: "~/" + rel, Summary: s.T("client-env.change_persist")})
		}
	}
	env, err := RenderEnv(shell, v, false, nil)
	if err != nil {
		return d, err
	}
	d.Commands = strings.Split(strings.TrimRight(env, "\n"), "\n")
	if f.Client.Context != "" {
		dir := f.Client.CertDir
		if v.CertPath != "" {
			dir = v.CertPath
		}
		d.Commands = append(d.Commands, fmt.Sprintf("docker context create %s --docker %s", shellquote.POSIX(f.Client.Context), shellquote.POSIX(contextArgs(f.Daemon.Address, dir))))
	}
	return d, nil
}

// clientShell is the shell the client's variables are written for.
func (s *Session) clientShell(ctx context.Context) string {
	if s.Options.Shell != "" {
		return s.Options.Shell
	}
	if s.ClientIsLocal() {
		return DetectShell(s.getenv("SHELL"))
	}
	if h, err := s.ClientHost(ctx); err == nil {
		if res, err := h.Run(ctx, remote.Command{Args: []string{"sh", "-c", `printf %s "$SHELL"`}}); err == nil {
			return DetectShell(string(res.Stdout))
		}
	}
	return "bash"
}

func (clientEnvStep) Apply(ctx context.Context, s *Session, emit func(Event)) error {
	f := s.Filled()
	v, err := s.ClientEnv(ctx)
	if err != nil {
		return err
	}
	dir, err := s.ClientCertDir(ctx)
	if err != nil {
		return err
	}
	h, err := s.ClientHost(ctx)
	if err != nil {
		return err
	}
	changed, configured := false, false
	var notes []string
	if name := f.Client.Context; name != "" {
		configured = true
		st, err := s.dockerContext(ctx, h, name, dir)
		if err != nil {
			return err
		}
		arg := contextArgs(f.Daemon.Address, dir)
		switch {
		case !st.cli:
			emit(Event{Kind: EventInfo, Message: s.T("wizard.clientenv.no_cli", "Host", h.Name(), "Command", "docker context create "+shellquote.POSIX(name)+" --docker "+shellquote.POSIX(arg))})
		case st.exists && st.host != f.Daemon.Address:
			return i18n.Errorf("wizard.clientenv.context_other", "Context", strconv.Quote(name), "Host", h.Name(), "Other", st.host, "Address", f.Daemon.Address, "Name", name)
		case st.exists && st.current:
			notes = append(notes, s.T("wizard.clientenv.context_current", "Context", name))
		default:
			verb := "create"
			if st.exists {
				verb = "update"
			}
			res, err := h.Run(ctx, remote.Command{Args: []string{"docker", "context", verb, name, "--docker", arg}})
			if err != nil {
				return i18n.Errorf("wizard.clientenv.context_run", "Verb", verb, "Host", h.Name(), "Err", err)
			}
			if res.ExitCode != 0 {
				return i18n.Errorf("wizard.clientenv.context_failed", "Verb", verb, "Context", name, "Host", h.Name(), "Output", strings.TrimSpace(string(res.Stderr)))
			}
			changed = true
			if verb == "create" {
				notes = append(notes, s.T("wizard.clientenv.context_created", "Context", name))
			} else {
				notes = append(notes, s.T("wizard.clientenv.context_updated", "Context", name))
			}
			emit(Event{Kind: EventInfo, Message: fmt.Sprintf("%s: docker context %s %s --docker %s", h.Name(), verb, name, arg)})
		}
	}
	if s.Options.Persist {
		configured = true
		shell := s.clientShell(ctx)
		file, did, err := s.PersistEnv(ctx, shell, false)
		if err != nil {
			return err
		}
		if did {
			changed = true
			notes = append(notes, s.T("wizard.clientenv.written", "File", file))
			emit(Event{Kind: EventInfo, Message: s.T("wizard.clientenv.wrote_block", "Host", h.Name(), "File", file)})
		} else {
			notes = append(notes, s.T("wizard.clientenv.file_current", "File", file))
		}
	}
	line := "DOCKER_HOST=" + v.Host + " DOCKER_TLS_VERIFY=1"
	if v.CertPath != "" {
		line += " DOCKER_CERT_PATH=" + v.CertPath
	}
	if !s.Options.Persist {
		line += s.say(" (eval \"$(", fix.Run("env"), ")\")")
	}
	if len(notes) > 0 {
		line += "; " + strings.Join(notes, "; ")
	}
	if configured && !changed {
		emit(Event{Kind: EventSkipped, Message: line})
		return nil
	}
	emit(Event{Kind: EventDone, Message: line})
	return nil
}
