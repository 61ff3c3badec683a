package remote

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
)

// host implements Host on top of a transport. All behaviour that does not
// depend on how commands reach the machine lives here, so SSH and Local
// cannot drift apart.
type host struct {
	t        transport
	prompter Prompter
	// secretHost names the host in questions to the Prompter ("node3:22").
	secretHost string
	user       string
	// where names the host in messages: its label, or an i18n.Message
	// ("this machine") said in the reader's language.
	where any

	mu     sync.Mutex // guards closed, home and stage
	closed bool
	home   string
	stage  string // private staging directory, "" until needed

	sudo sudoState
}

func newHost(t transport, p Prompter, secretHost, user string) *host {
	return &host{t: t, prompter: p, secretHost: secretHost, user: user, where: t.name()}
}

func (h *host) Name() string { return h.t.name() }

// Label is how a message names h, as a value for i18n.Errorf, i18n.M or
// Localizer.T ("Host", remote.Label(h)): an SSH host's name ("node3"), or
// for this machine the message host.this_machine, said in the reader's
// language where Name is always English.
func Label(h Host) any {
	if x, ok := h.(*host); ok {
		return x.where
	}
	return h.Name()
}

func (h *host) isClosed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closed
}

// Run implements Host.
func (h *host) Run(ctx context.Context, cmd Command) (Result, error) {
	if len(cmd.Args) == 0 {
		return Result{}, i18n.Errorf("remote.run.no_program", "Host", h.where)
	}
	argv := cmd.Args
	if len(cmd.Env) > 0 {
		for _, kv := range cmd.Env {
			if name, _, ok := strings.Cut(kv, "="); !ok || name == "" || strings.ContainsAny(name, " \t\n'\"$;") {
				return Result{}, i18n.Errorf("remote.run.bad_env", "Program", cmd.Args[0], "Host", h.where, "Entry", strconv.Quote(kv))
			}
		}
		argv = append(append([]string{"env"}, cmd.Env...), argv...)
	}
	return h.run(ctx, cmd.Sudo, i18n.M("remote.why.run", "Program", cmd.Args[0]), argv, cmd.Stdin, cmd.Stdout)
}

// run executes argv, as root when sudo is set. why names the operation
// that needs root, for the error when root is out of reach. stdoutTap, when
// not nil, also receives the output as it arrives.
func (h *host) run(ctx context.Context, sudo bool, why i18n.Message, argv []string, stdin io.Reader, stdoutTap io.Writer) (Result, error) {
	if h.isClosed() {
		return Result{}, i18n.Errorf("remote.failed_on", "Op", why, "Host", h.where, "Err", ErrClosed)
	}
	var res Result
	var err error
	if sudo {
		if err := h.becomeRoot(ctx, why); err != nil {
			return Result{}, err
		}
		res, err = h.execAsRoot(ctx, why, argv, stdin, stdoutTap)
	} else {
		res, err = h.t.exec(ctx, argv, stdin, stdoutTap, nil)
	}
	var cancelled *cancelledError
	if errors.As(err, &cancelled) && cancelled.pid > 0 {
		h.kill(cancelled.pid, sudo)
	}
	if err != nil {
		return res, i18n.Errorf("remote.run.failed", "Program", argv[0], "Host", h.where, "Err", err)
	}
	return res, nil
}

// kill stops a cancelled remote command: SIGTERM (sudo passes it on to
// its command), then SIGKILL if it is still there after the grace period.
// Best effort: the caller already reports the cancellation.
func (h *host) kill(pid int, sudo bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*cancelGrace)
	defer cancel()
	send := func(args ...string) bool {
		argv := append([]string{"kill"}, args...)
		var res Result
		var err error
		if sudo {
			res, err = h.execAsRoot(ctx, i18n.M("remote.why.stop_cancelled"), argv, nil, nil)
		} else {
			res, err = h.t.exec(ctx, argv, nil, nil, nil)
		}
		return err == nil && res.ExitCode == 0
	}
	pidArg := strconv.Itoa(pid)
	if !send("-TERM", pidArg) {
		return
	}
	for deadline := time.Now().Add(cancelGrace); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if !send("-0", pidArg) {
			return
		}
	}
	send("-KILL", pidArg)
}

// runOK is run for helper commands: a non-zero exit becomes an error that
// carries the command's own message, mapped to fs errors where it fits.
func (h *host) runOK(ctx context.Context, sudo bool, why i18n.Message, argv []string) (Result, error) {
	res, err := h.run(ctx, sudo, why, argv, nil, nil)
	if err != nil {
		return res, err
	}
	if res.ExitCode != 0 {
		return res, &commandError{host: h.where, why: why, argv: argv, res: res}
	}
	return res, nil
}

