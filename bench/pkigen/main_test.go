package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/pki"
)

// pkigen makes the files the bench compares, and they are a working PKI.
// (ECDSA keeps the test fast; the bench itself uses RSA-4096.)
func TestPkigenMakesTheTutorialFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pki")
	if err := run([]string{"-dir", dir, "-key", "ecdsa-p256"}, "pw"); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := "ca-key.pem ca.pem ca.srl client-cert.pem client-key.pem daemon-cert.pem daemon-key.pem"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("files %q; want %q", got, want)
	}
	d, err := pki.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := d.LoadCA(func() (string, error) { return "pw", nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file  string
		usage pki.Usage
		key   string
	}{{pki.FileDaemonCert, pki.UsageServer, pki.FileDaemonKey}, {pki.FileClientCert, pki.UsageClient, pki.FileClientKey}} {
		cert, err := d.LoadCert(c.file)
		if err != nil {
			t.Fatal(err)
		}
		key, err := d.LoadKey(c.key)
		if err != nil {
			t.Fatal(err)
		}
		if ps := pki.Verify(pki.VerifyInput{CA: ca.Cert, Cert: cert, Key: key, KeyPath: d.Path(c.key), Usage: c.usage, Host: "10.0.0.12"}); len(ps) != 0 {
			t.Errorf("%s: %v", c.file, ps)
		}
	}
	if err := run([]string{"-dir", dir, "-key", "ecdsa-p256"}, "pw"); err == nil {
		t.Fatal("pkigen overwrote an existing CA")
	}
}

func TestPkigenNeedsAPassphrase(t *testing.T) {
	err := run([]string{"-dir", t.TempDir()}, "")
	if err == nil || !strings.Contains(err.Error(), "DOCKERTLS_CA_PASSPHRASE") {
		t.Fatalf("err = %v", err)
	}
}
