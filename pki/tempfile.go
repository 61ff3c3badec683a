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

// writeFileAtomic writes one file atomically (see writeFilesAtomic).
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	return writeFilesAtomic(fileWrite{path, data, perm})
}

// writeFilesAtomic writes each file through a temporary file in the same
// directory and a rename, so a crash leaves either the old file or the new
// one, never half of one. All temporary files are complete and synced
// before the first rename, so a certificate and its key are replaced
// together (a failure while writing leaves both old files in place).
// A temporary file has its final mode from the start: a key is never
// readable by others, not even for a moment.
func writeFilesAtomic(files ...fileWrite) error {
	temps := make([]string, 0, len(files))
	defer func() {
		for _, t := range temps {
			_ = os.Remove(t) // only the ones not renamed remain
		}
	}()
	for _, f := range files {
		tmp, err := writeTemp(f)
		if err != nil {
			return err
		}
		temps = append(temps, tmp)
	}
	for i, f := range files {
		if err := os.Rename(temps[i], f.path); err != nil {
			return fmt.Errorf("write %s: replace the old file: %w", f.path, err)
		}
		temps[i] = ""
	}
	dirs := map[string]bool{}
	for _, f := range files {
		if d := filepath.Dir(f.path); !dirs[d] {
			dirs[d] = true
			syncDir(d)
		}
	}
	return nil
}

func writeTemp(f fileWrite) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(f.path), "."+filepath.Base(f.path)+".tmp-*")
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
