package remote

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
)

// defaultFileMode is used when WriteOptions.Mode is zero: private, because
// a forgotten mode must not expose a key.
const defaultFileMode fs.FileMode = 0o600

// defaultDirMode is used when MkdirAll gets no mode.
const defaultDirMode fs.FileMode = 0o755

// Stat implements Host. It asks GNU stat so that owner names and root-only
// paths work the same over SSH and here.
func (h *host) Stat(ctx context.Context, p string, sudo bool) (FileInfo, error) {
	res, err := h.runOK(ctx, sudo, i18n.M("remote.why.stat", "Path", p), cEnv("stat", "-L", "-c", "%s/%f/%U/%G/%Y/%u/%g", "--", p))
	if err != nil {
		return FileInfo{}, err
	}
	fi, err := parseStat(p, strings.TrimSpace(string(res.Stdout)))
	if err != nil {
		return FileInfo{}, i18n.Errorf("remote.failed_on", "Op", i18n.M("remote.why.stat", "Path", p), "Host", h.where, "Err", err)
	}
	return fi, nil
}

// parseStat reads one line of `stat -c %s/%f/%U/%G/%Y/%u/%g`. Owners
// without a name (stat says UNKNOWN) are given by number.
func parseStat(p, line string) (FileInfo, error) {
	f := strings.Split(line, "/")
	if len(f) != 7 {
		return FileInfo{}, i18n.Errorf("remote.stat_output", "Output", strconv.Quote(line))
	}
	size, err1 := strconv.ParseInt(f[0], 10, 64)
	raw, err2 := strconv.ParseUint(f[1], 16, 32)
	mtime, err3 := strconv.ParseInt(f[4], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return FileInfo{}, i18n.Errorf("remote.stat_output", "Output", strconv.Quote(line))
	}
	owner, group := f[2], f[3]
	if owner == "UNKNOWN" {
		owner = f[5]
	}
	if group == "UNKNOWN" {
		group = f[6]
	}
	return FileInfo{Path: p, Size: size, Mode: UnixMode(uint32(raw)), Owner: owner, Group: group, ModTime: time.Unix(mtime, 0)}, nil
}

// UnixMode converts a raw st_mode (what `stat -c %f` prints, in hex) to an
// fs.FileMode, for code that reads stat output from a remote shell.
func UnixMode(m uint32) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	switch m & 0o170000 {
	case 0o040000:
		mode |= fs.ModeDir
	case 0o120000:
		mode |= fs.ModeSymlink
	case 0o010000:
		mode |= fs.ModeNamedPipe
	case 0o140000:
		mode |= fs.ModeSocket
	case 0o020000:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case 0o060000:
		mode |= fs.ModeDevice
	}
	if m&0o4000 != 0 {
		mode |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		mode |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		mode |= fs.ModeSticky
	}
	return mode
}

// octal formats permission bits the way install/chmod read them.
func octal(m fs.FileMode) string {
	return fmt.Sprintf("%04o", uint32(m.Perm()))
}

// ownerArgs are install's -o/-g options for opts. An owner without a group
// gets the owner's primary group, as WriteOptions promises.
func (h *host) ownerArgs(ctx context.Context, opts WriteOptions) ([]string, error) {
	var args []string
	group := opts.Group
	if opts.Owner != "" {
		args = append(args, "-o", opts.Owner)
		if group == "" {
			res, err := h.runOK(ctx, false, i18n.M("remote.why.group", "Owner", opts.Owner), cEnv("id", "-gn", "--", opts.Owner))
			if err != nil {
				return nil, i18n.Errorf("remote.owner_unknown", "Err", err, "Owner", opts.Owner, "Host", h.where)
			}
			group = strings.TrimSpace(string(res.Stdout))
		}
	}
	if group != "" {
		args = append(args, "-g", group)
	}
	return args, nil
}

// MkdirAll implements Host with `install -d`, which creates the parents and
// gives the last directory its mode and owner even when it already exists.
func (h *host) MkdirAll(ctx context.Context, p string, opts WriteOptions) error {
	mode := opts.Mode
	if mode == 0 {
		mode = defaultDirMode
	}
	owner, err := h.ownerArgs(ctx, opts)
	if err != nil {
		return err
	}
	argv := append(append([]string{"install", "-d", "-m", octal(mode)}, owner...), "--", p)
	_, err = h.runOK(ctx, opts.Sudo, i18n.M("remote.why.mkdir", "Path", p), cEnv(argv...))
	return err
}

