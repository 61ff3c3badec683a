package node

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// overlayWriter puts per-node files into an overlayfs upper directory
// before the overlay is mounted. Directories it creates copy the mode and
// owner of the same directory in the lower (cached) tree, because in the
// merged view an upper directory's attributes win.
type overlayWriter struct {
	lower, upper string
}

// write creates rel (a path inside the node, e.g. "etc/hostname") with
// the given content, mode and owner.
func (w overlayWriter) write(rel string, data []byte, mode os.FileMode, uid, gid int) error {
	if err := w.mkdirParents(filepath.Dir(rel)); err != nil {
		return err
	}
	p := filepath.Join(w.upper, rel)
	if err := os.WriteFile(p, data, mode); err != nil {
		return fmt.Errorf("writing the node's /%s: %w", rel, err)
	}
	// WriteFile's mode is filtered by the umask; set it exactly.
	return setModeOwner(p, rel, mode, uid, gid)
}

// mkdir creates the directory rel with an explicit mode and owner (e.g.
// ~/.ssh), its parents as in the lower tree.
func (w overlayWriter) mkdir(rel string, mode os.FileMode, uid, gid int) error {
	if err := w.mkdirParents(filepath.Dir(rel)); err != nil {
		return err
	}
	p := filepath.Join(w.upper, rel)
	if err := os.Mkdir(p, mode); err != nil && !os.IsExist(err) {
		return fmt.Errorf("creating the node's /%s: %w", rel, err)
	}
	return setModeOwner(p, rel, mode, uid, gid)
}

// mkdirParents creates every component of rel in upper that is missing,
// copying mode and owner from lower (root 0755 when lower lacks it).
func (w overlayWriter) mkdirParents(rel string) error {
	if rel == "." || rel == "/" || rel == "" {
		return nil
	}
	cur := ""
	for _, part := range strings.Split(filepath.Clean(rel), "/") {
		cur = filepath.Join(cur, part)
		up := filepath.Join(w.upper, cur)
		if _, err := os.Lstat(up); err == nil {
			continue
		}
		mode, uid, gid := os.FileMode(0o755), 0, 0
		if fi, err := os.Stat(filepath.Join(w.lower, cur)); err == nil {
			mode = fi.Mode().Perm()
			if st, ok := fi.Sys().(*syscall.Stat_t); ok {
				uid, gid = int(st.Uid), int(st.Gid)
			}
		}
		if err := os.Mkdir(up, mode); err != nil {
			return fmt.Errorf("creating the node's /%s: %w", cur, err)
		}
		if err := setModeOwner(up, cur, mode, uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// setModeOwner sets p's mode exactly (Mkdir and WriteFile filter it by the
// umask) and its owner; rel names it in errors as the node sees it.
func setModeOwner(p, rel string, mode os.FileMode, uid, gid int) error {
	if err := os.Chmod(p, mode); err != nil {
		return fmt.Errorf("setting the mode of the node's /%s: %w", rel, err)
	}
	if err := os.Lchown(p, uid, gid); err != nil {
		return fmt.Errorf("setting the owner of the node's /%s: %w", rel, err)
	}
	return nil
}

// lowerOwner returns the mode and owner of a file in the lower tree.
func (w overlayWriter) lowerOwner(rel string) (os.FileMode, int, int, error) {
	fi, err := os.Stat(filepath.Join(w.lower, rel))
	if err != nil {
		return 0, 0, 0, fmt.Errorf("reading the cached tree's /%s: %w", rel, err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0, fmt.Errorf("no owner information for the cached tree's /%s", rel)
	}
	return fi.Mode().Perm(), int(st.Uid), int(st.Gid), nil
}

// account is one line of the tree's /etc/passwd.
type account struct {
	uid, gid int
	home     string
}

// lookupAccount reads a user from the lower tree's /etc/passwd.
func (w overlayWriter) lookupAccount(name string) (account, error) {
	f, err := os.Open(filepath.Join(w.lower, "etc/passwd"))
	if err != nil {
		return account{}, fmt.Errorf("reading the cached tree's /etc/passwd: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) < 7 || f[0] != name {
			continue
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			return account{}, fmt.Errorf("malformed /etc/passwd entry for %s in the cached tree", name)
		}
		return account{uid: uid, gid: gid, home: strings.TrimPrefix(f[5], "/")}, nil
	}
	return account{}, fmt.Errorf("user %s is missing from the cached tree's /etc/passwd: delete %s to rebuild it", name, w.lower)
}

// setShadowHash writes the node's /etc/shadow with user's password hash
// replaced.
func (w overlayWriter) setShadowHash(user, hash string) error {
	b, err := os.ReadFile(filepath.Join(w.lower, "etc/shadow"))
	if err != nil {
		return fmt.Errorf("reading the cached tree's /etc/shadow: %w", err)
	}
	lines := strings.Split(string(b), "\n")
	found := false
	for i, l := range lines {
		f := strings.Split(l, ":")
		if len(f) > 2 && f[0] == user {
			f[1] = hash
			lines[i] = strings.Join(f, ":")
			found = true
		}
	}
	if !found {
		return fmt.Errorf("user %s is missing from the cached tree's /etc/shadow", user)
	}
	mode, uid, gid, err := w.lowerOwner("etc/shadow")
	if err != nil {
		return err
	}
	return w.write("etc/shadow", []byte(strings.Join(lines, "\n")), mode, uid, gid)
}
