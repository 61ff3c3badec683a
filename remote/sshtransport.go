package remote

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// exec runs argv in a new session. goph does not quote arguments, so each
// one is quoted for the remote shell here. The shell first reports its pid
// on stderr (under a random marker, removed from the output) and then
// execs the program, so the pid is the program's: OpenSSH does not deliver
// signals to sessions without privilege separation, so a cancelled command
// is stopped with kill in a second session (see host.run). The session is
// closed on return.
func (s *sshTransport) exec(ctx context.Context, argv []string, stdin io.Reader, stdoutTap, stderrTap io.Writer) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	sess, err := s.client.NewSession()
	if err != nil {
		return Result{}, i18n.Errorf("remote.ssh.session", "Err", err)
	}
	defer sess.Close()
	var stdout, stderr lockedBuffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	if stdoutTap != nil {
		sess.Stdout = io.MultiWriter(&stdout, stdoutTap)
	}
	if stderrTap != nil {
		sess.Stderr = io.MultiWriter(&stderr, stderrTap)
	}
	var stdinPipe io.WriteCloser
	if stdin != nil {
		// Not sess.Stdin: Wait would wait for the copy (see transport.exec).
		if stdinPipe, err = sess.StdinPipe(); err != nil {
			return Result{}, i18n.Errorf("remote.ssh.stdin", "Program", argv[0], "Err", err)
		}
	}
	tok := make([]byte, 6)
	if _, err := rand.Read(tok); err != nil {
		return Result{}, err
	}
	marker := "dockertls-pid-" + hex.EncodeToString(tok) + ":"
	cmdline := "printf '%s%s\\n' " + marker + ` "$$" >&2; exec ` + shellquote.POSIXJoin(argv)
	if err := sess.Start(cmdline); err != nil {
		return Result{}, i18n.Errorf("remote.ssh.start", "Program", argv[0], "Err", err)
	}
	if stdinPipe != nil {
		go copyStdin(stdinPipe, stdin)
	}
	done := make(chan error, 1)
	go func() { done <- sess.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = sess.Signal(ssh.SIGTERM) // works where sshd allows it
		pid := 0
		// The shell reports its pid right after its startup files (which
		// can be slow, e.g. a .bashrc that runs pyenv).
		for deadline := time.Now().Add(5 * cancelGrace); pid == 0 && time.Now().Before(deadline); {
			if _, pid = splitPidMarker(stderr.Bytes(), marker); pid == 0 {
				time.Sleep(10 * time.Millisecond)
			}
		}
		errOut, _ := splitPidMarker(stderr.Bytes(), marker)
		return Result{Stdout: stdout.Bytes(), Stderr: errOut}, &cancelledError{pid: pid, err: ctx.Err()}
	}
	errOut, _ := splitPidMarker(stderr.Bytes(), marker)
	res := Result{Stdout: stdout.Bytes(), Stderr: errOut}
	var exitErr *ssh.ExitError
	var missing *ssh.ExitMissingError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		res.ExitCode = exitErr.ExitStatus()
		if exitErr.Signal() != "" {
			res.ExitCode = -1
		}
	case errors.As(err, &missing):
		return res, i18n.Errorf("remote.ssh.no_exit_status", "Program", argv[0])
	default:
		return res, err
	}
	return res, nil
}

// splitPidMarker removes the marker line from stderr and returns the pid
// it carried (0 when it has not arrived).
func splitPidMarker(stderr []byte, marker string) ([]byte, int) {
	i := bytes.Index(stderr, []byte(marker))
	if i < 0 {
		return stderr, 0
	}
	end := bytes.IndexByte(stderr[i:], '\n')
	if end < 0 {
		return stderr[:i], 0
	}
	pid, err := strconv.Atoi(string(stderr[i+len(marker) : i+end]))
	if err != nil {
		pid = 0
	}
	return append(bytes.Clone(stderr[:i]), stderr[i+end+1:]...), pid
}

// cancelledError is a command stopped by its context; pid is the remote
// process to kill (0 if unknown).
type cancelledError struct {
	pid int
	err error
}

func (e *cancelledError) Error() string { return e.err.Error() }
func (e *cancelledError) Unwrap() error { return e.err }

// cancelGrace is how long a cancelled command gets to end after each signal.
const cancelGrace = time.Second

// lockedBuffer collects output that a session may still be writing when
// a cancelled exec returns.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Bytes returns a copy of what was written so far.
func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// sftpClient opens the SFTP subsystem on first use; it shares the one
// connection.
func (s *sshTransport) sftpClient() (*sftp.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sftp != nil {
		return s.sftp, nil
	}
	c, err := s.client.NewSftp(sftp.UseConcurrentWrites(true))
	if err != nil {
		return nil, i18n.Errorf("remote.ssh.sftp", "Err", err)
	}
	s.sftp = c
	return c, nil
}

