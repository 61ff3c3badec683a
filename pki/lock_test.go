package pki

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// A second Lock on a locked directory gives up after its wait and names
// the holder (pid and command line); once released, the lock is free.
func TestLockNamesTheHolder(t *testing.T) {
	d, _ := OpenDir(t.TempDir())
	unlock, err := d.Lock(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Lock(context.Background(), 0)
	var locked *LockedError
	if !errors.As(err, &locked) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d: ", os.Getpid())) || !strings.Contains(err.Error(), os.Args[0]) {
		t.Fatalf("second Lock: %v, want a LockedError naming pid %d and %s", err, os.Getpid(), os.Args[0])
	}
	unlock()
	unlock, err = d.Lock(context.Background(), 0)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	unlock()
}

// What a killed commit leaves, written by hand: ca-key.pem renamed already,
// ca.pem still a temp file, the journal in place, and a stray temp file of
// a commit that never reached its journal. Locking completes the first and
// removes the second.
func TestLockRecoversAKilledCommit(t *testing.T) {
	d, _ := OpenDir(t.TempDir())
	ca := testCA(t)
	keyPEM, err := EncodeKey(ca.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.Path(FileCAKey), keyPEM, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.Path(".ca.pem.tmp-123"), EncodeCert(ca.Cert), 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.Path(".daemon-key.pem.tmp-456"), []byte("a private key"), 0o400); err != nil {
		t.Fatal(err)
	}
	journal := `[{"op":"rename","from":".ca-key.pem.tmp-999","to":"ca-key.pem"},{"op":"rename","from":".ca.pem.tmp-123","to":"ca.pem"}]`
	if err := os.WriteFile(d.Path(journalFile), []byte(journal), 0o600); err != nil {
		t.Fatal(err)
	}
	unlock, err := d.Lock(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	got, err := d.LoadCA(nil)
	if err != nil || !got.Cert.Equal(ca.Cert) {
		t.Fatalf("after recovery: %v", err)
	}
	entries, _ := os.ReadDir(d.Root())
	for _, e := range entries {
		if isTempName(e.Name()) || e.Name() == journalFile {
			t.Errorf("left after recovery: %s", e.Name())
		}
	}
}

// A journal that names anything outside the directory is not replayed.
func TestRecoverRefusesAForeignJournal(t *testing.T) {
	d, _ := OpenDir(t.TempDir())
	for _, j := range []string{
		`[{"op":"rename","from":"../.x.tmp-1","to":"ca.pem"}]`,
		`[{"op":"rename","from":"ca-key.pem","to":"/etc/passwd"}]`,
		`[{"op":"exec","from":".x.tmp-1","to":"ca.pem"}]`,
		`not json`,
	} {
		if err := os.WriteFile(d.Path(journalFile), []byte(j), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := d.Recover(); err == nil || !strings.Contains(err.Error(), "not a journal dockertls wrote") {
			t.Errorf("journal %s: %v", j, err)
		}
	}
}
