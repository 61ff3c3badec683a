// Package remote reaches the machines dockertls works on: the daemon node and
// the client, over SSH (goph) or on this machine, behind one Host interface.
//
// Every step that touches another machine goes through a Host, so that the
// same code path serves `daemon.ssh: local` and `daemon.ssh: ubuntu@node3`.
package remote

import (
	"context"
	"io"
	"io/fs"
	"time"
)

// Command is one program run on a host. Args are passed literally: the SSH
// implementation quotes every argument for the remote shell, so spaces,
// quotes, `;` and `$()` arrive as written.
type Command struct {
	Args  []string  // program and arguments; Args[0] is looked up in PATH
	Stdin io.Reader // optional
	// Stdout, when set, also receives the command's output as it arrives
	// (Result.Stdout still holds all of it): for a command that says
	// something before it ends, like LockFile's "locked".
	Stdout io.Writer
	Env    []string // optional "NAME=value" pairs (sent as `env NAME=value ...`, never via SSH setenv)
	Sudo   bool     // run as root: no-op for root, `sudo -n` or `sudo -S -p ''` otherwise
}

// Result is what a finished command left behind. A command that ran and
// exited non-zero is not an error of Run: look at ExitCode.
type Result struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int
}

// WriteOptions say how WriteFile leaves the file.
type WriteOptions struct {
	Mode  fs.FileMode // permission bits, e.g. 0o400 for a private key
	Owner string      // user name or numeric id; empty: the connecting user (or root with Sudo)
	Group string      // group name or numeric id; empty: Owner's primary group
	Sudo  bool        // the target is root-owned: stage privately, then `sudo install` + `mv`
}

// FileInfo is what Stat reports.
type FileInfo struct {
	Path    string
	Size    int64
	Mode    fs.FileMode // permission bits and fs.ModeDir
	Owner   string      // user name (numeric id when the name is unknown)
	Group   string
	ModTime time.Time
}

// Host is one machine dockertls works on. Implementations: SSH (goph) and
// Local. A Host holds at most one connection, opened by its constructor and
// shared by every call until Close.
type Host interface {
	// Name is how messages name the host: "node3" or "this machine".
	Name() string

	// Run runs a command. The error is non-nil only when the command could
	// not be run or ctx ended; a non-zero exit is reported in Result.
	Run(ctx context.Context, cmd Command) (Result, error)

	// ReadFile returns a file's contents. A missing file is an error that
	// matches fs.ErrNotExist. With sudo, the file is read as root. Only
	// regular files of at most MaxFileSize are read: anything else (a
	// FIFO, /dev/zero) is refused at once.
	ReadFile(ctx context.Context, path string, sudo bool) ([]byte, error)

	// WriteFile replaces path atomically (temp file in the same directory,
	// then rename) with the given mode and owner: a reader sees the old file
	// or the new one, never a part; a failed write leaves the old file as it
	// was and removes the temp file. Data never appears on a command line.
	// When ctx ends during a write for another owner (Sudo, Owner, Group),
	// the rename runs inside the remote command: WriteFile may report the
	// cancellation although the new file is in place. Either way the file
	// is whole, old or new, and no temp file stays.
	WriteFile(ctx context.Context, path string, data []byte, opts WriteOptions) error

	// Stat describes path. A missing path is an error matching fs.ErrNotExist.
	Stat(ctx context.Context, path string, sudo bool) (FileInfo, error)

	// MkdirAll creates path and its parents with mode (and, with opts.Sudo,
	// owner and group) like `mkdir -p`; existing directories are left as
	// they are except that the last one gets opts' mode and owner.
	MkdirAll(ctx context.Context, path string, opts WriteOptions) error

	// Backup copies path to a timestamped sibling (path + ".dockertls-backup-
	// 20261122T044100Z"), keeping mode and owner, and returns the copy's path.
	Backup(ctx context.Context, path string, sudo bool) (string, error)

	// Remove deletes a file; a missing one is not an error.
	Remove(ctx context.Context, path string, sudo bool) error

	// HomeDir is the connecting user's home directory, for expanding "~".
	HomeDir(ctx context.Context) (string, error)

	// Close ends the connection. Further calls fail.
	Close() error
}

// SecretKind names what a Prompter.Secret call asks for.
type SecretKind int

const (
	SecretKeyPassphrase SecretKind = iota // passphrase of an encrypted SSH identity file
	SecretSSHPassword                     // password (or keyboard-interactive answer) for SSH login
	SecretSudoPassword                    // password sudo asks for
)

// SecretRequest describes one secret a connection needs.
type SecretRequest struct {
	Kind   SecretKind
	Host   string // "node3:22"
	User   string
	Detail string // e.g. the identity file's path, or the keyboard-interactive question
}

// HostKeyRequest describes an SSH host key seen for the first time.
type HostKeyRequest struct {
	Host        string // "node3:22", as known_hosts names it
	KeyType     string // "ssh-ed25519"
	Fingerprint string // "SHA256:..." as `ssh-keygen -lf` prints it
	KnownHosts  string // the file the key will be appended to
}

// Prompter answers the questions a connection may have to ask. The TUI asks
// the user; headless runs answer from flags and environment variables and
// never read standard input that is not a terminal.
type Prompter interface {
	// TrustHostKey asks whether to trust and remember an unknown host key.
	TrustHostKey(ctx context.Context, req HostKeyRequest) (bool, error)
	// Secret asks for a password or passphrase. It is never logged.
	Secret(ctx context.Context, req SecretRequest) (string, error)
}

// MaxFileSize caps Host.ReadFile: daemon.json, certificates, unit files and
// shell start-up files are far smaller.
const MaxFileSize = 16 << 20