// Backup implements Host.
func (h *host) Backup(ctx context.Context, p string, sudo bool) (string, error) {
	if _, err := h.Stat(ctx, p, sudo); err != nil {
		return "", i18n.Errorf("remote.backup.failed", "Path", p, "Err", err)
	}
	base := p + ".dockertls-backup-" + time.Now().UTC().Format("20060102T150405Z")
	dest := base
	for i := 2; ; i++ {
		_, err := h.Stat(ctx, dest, sudo)
		if errorsIsNotExist(err) {
			break
		}
		if err != nil {
			return "", i18n.Errorf("remote.backup.failed", "Path", p, "Err", err)
		}
		if i > 100 {
			return "", i18n.Errorf("remote.backup.too_many", "Path", p, "Host", h.where, "Base", base)
		}
		dest = base + "-" + strconv.Itoa(i)
	}
	// -p keeps mode, owner (as root) and times, so a restore is exact.
	if _, err := h.runOK(ctx, sudo, i18n.M("remote.why.backup", "Path", p), cEnv("cp", "-p", "--", p, dest)); err != nil {
		return "", err
	}
	return dest, nil
}

// tempName is a fresh hidden name next to target, for the atomic rename.
func tempName(target string) (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return path.Join(path.Dir(target), "."+path.Base(target)+".dockertls-"+hex.EncodeToString(b)), nil
}

// WriteFile implements Host. Files for the connecting user are written to a
// temp file next to the target and renamed over it. Files for another owner
// or root are staged in a private directory, copied with `install` (which
// sets mode and owner) to a temp name in the target directory, then moved
// into place; the data never appears on a command line.
func (h *host) WriteFile(ctx context.Context, p string, data []byte, opts WriteOptions) error {
	why := i18n.M("remote.why.write", "Path", p)
	if h.isClosed() {
		return i18n.Errorf("remote.failed_on", "Op", why, "Host", h.where, "Err", ErrClosed)
	}
	if !path.IsAbs(p) {
		return i18n.Errorf("remote.write.relative", "Path", p, "Host", h.where)
	}
	mode := opts.Mode
	if mode == 0 {
		mode = defaultFileMode
	}
	if !opts.Sudo && opts.Owner == "" && opts.Group == "" {
		tmp, err := h.t.createTemp(ctx, path.Dir(p), "."+path.Base(p)+".dockertls-", data, mode)
		if err != nil {
			return i18n.Errorf("remote.failed_on", "Op", why, "Host", h.where, "Err", err)
		}
		if err := h.t.rename(ctx, tmp, p); err != nil {
			_ = h.t.remove(context.WithoutCancel(ctx), tmp)
			return i18n.Errorf("remote.write.replace", "Op", why, "Host", h.where, "Err", err)
		}
		return nil
	}
	return h.writeAsOwner(ctx, p, data, mode, opts, why)
}

// installScript copies the staged file with install (mode, owner, group)
// to a temp name in the target directory and renames it into place, in
// one root shell so sudo runs once per file. mv -T renames within one
// directory: atomic, and never into a directory carrying the target's
// name. The temp is removed on any failure, and when the command is
// stopped (a cancelled context sends SIGTERM; the trap runs once install
// has finished, so its temp file is gone too).
// Positional parameters: $1 temp name, $2 target, then install's options,
// "--" and the staged file.
const installScript = `tmp=$1 dest=$2; shift 2
trap 'rm -f -- "$tmp"; exit 143' HUP PIPE TERM
install "$@" "$tmp" || { rc=$?; rm -f -- "$tmp"; exit $rc; }
mv -f -T -- "$tmp" "$dest" || { rc=$?; rm -f -- "$tmp"; exit $rc; }`

// writeAsOwner is WriteFile for another owner or root; why names the write.
func (h *host) writeAsOwner(ctx context.Context, p string, data []byte, mode fs.FileMode, opts WriteOptions, why i18n.Message) error {
	owner, err := h.ownerArgs(ctx, opts)
	if err != nil {
		return err
	}
	if opts.Sudo {
		// Ask for root before uploading anything, so a missing sudo fails
		// early and cleanly.
		if err := h.becomeRoot(ctx, why); err != nil {
			return err
		}
	}
	stage, err := h.stagingDir(ctx)
	if err != nil {
		return i18n.Errorf("remote.write.stage_dir", "Op", why, "Host", h.where, "Err", err)
	}
	staged, err := h.t.stageFile(ctx, stage, "data-", data)
	if err != nil {
		return i18n.Errorf("remote.write.stage_data", "Op", why, "Host", h.where, "Err", err)
	}
	// Cleanup must run even when ctx was cancelled.
	defer func() { _ = h.t.remove(context.WithoutCancel(ctx), staged) }()
	tmp, err := tempName(p)
	if err != nil {
		return i18n.Errorf("remote.failed_on", "Op", why, "Host", h.where, "Err", err)
	}
	argv := append([]string{"sh", "-c", installScript, "sh", tmp, p, "-m", octal(mode)}, owner...)
	argv = append(argv, "--", staged)
	_, err = h.runOK(ctx, opts.Sudo, why, cEnv(argv...))
	return err
}

// stagingDir is this host's private (0700) directory for files on their
// way to another owner, made on first use and removed by Close.
func (h *host) stagingDir(ctx context.Context) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stage != "" {
		return h.stage, nil
	}
	dir, err := h.t.privateDir(ctx)
	if err != nil {
		return "", err
	}
	h.stage = dir
	return dir, nil
}
