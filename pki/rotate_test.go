package pki

import (
	"bytes"
	"crypto/x509"
	"os"
	"testing"
)

// TestRotationKeepsTheOldCAByteForByte: phase 1 renames the old CA's files
// (an encrypted key stays encrypted with its passphrase), the new CA takes
// ca.pem, the trust bundle holds both (new first), and undo restores the
// directory exactly.
func TestRotationKeepsTheOldCAByteForByte(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	old := testCA(t)
	if err := d.SaveCA(old, "old secret", false); err != nil {
		t.Fatal(err)
	}
	oldCert, _ := os.ReadFile(d.Path(FileCA))
	oldKey, _ := os.ReadFile(d.Path(FileCAKey))
	next := testCA(t)
	undo, err := d.BeginRotation(next, "old secret")
	if err != nil {
		t.Fatal(err)
	}
	if !d.Rotating() {
		t.Fatal("Rotating() is false after BeginRotation")
	}
	if got, _ := os.ReadFile(d.Path(FileCAPreviousKey)); !bytes.Equal(got, oldKey) {
		t.Error("ca-previous-key.pem is not the old key byte for byte")
	}
	prev, err := d.LoadPreviousCA(func() (string, error) { return "old secret", nil })
	if err != nil || !prev.Cert.Equal(old.Cert) {
		t.Fatalf("LoadPreviousCA: %v", err)
	}
	cur, err := d.LoadCA(func() (string, error) { return "old secret", nil })
	if err != nil || !cur.Cert.Equal(next.Cert) {
		t.Fatalf("LoadCA after rotation: %v", err)
	}
	bundle, err := d.TrustBundle()
	if err != nil {
		t.Fatal(err)
	}
	certs, err := ParseCertsPEM(bundle)
	if err != nil || len(certs) != 2 || !certs[0].Equal(next.Cert) || !certs[1].Equal(old.Cert) {
		t.Fatalf("trust bundle: %d certificates, %v", len(certs), err)
	}
	// A leaf of either CA verifies against the bundle, as dockerd and the
	// docker CLI build their pools.
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(bundle)
	for _, ca := range []*CA{old, next} {
		leaf := mustClient(t, ca, testKey(t), "alice")
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("a client of %q does not verify against the bundle: %v", ca.Cert.Subject.CommonName, err)
		}
	}
	if _, err := d.BeginRotation(testCA(t), ""); err == nil {
		t.Error("a second BeginRotation during a rotation was accepted")
	}
	if err := undo(); err != nil {
		t.Fatal(err)
	}
	if d.Rotating() {
		t.Error("still rotating after undo")
	}
	if got, _ := os.ReadFile(d.Path(FileCA)); !bytes.Equal(got, oldCert) {
		t.Error("undo did not restore ca.pem")
	}
	if got, _ := os.ReadFile(d.Path(FileCAKey)); !bytes.Equal(got, oldKey) {
		t.Error("undo did not restore ca-key.pem")
	}
	if got, _ := d.TrustBundle(); !bytes.Equal(got, oldCert) {
		t.Error("outside a rotation the trust bundle is not ca.pem byte for byte")
	}
}

// TestEndRotationRetiresThePreviousCA: --finish keeps the old CA as
// *.retired-*, the bundle is the new CA alone, undo brings the rotation back.
func TestEndRotationRetiresThePreviousCA(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SaveCA(testCA(t), "", false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.EndRotation(); err == nil {
		t.Fatal("EndRotation without a rotation was accepted")
	}
	if _, err := d.BeginRotation(testCA(t), ""); err != nil {
		t.Fatal(err)
	}
	kept, undo, err := d.EndRotation()
	if err != nil {
		t.Fatal(err)
	}
	if d.Rotating() || len(kept) != 2 {
		t.Fatalf("after EndRotation: rotating=%v kept=%v", d.Rotating(), kept)
	}
	for _, k := range kept {
		if _, err := os.Stat(k); err != nil {
			t.Errorf("retired file: %v", err)
		}
	}
	bundle, _ := d.TrustBundle()
	if certs, _ := ParseCertsPEM(bundle); len(certs) != 1 {
		t.Errorf("after EndRotation the bundle holds %d certificates", len(certs))
	}
	if err := undo(); err != nil || !d.Rotating() {
		t.Fatalf("undo: %v, rotating=%v", err, d.Rotating())
	}
}
