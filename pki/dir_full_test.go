package pki

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
)

// fullDir is a PKI directory on a tiny tmpfs that is full: renames still
// work (they need no space), writing a new file's data does not.
func fullDir(t *testing.T) (*Dir, func()) {
	t.Helper()
	testlab.RequireRoot(t)
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mnt).CombinedOutput(); err != nil {
		testlab.Unavailable(t, "a tmpfs mount", "mount -t tmpfs failed: "+string(out))
	}
	t.Cleanup(func() { _ = exec.Command("umount", mnt).Run() })
	d, err := OpenDir(mnt)
	if err != nil {
		t.Fatal(err)
	}
	fill := func() {
		f, err := os.Create(filepath.Join(mnt, "filler"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		chunk := make([]byte, 4096)
		for {
			if _, err := f.Write(chunk); err != nil {
				return // ENOSPC: full
			}
		}
	}
	return d, fill
}

// Replacing a CA (force) on a full disk: the new files cannot be written,
// and the old CA is back under its own names, not only as *.replaced-*.
func TestSaveCAFailureRestoresTheOldCA(t *testing.T) {
	d, fill := fullDir(t)
	old := testCA(t)
	if err := d.SaveCA(old, "", false); err != nil {
		t.Fatal(err)
	}
	oldCert, _ := os.ReadFile(d.Path(FileCA))
	oldKey, _ := os.ReadFile(d.Path(FileCAKey))
	fill()
	err := d.SaveCA(testCA(t), "", true)
	if err == nil {
		t.Fatal("SaveCA on a full disk succeeded")
	}
	if got, _ := os.ReadFile(d.Path(FileCA)); !bytes.Equal(got, oldCert) {
		t.Errorf("after the failed replacement ca.pem is %q, want the old CA (%v)", got, err)
	}
	if got, _ := os.ReadFile(d.Path(FileCAKey)); !bytes.Equal(got, oldKey) {
		t.Errorf("after the failed replacement ca-key.pem is not the old key (%v)", err)
	}
	if kept, _ := filepath.Glob(d.Path("*.replaced-*")); len(kept) != 0 {
		t.Errorf("set-aside files remain after the restore: %v", kept)
	}
	if _, err := d.LoadCA(nil); err != nil {
		t.Errorf("the old CA does not load after the failed replacement: %v", err)
	}
}

// The same for ImportCA with force.
func TestImportCAFailureRestoresTheOldCA(t *testing.T) {
	d, fill := fullDir(t)
	if err := d.SaveCA(testCA(t), "", false); err != nil {
		t.Fatal(err)
	}
	oldCert, _ := os.ReadFile(d.Path(FileCA))
	src := t.TempDir()
	other := testCA(t)
	keyPEM, err := EncodeKey(other.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "ca.pem"), EncodeCert(other.Cert), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "ca-key.pem"), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	fill()
	_, err = d.ImportCA(filepath.Join(src, "ca.pem"), filepath.Join(src, "ca-key.pem"), nil, true)
	if err == nil {
		t.Fatal("ImportCA on a full disk succeeded")
	}
	if got, _ := os.ReadFile(d.Path(FileCA)); !bytes.Equal(got, oldCert) {
		t.Errorf("after the failed import ca.pem is not the old CA (%v)", err)
	}
	if _, err := d.LoadCA(nil); err != nil && !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("the old CA does not load after the failed import: %v", err)
	}
}
