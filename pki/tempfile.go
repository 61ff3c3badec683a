package pki

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/dockertls/dockertls/internal/i18n"
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
		return "", i18n.Errorf("pki.write", "File", f.path, "Err", err)
	}
	name := tmp.Name()
	fail := func(what i18n.Message, err error) (string, error) {
		_ = tmp.Close()
		_ = os.Remove(name)
		return "", i18n.Errorf("pki.write_step", "File", f.path, "Step", what, "Err", err)
	}
	// CreateTemp makes 0600 files; set the final mode before any data.
	if err := tmp.Chmod(f.perm); err != nil {
		return fail(i18n.M("pki.write.set_mode", "Mode", fmt.Sprintf("%04o", f.perm)), err)
	}
	if _, err := tmp.Write(f.data); err != nil {
		return fail(i18n.M("pki.write.write"), err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(i18n.M("pki.write.sync"), err)
	}
	if err := tmp.Close(); err != nil {
		return fail(i18n.M("pki.write.close"), err)
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
