package remote

import (
	"context"
	"io"
	"io/fs"
)

// transport is what differs between SSH and this machine: running a program
// and the few file operations that must not go through a command line
// (file contents never appear in argv). Everything else — sudo, stat, mkdir,
// backups, root-owned writes — is built once on top of it in shell.go, so
// both implementations behave the same.
type transport interface {
	// name is how messages name the host.
	name() string
	// exec runs argv literally as the connecting user. stdin is copied to
	// the command by a goroutine that exec does not wait for, so a reader
	// may block until the caller releases it after exec returns (sudoGate).
	// stdoutTap and stderrTap, when not nil, also receive stdout and
	// stderr as they arrive.
	exec(ctx context.Context, argv []string, stdin io.Reader, stdoutTap, stderrTap io.Writer) (Result, error)
	// readFile reads a file as the connecting user; missing → fs.ErrNotExist.
	readFile(ctx context.Context, path string) ([]byte, error)
	// createTemp makes a new file (O_EXCL) named prefix+random in dir, never
	// readable by others while data is written, then gives it mode; it
	// returns the file's path and removes it on failure.
	createTemp(ctx context.Context, dir, prefix string, data []byte, mode fs.FileMode) (string, error)
	// stageFile is createTemp (mode 0600) for a directory only the
	// connecting user can enter (privateDir), where the file's mode at
	// creation does not matter, so the fastest way may be used.
	stageFile(ctx context.Context, dir, prefix string, data []byte) (string, error)
	// rename replaces newpath with oldpath atomically.
	rename(ctx context.Context, oldpath, newpath string) error
	// remove deletes a file as the connecting user.
	remove(ctx context.Context, path string) error
	// privateDir creates a fresh 0700 directory for staging files.
	privateDir(ctx context.Context) (string, error)
	// removeAll deletes a staging directory and its contents.
	removeAll(ctx context.Context, dir string) error
	// close ends the connection.
	close() error
}
