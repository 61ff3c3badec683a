package wizard

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/remote"
)

// TestInstallFilesLocal writes through the real shell on this machine: the
// directory is made with its mode, files get theirs, a replaced file is
// backed up, and snapshotDir reads back exactly what was written.
func TestInstallFilesLocal(t *testing.T) {
	h := remote.NewLocal(nil)
	defer h.Close()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "tls")
	key := []byte("-----BEGIN PRIVATE KEY-----\nsecret with spaces and 'quotes' $(x)\n-----END PRIVATE KEY-----\n")
	files := []installFile{{name: "ca.pem", data: []byte("ca\n"), mode: 0o444}, {name: "key.pem", data: key, mode: 0o400}}
	if err := installFiles(ctx, h, dir, 0o700, false, files); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("dir: %v %v", fi.Mode(), err)
	}
	snaps, ok, err := snapshotDir(ctx, h, dir, []string{"ca.pem", "key.pem", "missing.pem"}, false)
	if err != nil || !ok {
		t.Fatalf("snapshot: %v %v", ok, err)
	}
	if string(snaps["key.pem"].data) != string(key) || snaps["key.pem"].mode != 0o400 || snaps["ca.pem"].mode != 0o444 {
		t.Fatalf("read back %+v", snaps)
	}
	if _, found := snaps["missing.pem"]; found {
		t.Error("a missing file was reported")
	}
	if err := installFiles(ctx, h, dir, 0o700, false, []installFile{{name: "ca.pem", data: []byte("new\n"), mode: 0o444, backup: true}}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var backups, temps int
	for _, e := range entries {
		if strings.Contains(e.Name(), ".dockertls-backup-") {
			backups++
			if b, _ := os.ReadFile(filepath.Join(dir, e.Name())); string(b) != "ca\n" {
				t.Errorf("backup holds %q", b)
			}
		}
		if strings.HasPrefix(e.Name(), ".") {
			temps++
		}
	}
	if backups != 1 || temps != 0 {
		t.Errorf("%d backups, %d temp files left: %v", backups, temps, entries)
	}
	if _, ok, _ := snapshotDir(ctx, h, filepath.Join(dir, "nope"), []string{"a"}, false); ok {
		t.Error("a missing directory was reported as existing")
	}
}
