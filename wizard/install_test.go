package wizard

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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
	if _, err := installFiles(ctx, h, dir, 0o700, false, files); err != nil {
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
	if _, err := installFiles(ctx, h, dir, 0o700, false, []installFile{{name: "ca.pem", data: []byte("new\n"), mode: 0o444, backup: true}}); err != nil {
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
		if strings.HasPrefix(e.Name(), ".") && e.Name() != ManifestFile {
			temps++
		}
	}
	if backups != 1 || temps != 0 {
		t.Errorf("%d backups, %d temp files left: %v", backups, temps, entries)
	}
	// The manifest records every write; the last entry per name is the
	// file as it is now.
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	m := parseManifest(data)
	if _, ok := m.writtenBy("ca.pem", []byte("new\n")); !ok || strings.Count(string(data), " ca.pem\n") != 2 {
		t.Errorf("the manifest does not record the last ca.pem:\n%s", data)
	}
	if _, ok := m.writtenBy("ca.pem", []byte("ca\n")); ok {
		t.Errorf("the manifest takes the replaced ca.pem for the current one")
	}
	if _, ok := m.writtenBy("key.pem", key); !ok {
		t.Errorf("the manifest does not record key.pem:\n%s", data)
	}
	if _, ok, _ := snapshotDir(ctx, h, filepath.Join(dir, "nope"), []string{"a"}, false); ok {
		t.Error("a missing directory was reported as existing")
	}
}

// TestInstallFilesKeepsEveryBackup replaces a file twice within one second:
// the second backup must not overwrite the first, which holds the original.
func TestInstallFilesKeepsEveryBackup(t *testing.T) {
	h := remote.NewLocal(nil)
	defer h.Close()
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "daemon.json"), []byte("original\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, content := range []string{"second\n", "third\n"} {
		f := installFile{name: "daemon.json", data: []byte(content), mode: 0o644, backup: true}
		if _, err := installFiles(ctx, h, dir, 0o755, false, []installFile{f}); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	seen := map[string]bool{}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".dockertls-backup-") {
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			seen[string(b)] = true
		}
	}
	if !seen["original\n"] || !seen["second\n"] || len(seen) != 2 {
		t.Fatalf("backups hold %v; want the original and the second version", seen)
	}
}

// TestInstallScriptCleansUpOnSignal stops the install shell with SIGTERM
// while it writes a temp file (as a cancelled run does): the temp file, which
// may hold a private key, must be gone, although dash runs no EXIT trap when
// a signal ends it.
func TestInstallScriptCleansUpOnSignal(t *testing.T) {
	dir := t.TempDir()
	// The data step reads the rest of standard input, which the test keeps
	// open: the script sits after mktemp until the test closes it.
	script := strings.Replace(installScript, `printf '%s' "$data" | base64 -d >"$t"`, `touch "$t.started"; cat >"$t"`, 1)
	if script == installScript {
		t.Fatal("the install script no longer has the data step this test replaces")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", script, "sh", dir, "755", "", "20260101T000000Z")
	cmd.Stdin = r
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	fmt.Fprintf(w, "key.pem 400 0 QUJD\n-----BEGIN PRIVATE KEY-----\n")
	deadline := time.Now().Add(60 * time.Second) // a hang guard for a loaded machine
	for {
		if m, _ := filepath.Glob(filepath.Join(dir, ".key.pem.*.started")); len(m) > 0 {
			os.Remove(m[0])
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the script never reached its temp file")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	w.Close() // the session ends: cat returns, then the shell handles the signal
	cmd.Wait()
	if m, _ := filepath.Glob(filepath.Join(dir, ".key.pem.*")); len(m) > 0 {
		t.Fatalf("temp files left after SIGTERM: %v", m)
	}
}
