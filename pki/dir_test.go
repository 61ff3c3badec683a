package pki

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenDirCreatesPrivateDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "pki")
	d, err := OpenDir(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("mode %v, %v; want 0700", info.Mode().Perm(), err)
	}
	if d.Path(FileCA) != filepath.Join(path, "ca.pem") || d.Root() != path {
		t.Fatalf("Path = %s, Root = %s", d.Path(FileCA), d.Root())
	}
	if d.HasCA() {
		t.Fatal("empty dir has a CA")
	}
	if ps := d.PermissionProblems(); len(ps) != 0 {
		t.Fatalf("fresh dir: %v", ps)
	}
}

func TestOpenDirLeavesExistingModeButReportsIt(t *testing.T) {
	path := t.TempDir()
	if err := os.Chmod(path, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := OpenDir(path)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o755 {
		t.Fatalf("OpenDir changed the user's dir to %v", info.Mode().Perm())
	}
	if err := os.WriteFile(d.Path("old-key.pem"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := codes(d.PermissionProblems()); strings.Join(got, ",") != "dir-permissions,key-permissions" {
		t.Fatalf("problems %v", got)
	}
}

func TestOpenDirErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(file); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("file: %v", err)
	}
	if _, err := OpenDir(" "); err == nil {
		t.Error("blank path accepted")
	}
}

func TestClientFiles(t *testing.T) {
	for name, want := range map[string][2]string{
		"":      {"client-cert.pem", "client-key.pem"},
		"alice": {"client-alice-cert.pem", "client-alice-key.pem"},
	} {
		c, k := ClientFiles(name)
		if c != want[0] || k != want[1] {
			t.Errorf("ClientFiles(%q) = %s %s", name, c, k)
		}
	}
}

func TestSaveLoadEncryptedCA(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ca := testCA(t)
	if err := d.SaveCA(ca, "s3cret", false); err != nil {
		t.Fatal(err)
	}
	for name, mode := range map[string]os.FileMode{FileCA: 0o444, FileCAKey: 0o400} {
		info, err := os.Stat(d.Path(name))
		if err != nil || info.Mode().Perm() != mode {
			t.Errorf("%s: mode %v %v; want %v", name, info.Mode().Perm(), err, mode)
		}
	}
	data, _ := os.ReadFile(d.Path(FileCAKey))
	if !strings.Contains(string(data), "ENCRYPTED PRIVATE KEY") {
		t.Fatal("CA key not encrypted")
	}

	_, err = d.LoadCA(pass("wrong"))
	if !errors.Is(err, ErrWrongPassphrase) || err.Error() != "the passphrase for ca-key.pem is wrong" {
		t.Fatalf("wrong passphrase: %q", err)
	}
	_, err = d.LoadCA(nil)
	if !errors.Is(err, ErrPassphraseRequired) || !strings.Contains(err.Error(), "ca-key.pem is encrypted") {
		t.Fatalf("no passphrase: %q", err)
	}
	asked := 0
	got, err := d.LoadCA(func() (string, error) { asked++; return "s3cret", nil })
	if err != nil || asked != 1 || !got.Cert.Equal(ca.Cert) || !publicKeysEqual(got.Key.Public(), ca.Key.Public()) {
		t.Fatalf("LoadCA: %v asked %d", err, asked)
	}
	// Issuing from the loaded CA works and the result chains to the saved ca.pem.
	leaf := mustClient(t, got, testKey(t), "alice")
	if err := leaf.CheckSignatureFrom(ca.Cert); err != nil {
		t.Fatal(err)
	}
}

func TestLoadCAUnencryptedNeverAsks(t *testing.T) {
	d, _ := OpenDir(t.TempDir())
	if err := d.SaveCA(testCA(t), "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := d.LoadCA(noPassphrase); err != nil {
		t.Fatal(err)
	}
}

func TestLoadCAErrors(t *testing.T) {
	d, _ := OpenDir(t.TempDir())
	if _, err := d.LoadCA(nil); err == nil || !strings.Contains(err.Error(), "ca.pem") {
		t.Errorf("missing CA: %v", err)
	}
	ca, other := testCA(t), testCA(t)
	if err := d.SaveCA(&CA{Cert: ca.Cert, Key: other.Key}, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := d.LoadCA(nil); err == nil || !strings.Contains(err.Error(), "does not belong") {
		t.Errorf("mismatched key: %v", err)
	}
	leafKey := testKey(t)
	d2, _ := OpenDir(t.TempDir())
	if err := d2.SaveCA(&CA{Cert: mustDaemon(t, ca, leafKey, "node3"), Key: leafKey}, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := d2.LoadCA(nil); err == nil || !strings.Contains(err.Error(), "not a CA") {
		t.Errorf("leaf as CA: %v", err)
	}
}

func TestSaveCAForceKeepsTheOldOne(t *testing.T) {
	d, _ := OpenDir(t.TempDir())
	old, ca := testCA(t), testCA(t)
	if err := d.SaveCA(old, "", false); err != nil {
		t.Fatal(err)
	}
	key := testKey(t)
	if err := d.SaveLeaf(FileClientCert, FileClientKey, mustClient(t, old, key, "c"), key); err != nil {
		t.Fatal(err)
	}
	if err := d.SaveCA(ca, "", false); !errors.Is(err, ErrCAExists) || !strings.Contains(err.Error(), "--replace-ca") ||
		!strings.Contains(err.Error(), "rotate-ca") || strings.Contains(err.Error(), "force") {
		t.Fatalf("no replace: %v, want the way out (--replace-ca, rotate-ca) and no option that does not exist", err)
	}
	if err := d.SaveCA(ca, "", true); err != nil {
		t.Fatal(err)
	}
	got, err := d.LoadCA(nil)
	if err != nil || !got.Cert.Equal(ca.Cert) {
		t.Fatalf("after force: %v", err)
	}
	kept, _ := filepath.Glob(d.Path("*.replaced-*"))
	if len(kept) != 3 {
		t.Fatalf("kept %v; want ca.pem, ca-key.pem and ca.srl", kept)
	}
	// Replacing again at once keeps both earlier CAs.
	if err := d.SaveCA(testCA(t), "", true); err != nil {
		t.Fatal(err)
	}
	if kept, _ := filepath.Glob(d.Path("*.replaced-*")); len(kept) != 5 {
		t.Fatalf("kept %v; want the files of both replaced CAs", kept)
	}
}

func TestSaveLeaf(t *testing.T) {
	d, _ := OpenDir(filepath.Join(t.TempDir(), "pki"))
	ca := testCA(t)
	key := testKey(t)
	cert := mustDaemon(t, ca, key, "node3")
	if err := d.SaveLeaf(FileDaemonCert, FileDaemonKey, cert, testKey(t)); err == nil {
		t.Fatal("mismatched key saved")
	}
	if err := d.SaveLeaf(FileDaemonCert, FileDaemonKey, cert, key); err != nil {
		t.Fatal(err)
	}
	// Saving again replaces the read-only files (rename needs no write bit).
	if err := d.SaveLeaf(FileDaemonCert, FileDaemonKey, cert, key); err != nil {
		t.Fatal(err)
	}
	srl, err := os.ReadFile(d.Path(FileCASerial))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ToUpper(cert.SerialNumber.Text(16))
	if len(want)%2 == 1 {
		want = "0" + want
	}
	if string(srl) != want+"\n" {
		t.Fatalf("ca.srl = %q; want %q", srl, want+"\n")
	}
	gotCert, err := d.LoadCert(FileDaemonCert)
	if err != nil || !gotCert.Equal(cert) {
		t.Fatal(err)
	}
	gotKey, err := d.LoadKey(FileDaemonKey)
	if err != nil || !publicKeysEqual(gotKey.Public(), key.Public()) {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(d.Root())
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	if ps := d.PermissionProblems(); len(ps) != 0 {
		t.Errorf("problems after SaveLeaf: %v", ps)
	}
}

func TestLoadKeyRefusesEncrypted(t *testing.T) {
	d, _ := OpenDir(t.TempDir())
	data, err := encryptKeyPEM(testKey(t), "pw", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.Path(FileClientKey), data, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := d.LoadKey(FileClientKey); !errors.Is(err, ErrPassphraseRequired) || !strings.Contains(err.Error(), "Docker needs unencrypted") {
		t.Fatalf("encrypted client key: %v", err)
	}
	if _, err := d.LoadKey("missing.pem"); err == nil {
		t.Fatal("missing key read")
	}
}

// A commit whose files cannot all be written (here: the directory is gone)
// fails with the path in the message and creates nothing.
func TestCommitFails(t *testing.T) {
	d, _ := OpenDir(t.TempDir())
	gone := &Dir{path: filepath.Join(d.Root(), "gone")}
	err := gone.commit(nil, fileWrite{gone.Path("x.pem"), []byte("x"), 0o400})
	if err == nil || !strings.Contains(err.Error(), "x.pem") {
		t.Fatalf("err = %v", err)
	}
	if _, statErr := os.Stat(gone.Root()); !errors.Is(statErr, os.ErrNotExist) {
		t.Fatalf("something was created: %v", statErr)
	}
}

// A pair is written as a pair: when the second file cannot be written, the
// first keeps its old content and no temporary file is left.
func TestCommitAllOrNothing(t *testing.T) {
	d, _ := OpenDir(t.TempDir())
	first := d.Path("daemon-key.pem")
	if err := os.WriteFile(first, []byte("old"), 0o400); err != nil {
		t.Fatal(err)
	}
	err := d.commit(nil,
		fileWrite{first, []byte("new"), 0o400},
		fileWrite{filepath.Join(d.Root(), "missing", "daemon-cert.pem"), []byte("new"), 0o444},
	)
	if err == nil || !strings.Contains(err.Error(), "daemon-cert.pem") {
		t.Fatalf("err = %v", err)
	}
	if got, _ := os.ReadFile(first); string(got) != "old" {
		t.Fatalf("first file changed to %q", got)
	}
	entries, _ := os.ReadDir(d.Root())
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestImportCA(t *testing.T) {
	src, _ := OpenDir(filepath.Join(t.TempDir(), "elsewhere"))
	ca := testCA(t)
	if err := src.SaveCA(ca, "pw", false); err != nil {
		t.Fatal(err)
	}
	d, _ := OpenDir(filepath.Join(t.TempDir(), "pki"))
	if _, err := d.ImportCA(src.Path(FileCA), src.Path(FileCAKey), pass("nope"), false); err == nil || err.Error() != "the passphrase for ca-key.pem is wrong" {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if d.HasCA() {
		t.Fatal("a failed import left files")
	}
	got, err := d.ImportCA(src.Path(FileCA), src.Path(FileCAKey), pass("pw"), false)
	if err != nil || !got.Cert.Equal(ca.Cert) {
		t.Fatalf("import: %v", err)
	}
	for _, name := range []string{FileCA, FileCAKey} {
		a, _ := os.ReadFile(src.Path(name))
		b, _ := os.ReadFile(d.Path(name))
		if string(a) != string(b) {
			t.Errorf("%s not copied byte for byte", name)
		}
	}
	if info, _ := os.Stat(d.Path(FileCAKey)); info.Mode().Perm() != KeyMode {
		t.Errorf("imported key mode %v", info.Mode().Perm())
	}
	// Importing the same CA again is a no-op; another CA needs force.
	if _, err := d.ImportCA(src.Path(FileCA), src.Path(FileCAKey), pass("pw"), false); err != nil {
		t.Fatalf("re-import: %v", err)
	}
	other, _ := OpenDir(filepath.Join(t.TempDir(), "other"))
	if err := other.SaveCA(testCA(t), "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ImportCA(other.Path(FileCA), other.Path(FileCAKey), nil, false); !errors.Is(err, ErrCAExists) {
		t.Fatalf("other CA without force: %v", err)
	}
	if _, err := d.ImportCA(other.Path(FileCA), other.Path(FileCAKey), nil, true); err != nil {
		t.Fatalf("other CA with force: %v", err)
	}
	if kept, _ := filepath.Glob(d.Path("*.replaced-*")); len(kept) != 2 {
		t.Fatalf("kept %v", kept)
	}
	// A key that is not the certificate's is refused, naming both files.
	if _, err := d.ImportCA(src.Path(FileCA), other.Path(FileCAKey), nil, true); err == nil || !strings.Contains(err.Error(), "does not belong to ca.pem") {
		t.Fatalf("mismatched pair: %v", err)
	}
	if _, err := d.ImportCA(filepath.Join(t.TempDir(), "none.pem"), src.Path(FileCAKey), nil, true); err == nil {
		t.Fatal("missing file imported")
	}
}

func TestLoadMissingFilesSayWhatToDo(t *testing.T) {
	d, _ := OpenDir(filepath.Join(t.TempDir(), "pki"))
	if _, err := d.LoadCA(nil); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "create the CA first") {
		t.Fatalf("LoadCA: %v", err)
	}
	if err := os.WriteFile(d.Path(FileCA), EncodeCert(testCA(t).Cert), 0o444); err != nil {
		t.Fatal(err)
	}
	if _, err := d.LoadCA(nil); !strings.Contains(err.Error(), "put the CA's key next to ca.pem") {
		t.Fatalf("LoadCA without key: %v", err)
	}
	if _, err := d.LoadCert(FileDaemonCert); !strings.Contains(err.Error(), "issue it first") {
		t.Fatalf("LoadCert: %v", err)
	}
}
