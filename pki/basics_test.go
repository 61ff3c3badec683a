package pki

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestIssueAndSaveRoundTrip(t *testing.T) {
	ca := testCA(t)
	dkey, ckey := testKey(t), testKey(t)
	daemon := mustDaemon(t, ca, dkey, "node3", "10.0.0.12")
	client := mustClient(t, ca, ckey, "client")

	dir, err := OpenDir(filepath.Join(t.TempDir(), "pki"))
	if err != nil {
		t.Fatal(err)
	}
	if err := dir.SaveCA(ca, "", false); err != nil {
		t.Fatal(err)
	}
	if err := dir.SaveLeaf(FileDaemonCert, FileDaemonKey, daemon, dkey); err != nil {
		t.Fatal(err)
	}
	if err := dir.SaveLeaf(FileClientCert, FileClientKey, client, ckey); err != nil {
		t.Fatal(err)
	}
	loaded, err := dir.LoadCA(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.Cert.Equal(ca.Cert) {
		t.Fatal("loaded CA differs")
	}
	pool := x509.NewCertPool()
	pool.AddCert(loaded.Cert)
	got, err := dir.LoadCert(FileDaemonCert)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := got.Verify(x509.VerifyOptions{Roots: pool, DNSName: "node3", KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
		t.Fatalf("daemon cert does not verify: %v", err)
	}
	if err := dir.SaveCA(ca, "", false); !errors.Is(err, ErrCAExists) {
		t.Fatalf("SaveCA over an existing CA: got %v, want ErrCAExists", err)
	}
	if _, err := dir.LoadKey(FileClientKey); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(dir.Path(FileClientKey))
	if err != nil || info.Mode().Perm() != 0o400 {
		t.Fatalf("client key mode = %v, %v; want 0400", info.Mode().Perm(), err)
	}
}
