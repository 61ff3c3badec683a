package pki

import (
	"fmt"
	"os"
	"path/filepath"
)

// fileWrite is one file of a group written together.
type fileWrite struct {
	path string
	data []byte
	perm os.FileMode
}

// writeTemp writes f's data to a new temp file next to f.path (named
// .NAME.tmp-*, which Recover knows), with f's mode from the start (a key is
// never readable by others, not even for a moment), synced to disk.
func writeTemp(f fileWrite) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(f.path), "."+filepath.Base(f.path)+tempMarker+"*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", f.path, err)
	}
	name := tmp.Name()
	fail := func(what string, err error) (string, error) {
		_ = tmp.Close()
		_ = os.Remove(name)
		return "", fmt.Errorf("write %s: %s: %w", f.path, what, err)
	}
	// CreateTemp makes 0600 files; set the final mode before any data.
	if err := tmp.Chmod(f.perm); err != nil {
		return fail(fmt.Sprintf("set mode %04o", f.perm), err)
	}
	if _, err := tmp.Write(f.data); err != nil {
		return fail("write", err)
	}
	if err := tmp.Sync(); err != nil {
		return fail("flush to disk", err)
	}
	if err := tmp.Close(); err != nil {
		return fail("close", err)
	}
	return name, nil
}

// syncDir makes renames durable. Failure only weakens crash safety, so it
// is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
