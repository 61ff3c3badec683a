package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"slices"
	"strings"
	"syscall"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
)

// NewLocal returns the Host for this machine (`daemon.ssh: local`,
// `client.target: local`). Commands run directly, without a shell; sudo is
// used only when not root. p answers the sudo password question; nil
// means passwordless sudo or root only. secretEnv names variables, beyond
// the ones childEnv always drops, that no program run here inherits.
func NewLocal(p Prompter, secretEnv ...string) Host {
	name := "this machine"
	u := ""
	if cur, err := user.Current(); err == nil {
		u = cur.Username
	}
	h := newHost(localTransport{secretEnv: secretEnv}, p, name, u)
	h.where = i18n.M("host.this_machine") // in the reader's language
	return h
}

// localTransport runs programs and touches files on this machine.
type localTransport struct {
	secretEnv []string // more variables children must not inherit (childEnv)
}

func (localTransport) name() string { return "this machine" }

func (l localTransport) exec(ctx context.Context, argv []string, stdin io.Reader, stdoutTap, stderrTap io.Writer) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = childEnv(os.Environ(), l.secretEnv)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if stdoutTap != nil {
		cmd.Stdout = io.MultiWriter(&stdout, stdoutTap)
	}
	if stderrTap != nil {
		cmd.Stderr = io.MultiWriter(&stderr, stderrTap)
	}
	var stdinPipe io.WriteCloser
	if stdin != nil {
		var err error
		if stdinPipe, err = cmd.StdinPipe(); err != nil {
			return Result{}, err
		}
	}
	// SIGTERM first: sudo passes it on to the command (SIGKILL would leave
	// the command running without sudo); SIGKILL after the grace period.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = cancelGrace
	err := cmd.Start()
	if err == nil {
		if stdinPipe != nil {
			go copyStdin(stdinPipe, stdin)
		}
		err = cmd.Wait()
	}
	res := Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes()}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return res, ctxErr
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return res, nil
	case errors.As(err, &exitErr):
		res.ExitCode = exitErr.ExitCode()
		return res, nil
	case errors.Is(err, exec.ErrNotFound):
		// Report it the way a remote shell does, so SSH and Local agree.
		res.ExitCode = 127
		res.Stderr = append(res.Stderr, fmt.Sprintf("%s: command not found\n", argv[0])...)
		return res, nil
	}
	return res, err
}

// copyStdin feeds a command's input and then closes it (end of input). It
// ends early when the command is gone (the pipe is closed).
func copyStdin(w io.WriteCloser, r io.Reader) {
	_, _ = io.Copy(w, r)
	_ = w.Close()
}

// childEnv is this process's environment without the variables that hold
// secrets: dockertls's own, and any *PASSWORD* or *PASSPHRASE* variable —
// the CA passphrase comes from a variable the plan names (ca.passphrase_env).
// The programs dockertls runs here (sh, sudo, docker) need none of them, and
// every process of the user could read them in /proc/PID/environ. secret
// names more variables to drop (any name, e.g. MY_CA_PW).
func childEnv(env, secret []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch upper := strings.ToUpper(name); {
		case name == EnvSSHPassword, name == EnvSudoPassword, name == EnvKeyPassphrase,
			strings.Contains(upper, "PASSWORD"), strings.Contains(upper, "PASSPHRASE"),
			slices.Contains(secret, name):
			continue
		}
		out = append(out, kv)
	}
	return out
}

func (localTransport) readFile(_ context.Context, p string) ([]byte, error) {
	return fsread.ReadFile(p, MaxFileSize)
}

func (localTransport) createTemp(_ context.Context, dir, prefix string, data []byte, mode fs.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, prefix+"*") // O_EXCL, 0600
	if err != nil {
		return "", err
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		_ = f.Close()
		_ = os.Remove(name)
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(mode.Perm()); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(name)
		return "", err
	}
	return name, nil
}

// stageFile implements transport: os.CreateTemp is private from the start
// anyway.
func (l localTransport) stageFile(ctx context.Context, dir, prefix string, data []byte) (string, error) {
	return l.createTemp(ctx, dir, prefix, data, 0o600)
}

func (localTransport) rename(_ context.Context, oldpath, newpath string) error {
	return os.Rename(oldpath, newpath)
}

func (localTransport) remove(_ context.Context, p string) error {
	err := os.Remove(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func (localTransport) privateDir(context.Context) (string, error) {
	return os.MkdirTemp("", "dockertls-stage-") // 0700
}

func (localTransport) removeAll(_ context.Context, dir string) error {
	return os.RemoveAll(dir)
}

func (localTransport) close() error { return nil }