// readFile reads over SFTP. (goph's Download is not used: it empties the
// local file when the remote one is missing.)
func (s *sshTransport) readFile(_ context.Context, p string) ([]byte, error) {
	c, err := s.sftpClient()
	if err != nil {
		return nil, err
	}
	// Stat first: sftp-server would open a FIFO and wait for a writer.
	info, err := c.Stat(p)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &fsread.NotRegularError{Path: p, Kind: fsread.Kind(info.Mode())}
	}
	f, err := c.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, &fsread.TooLargeError{Path: p, Limit: MaxFileSize}
	}
	return data, nil
}

// createTempScript creates the temp file under the name the caller chose
// (set -C: O_EXCL, so nothing that exists is ever written; umask 077: 0600
// in the open call itself, while SFTP's open gives no mode). The name is
// known to the shell before the file exists, so the trap always removes it:
// a name that only mktemp knew was lost when the session's SIGTERM (sshd
// sends it to the whole process group) killed mktemp between creating the
// file and printing its name, which left the file behind on loaded
// machines. The data arrives on stdin, then the file gets its mode. Nobody
// stops this shell when the caller gives up (the session just closes, and
// cat sees an early end of input), so it checks the size itself, and any
// failure, a closed output or a signal removes the file.
// Positional parameters: $1 temp path, $2 mode, $3 size.
const createTempScript = `umask 077
tmp=$1
trap 'rm -f -- "$tmp"; exit 1' HUP PIPE TERM
set -C
: >"$tmp" || { tmp=; exit 1; }
set +C
{
  cat >"$tmp" && size=$(wc -c <"$tmp") &&
  { [ "$size" -eq "$3" ] || { echo "only $size of $3 bytes arrived" >&2; false; }; } &&
  chmod "$2" "$tmp"
} || { rc=$?; rm -f -- "$tmp"; exit $rc; }`

// createTemp writes a new private file through one shell command, the
// data on stdin. (goph's Upload is not used: it truncates the target
// first, drops the mode and ignores the close error.) The name is chosen
// here, so that a failed or cancelled write is cleaned up from this side
// too, whatever the remote shell managed to do.
func (s *sshTransport) createTemp(ctx context.Context, dir, prefix string, data []byte, mode fs.FileMode) (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	name := path.Join(dir, prefix+hex.EncodeToString(b))
	argv := cEnv("sh", "-c", createTempScript, "sh", name, octal(mode), strconv.Itoa(len(data)))
	res, err := s.exec(ctx, argv, bytes.NewReader(data), nil, nil)
	if err == nil && res.ExitCode == 0 {
		return name, nil
	}
	// The script removes its file on any failure; this covers a shell that
	// died. A name that exists but is not ours cannot happen: 64 random
	// bits, and the script never writes to an existing file.
	_ = s.remove(context.WithoutCancel(ctx), name)
	if err != nil {
		return "", err
	}
	return "", &commandError{host: s.label, why: i18n.M("remote.why.temp", "Dir", dir), argv: argv, res: res}
}

// stageFile writes a file over SFTP into the private staging directory
// (0700, so the server's umask at creation exposes nothing): a few SFTP
// round trips instead of a shell session per file.
func (s *sshTransport) stageFile(_ context.Context, dir, prefix string, data []byte) (string, error) {
	c, err := s.sftpClient()
	if err != nil {
		return "", err
	}
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	name := path.Join(dir, prefix+hex.EncodeToString(b))
	f, err := c.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return "", err
	}
	fail := func(err error) (string, error) {
		_ = f.Close()
		_ = c.Remove(name)
		return "", err
	}
	if err := f.Chmod(0o600); err != nil {
		return fail(err)
	}
	if _, err := f.ReadFrom(bytes.NewReader(data)); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		_ = c.Remove(name)
		return "", err
	}
	return name, nil
}

// rename uses OpenSSH's posix-rename, which replaces the target atomically
// (plain SFTP rename refuses to replace).
func (s *sshTransport) rename(_ context.Context, oldpath, newpath string) error {
	c, err := s.sftpClient()
	if err != nil {
		return err
	}
	return c.PosixRename(oldpath, newpath)
}

func (s *sshTransport) remove(_ context.Context, p string) error {
	c, err := s.sftpClient()
	if err != nil {
		return err
	}
	if err := c.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (s *sshTransport) privateDir(ctx context.Context) (string, error) {
	res, err := s.exec(ctx, []string{"mktemp", "-d", "-t", "dockertls-stage-XXXXXXXX"}, nil, nil, nil)
	if err != nil {
		return "", err
	}
	dir := strings.TrimSpace(string(res.Stdout))
	if res.ExitCode != 0 || !strings.HasPrefix(dir, "/") {
		return "", i18n.Errorf("remote.ssh.mktemp", "Output", strings.TrimSpace(string(res.Stderr)))
	}
	return dir, nil
}

func (s *sshTransport) removeAll(ctx context.Context, dir string) error {
	res, err := s.exec(ctx, []string{"rm", "-rf", "--", dir}, nil, nil, nil)
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		return i18n.Errorf("remote.ssh.remove_all", "Dir", dir, "Output", strings.TrimSpace(string(res.Stderr)))
	}
	return nil
}

func (s *sshTransport) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	if s.sftp != nil {
		errs = append(errs, s.sftp.Close())
	}
	if err := s.client.Close(); err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
