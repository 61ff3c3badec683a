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

	"github.com/dockertls/dockertls/internal/i18n"
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
		return nil, i18n.Errorf("pki.dir.none")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, i18n.Errorf("pki.dir.error", "Dir", path, "Err", err)
	}
	info, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(abs, DirMode); err != nil {
			return nil, i18n.Errorf("pki.dir.create", "Dir", abs, "Err", err)
		}
		// MkdirAll is subject to the umask; make sure the last one is 0700.
		if err := os.Chmod(abs, DirMode); err != nil {
			return nil, i18n.Errorf("pki.dir.create", "Dir", abs, "Err", err)
		}
	case err != nil:
		return nil, i18n.Errorf("pki.dir.error", "Dir", abs, "Err", err)
	case !info.IsDir():
		return nil, i18n.Errorf("pki.dir.is_file", "Dir", abs)
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
	return i18n.Errorf("pki.dir.error", "Dir", d.path, "Err", err)
}

// PermissionError is a PKI directory this user may not use.
type PermissionError struct {
	Dir string
}

func (e *PermissionError) Error() string { return e.message().String() }

// Localize says the error in l's language.
func (e *PermissionError) Localize(l *i18n.Localizer) string { return l.Msg(e.message()) }

func (e *PermissionError) message() i18n.Message {
	me := userName(uint32(os.Geteuid()))
	info, err := os.Stat(e.Dir)
	if err != nil {
		return i18n.M("pki.dir.permission_unknown", "Dir", e.Dir, "User", me, "Owner", i18n.M("pki.dir.another_user"))
	}
	var owner any = i18n.M("pki.dir.another_user")
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		owner = userName(st.Uid)
	}
	return i18n.M("pki.dir.permission", "Dir", e.Dir, "Owner", owner, "Mode", fmt.Sprintf("%04o", info.Mode().Perm()), "User", me)
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
		return []Problem{problem(CodeDirPermissions, Fail, i18n.M("pki.dir.cannot_check_fix"),
			i18n.M("pki.dir.cannot_check", "Dir", d.path, "Err", err))}
	}
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		out = append(out, problem(CodeDirPermissions, Warn, i18n.M("pki.dir.mode_fix", "Dir", d.path),
			i18n.M("pki.dir.mode", "Dir", d.path, "Mode", fmt.Sprintf("%04o", mode))))
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() && os.Geteuid() != 0 {
		me := userName(uint32(os.Geteuid()))
		out = append(out, problem(CodeDirOwner, Warn, i18n.M("pki.dir.owner_fix", "User", me, "Dir", d.path),
			i18n.M("pki.dir.owner", "Dir", d.path, "Owner", userName(st.Uid), "User", me)))
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
			return i18n.Errorf("pki.dir.bad_name", "Name", strconv.Quote(f.Name), "Dir", d.path)
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
