package node

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOverlayWriterCopiesParentModesFromTheLowerTree(t *testing.T) {
	lower, upper := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(lower, "etc/ssh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(lower, "etc/ssh"), 0o751); err != nil {
		t.Fatal(err)
	}
	w := overlayWriter{lower: lower, upper: upper}
	uid, gid := os.Getuid(), os.Getgid()
	if err := w.write("etc/ssh/ssh_host_ed25519_key", []byte("k"), 0o600, uid, gid); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(upper, "etc/ssh"))
	if err != nil || fi.Mode().Perm() != 0o751 {
		t.Errorf("upper etc/ssh: %v, mode %v; want the lower tree's 0751", err, fi.Mode().Perm())
	}
	fi, err = os.Stat(filepath.Join(upper, "etc/ssh/ssh_host_ed25519_key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("host key: %v, mode %v; want 0600 exactly", err, fi.Mode().Perm())
	}
	// A directory the lower tree lacks gets 0755.
	if err := w.write("new/dir/file", nil, 0o644, uid, gid); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(upper, "new/dir")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("new/dir: %v, mode %v; want 0755", err, fi.Mode().Perm())
	}
}

func TestOverlayWriterSetsOnePasswordHash(t *testing.T) {
	lower, upper := t.TempDir(), t.TempDir()
	shadow := "root:*:19000:0:99999:7:::\nadmin:!:19000:0:99999:7:::\nubuntu:!:19000:0:99999:7:::\n"
	if err := os.MkdirAll(filepath.Join(lower, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lower, "etc/shadow"), []byte(shadow), 0o640); err != nil {
		t.Fatal(err)
	}
	w := overlayWriter{lower: lower, upper: upper}
	if err := w.setShadowHash("admin", "$6$salt$hash"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(upper, "etc/shadow"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(shadow, "admin:!:", "admin:$6$salt$hash:", 1)
	if string(got) != want {
		t.Errorf("shadow:\n%s\nwant:\n%s", got, want)
	}
	if err := w.setShadowHash("nobody-here", "x"); err == nil {
		t.Errorf("setting the hash of a missing user succeeded")
	}
}