// commandError is a helper command that exited non-zero. It matches
// fs.ErrNotExist / fs.ErrPermission when the command said so (commands run
// with LC_ALL=C so the messages are stable).
type commandError struct {
	host any // a label or an i18n.Message (host.where)
	why  i18n.Message
	argv []string
	res  Result
}

func (e *commandError) Error() string { return e.Localize(i18n.New(i18n.English)) }

// Localize implements i18n.Localized; the command's own output is quoted
// as it printed it (in the C locale).
func (e *commandError) Localize(l *i18n.Localizer) string {
	msg := strings.TrimSpace(string(e.res.Stderr))
	if msg == "" {
		msg = strings.TrimSpace(string(e.res.Stdout))
	}
	return l.T("remote.command_failed", "Op", e.why, "Host", e.host, "Program", programName(e.argv), "Code", e.res.ExitCode, "Output", msg)
}

func (e *commandError) Is(target error) bool {
	switch target {
	case fs.ErrNotExist:
		return bytes.Contains(e.res.Stderr, []byte("No such file or directory"))
	case fs.ErrPermission:
		return bytes.Contains(e.res.Stderr, []byte("Permission denied")) ||
			bytes.Contains(e.res.Stderr, []byte("Operation not permitted"))
	}
	return false
}

// programName is the program argv runs, past an `env NAME=value` prefix.
func programName(argv []string) string {
	for i, a := range argv {
		if (i == 0 && a == "env") || (i > 0 && strings.Contains(a, "=") && !strings.HasPrefix(a, "-")) {
			continue
		}
		return a
	}
	return argv[0]
}

// cEnv prefixes a helper command with LC_ALL=C so its messages can be
// recognised whatever the host's locale.
func cEnv(argv ...string) []string {
	return append([]string{"env", "LC_ALL=C"}, argv...)
}

// ReadFile implements Host.
func (h *host) ReadFile(ctx context.Context, path string, sudo bool) ([]byte, error) {
	if !sudo {
		if h.isClosed() {
			return nil, i18n.Errorf("remote.failed_on", "Op", i18n.M("remote.why.read", "Path", path), "Host", h.where, "Err", ErrClosed)
		}
		data, err := h.t.readFile(ctx, path)
		if err != nil {
			return nil, i18n.Errorf("remote.failed_on", "Op", i18n.M("remote.why.read", "Path", path), "Host", h.where, "Err", err)
		}
		return data, nil
	}
	res, err := h.runOK(ctx, true, i18n.M("remote.why.read", "Path", path), cEnv("sh", "-c", readScript, "sh", path, strconv.Itoa(MaxFileSize+1)))
	if err != nil {
		return nil, err
	}
	if len(res.Stdout) > MaxFileSize {
		return nil, &fsread.TooLargeError{Path: path, Limit: MaxFileSize}
	}
	return res.Stdout, nil
}

// readScript reads a regular file as root, at most $2 bytes: a FIFO would
// block and /dev/zero never end. A missing file is left to cat, whose
// message runOK maps to fs.ErrNotExist.
const readScript = `if [ -e "$1" ] && [ ! -f "$1" ]; then echo "$1 is not a regular file" >&2; exit 1; fi
if [ -e "$1" ]; then head -c "$2" -- "$1"; else cat -- "$1"; fi`

// Remove implements Host.
func (h *host) Remove(ctx context.Context, path string, sudo bool) error {
	_, err := h.runOK(ctx, sudo, i18n.M("remote.why.remove", "Path", path), cEnv("rm", "-f", "--", path))
	return err
}

// HomeDir implements Host.
func (h *host) HomeDir(ctx context.Context) (string, error) {
	h.mu.Lock()
	home := h.home
	h.mu.Unlock()
	if home != "" {
		return home, nil
	}
	res, err := h.runOK(ctx, false, i18n.M("remote.why.home"), []string{"printenv", "HOME"})
	if err != nil {
		return "", err
	}
	home = strings.TrimSpace(string(res.Stdout))
	if !strings.HasPrefix(home, "/") {
		return "", i18n.Errorf("remote.home_not_absolute", "Host", h.where, "Home", strconv.Quote(home), "User", h.user)
	}
	h.mu.Lock()
	h.home = home
	h.mu.Unlock()
	return home, nil
}

// Close implements Host.
func (h *host) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	stage := h.stage
	h.mu.Unlock()
	var stageErr error
	if stage != "" {
		if err := h.t.removeAll(context.Background(), stage); err != nil {
			stageErr = i18n.Errorf("remote.close.stage", "Dir", stage, "Host", h.where, "Err", err)
		}
	}
	if err := h.t.close(); err != nil {
		return i18n.Join(stageErr, i18n.Errorf("remote.close.conn", "Host", h.where, "Err", err))
	}
	return stageErr
}

var _ Host = (*host)(nil)

// errorsIsNotExist is errors.Is(err, fs.ErrNotExist), named for reading.
func errorsIsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
