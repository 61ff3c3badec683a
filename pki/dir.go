package pki

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// The tutorial's file names in the PKI directory.
const (
	FileCA         = "ca.pem"
	FileCAKey      = "ca-key.pem"
	FileCASerial   = "ca.srl"
	FileDaemonCert = "daemon-cert.pem"
	FileDaemonKey  = "daemon-key.pem"
	FileClientCert = "client-cert.pem"
	FileClientKey  = "client-key.pem"
)

// File modes: the directory and keys private, certificates world-readable
// but read-only, as the tutorial's chmod 0400 / 0444.
const (
	DirMode  fs.FileMode = 0o700
	KeyMode  fs.FileMode = 0o400
	CertMode fs.FileMode = 0o444
	srlMode  fs.FileMode = 0o644
)

// ClientFiles names the certificate and key files of a client: "" is the
// tutorial's client-cert.pem/client-key.pem, "alice" is
// client-alice-cert.pem/client-alice-key.pem.
func ClientFiles(name string) (cert, key string) {
	if name == "" {
		return FileClientCert, FileClientKey
	}
	return "client-" + name + "-cert.pem", "client-" + name + "-key.pem"
}

// Dir is the local PKI directory holding the CA and the certificates.
type Dir struct {
	path string
	// commitMu makes the commits of one process take turns (IssueClients
	// saves pairs from several goroutines; the journal has one name).
	// Other processes are kept out by Lock.
	commitMu sync.Mutex
}

// OpenDir opens the PKI directory, creating it (and its parents) with mode
// 0700 when missing. An existing directory's mode is left as the user set
// it: PermissionProblems reports it when it is open to others, and the
// wizard asks before tightening it.
func OpenDir(path string) (*Dir, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("no PKI directory given: type a directory such as ./pki")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("PKI directory %s: %w", path, err)
	}
	info, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(abs, DirMode); err != nil {
			return nil, fmt.Errorf("create the PKI directory %s: %w", abs, err)
		}
		// MkdirAll is subject to the umask; make sure the last one is 0700.
		if err := os.Chmod(abs, DirMode); err != nil {
			return nil, fmt.Errorf("create the PKI directory %s: %w", abs, err)
		}
	case err != nil:
		return nil, fmt.Errorf("PKI directory %s: %w", abs, err)
	case !info.IsDir():
		return nil, fmt.Errorf("PKI directory %s is a file, not a directory: choose another path", abs)
	}
	d := &Dir{path: abs}
	if err := d.Access(); err != nil {
		return nil, err
	}
	return d, nil
}

// Access checks that this user may list the directory and reach its files.
// A refusal is an error that says "permission denied" and whose directory
// it is, never mistaken for a missing CA.
func (d *Dir) Access() error {
	f, err := os.Open(d.path)
	if err == nil {
		_, err = f.Readdirnames(1)
		_ = f.Close()
		if errors.Is(err, io.EOF) {
			err = nil
		}
	}
	if err == nil {
		_, err = os.Lstat(filepath.Join(d.path, ".")) // needs search (x) permission
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrPermission):
		return &PermissionError{Dir: d.path}
	}
	return fmt.Errorf("PKI directory %s: %w", d.path, err)
}

// PermissionError is a PKI directory this user may not use.
type PermissionError struct {
	Dir string
}

func (e *PermissionError) Error() string {
	owner, mode := "another user", ""
	if info, err := os.Stat(e.Dir); err == nil {
		mode = fmt.Sprintf(", mode %04o", info.Mode().Perm())
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			owner = userName(st.Uid)
		}
	}
	return fmt.Sprintf("permission denied: the PKI directory %s belongs to %s%s, and you are %s: run dockertls as %s, or choose a directory of yours (plan: dir)",
		e.Dir, owner, mode, userName(uint32(os.Geteuid())), owner)
}

func (e *PermissionError) Unwrap() error { return fs.ErrPermission }

// userName is a user's login name, or "uid N" when it has none.
func userName(uid uint32) string {
	id := strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(id); err == nil {
		return u.Username
	}
	return "uid " + id
}

// Path returns the absolute path of a file in the directory.
func (d *Dir) Path(name string) string { return filepath.Join(d.path, name) }

// DirProblems reports a directory others can enter or list, and one that
// belongs to another user (who can then read or replace the CA key). OpenDir
// does not tighten an existing directory by itself: it may be the user's
// own, chosen on purpose; the wizard shows these findings with the fix.
func (d *Dir) DirProblems() []Problem {
	var out []Problem
	info, err := os.Stat(d.path)
	if err != nil {
		return []Problem{{Code: CodeDirPermissions, Severity: Fail, Fix: "check that the PKI directory exists",
			Message: fmt.Sprintf("cannot check the PKI directory %s: %v", d.path, err)}}
	}
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		out = append(out, Problem{Code: CodeDirPermissions, Severity: Warn, Fix: "chmod 0700 " + d.path,
			Message: fmt.Sprintf("the PKI directory %s has mode %04o: other users of this machine can list it", d.path, mode)})
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() && os.Geteuid() != 0 {
		out = append(out, Problem{Code: CodeDirOwner, Severity: Warn, Fix: "chown -R " + userName(uint32(os.Geteuid())) + " " + d.path + " (as root), or use a directory of yours",
			Message: fmt.Sprintf("the PKI directory %s belongs to %s, not to you (%s): that user can read and replace the CA key", d.path, userName(st.Uid), userName(uint32(os.Geteuid())))})
	}
	return out
}

// Root returns the directory's absolute path.
func (d *Dir) Root() string { return d.path }

// Exists reports whether a file of the directory exists.
func (d *Dir) Exists(name string) bool {
	_, err := os.Lstat(d.Path(name))
	return err == nil
}

// HasCA reports whether the directory holds a CA certificate or key.
func (d *Dir) HasCA() bool { return d.Exists(FileCA) || d.Exists(FileCAKey) }

// PermissionProblems reports what DirProblems reports, and key files
// (*-key.pem) others can read.
func (d *Dir) PermissionProblems() []Problem {
	out := d.DirProblems()
	keys, err := filepath.Glob(filepath.Join(d.path, "*-key.pem"))
	if err != nil {
		return out
	}
	for _, k := range keys {
		out = append(out, checkKeyFile(k)...)
	}
	return out
}

// File is one file for WriteFiles: a name inside the directory, its
// contents and its mode (KeyMode for keys, CertMode for certificates).
type File struct {
	Name string
	Data []byte
	Mode fs.FileMode
}

// WriteFiles writes files of the directory atomically and together, as one
// commit (see commit.go): each through a temporary file with its final mode
// from the start, so a key is never readable by others, and a crash leaves
// either the old files or the new ones.
func (d *Dir) WriteFiles(files ...File) error {
	ws := make([]fileWrite, len(files))
	for i, f := range files {
		if f.Name == "" || filepath.Base(f.Name) != f.Name {
			return fmt.Errorf("write %q: not a plain file name inside %s", f.Name, d.path)
		}
		ws[i] = fileWrite{d.Path(f.Name), f.Data, f.Mode}
	}
	return d.commit(nil, ws...)
}

// DaemonFiles names the certificate and key files of a daemon: "" is the
// tutorial's daemon-cert.pem/daemon-key.pem, "node3" (a daemon of a plan
// with several) is daemon-node3-cert.pem/daemon-node3-key.pem.
func DaemonFiles(name string) (cert, key string) {
	if name == "" {
		return FileDaemonCert, FileDaemonKey
	}
	return "daemon-" + name + "-cert.pem", "daemon-" + name + "-key.pem"
}
