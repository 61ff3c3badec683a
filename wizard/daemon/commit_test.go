package daemon

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/remote"
)

// TestCommitThroughShell runs the commit script here as root: an existing
// file is backed up (mode kept) and replaced, a file in a missing directory
// is created with it, both root-owned with the planned mode; a file edited
// since Inspect stops everything before anything is written.
func TestCommitThroughShell(t *testing.T) {
	testlab.RequireRoot(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "daemon.json")
	old := []byte("{\"debug\": true}\n")
	if err := os.WriteFile(conf, old, 0o640); err != nil {
		t.Fatal(err)
	}
	dropIn := filepath.Join(dir, "docker.service.d", "dockertls conf") // a space in the name
	c := &Change{Host: "this machine", Files: []FileChange{
		{Path: conf, Before: FileState{Path: conf, Exists: true, Data: old, Mode: 0o640}, After: []byte("{\"debug\": true, \"tlsverify\": true}\n"), Mode: 0o644},
		{Path: dropIn, Before: FileState{Path: dropIn}, After: []byte("[Service]\n"), Mode: 0o644},
	}}
	h := remote.NewLocal(nil)
	ctx := context.Background()

	edited := *c
	edited.Files = append([]FileChange{}, c.Files...)
	edited.Files[0].Before.Data = []byte("{}\n")
	res, err := commit(ctx, h, &edited)
	if err != nil || res.changed != conf || len(res.written) != 0 || len(res.backups) != 0 {
		t.Fatalf("an edited file must stop the commit: %+v, %v", res, err)
	}
	if _, err := os.Stat(dropIn); !os.IsNotExist(err) {
		t.Fatalf("something was written although a file changed: %v", err)
	}

	res, err = commit(ctx, h, c)
	if err != nil || res.err != nil || res.changed != "" || len(res.written) != 2 {
		t.Fatalf("commit: %+v, %v", res, err)
	}
	b := res.backups[conf]
	if !strings.HasPrefix(b, conf+".dockertls-backup-") {
		t.Fatalf("backup of daemon.json: %q (%v)", b, res.backups)
	}
	if got, _ := os.ReadFile(b); string(got) != string(old) {
		t.Errorf("backup holds %q", got)
	}
	if fi, _ := os.Stat(b); fi == nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("backup mode: %v", fi)
	}
	for _, f := range c.Files {
		got, err := os.ReadFile(f.Path)
		if err != nil || string(got) != string(f.After) {
			t.Errorf("%s holds %q (%v)", f.Path, got, err)
		}
		if fi, _ := os.Stat(f.Path); fi == nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s mode: %v", f.Path, fi)
		}
	}
	if fi, _ := os.Stat(filepath.Dir(dropIn)); fi == nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("created directory mode: %v", fi)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".*dockertls-*")); len(tmp) != 0 {
		t.Errorf("temp files left: %v", tmp)
	}
	// A second backup the same second gets its own name.
	c.Files[0].Before.Data = c.Files[0].After
	c.Files = c.Files[:1]
	res, err = commit(ctx, h, c)
	if err != nil || res.err != nil || res.backups[conf] == b || res.backups[conf] == "" {
		t.Errorf("second commit: %+v, %v (first backup %s)", res, err, b)
	}
}
