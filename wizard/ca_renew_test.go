package wizard

import (
	"context"
	"crypto"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/pki"
)

// TestExpiredCAIsRenewedWithItsKey: an expired CA is found by Check, and
// Apply renews it with the same key, so certificates it issued verify
// against the renewed ca.pem; an unencrypted key stays unencrypted and no
// passphrase is asked.
func TestExpiredCAIsRenewedWithItsKey(t *testing.T) {
	dir := t.TempDir()
	d, err := pki.OpenDir(filepath.Join(dir, "pki"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := pki.GenerateKey(pki.ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	// A certificate the CA issued while it was valid …
	valid, err := pki.NewCA(pki.CAOptions{CommonName: "Old CA", Key: key, Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	leafKey, _ := pki.GenerateKey(pki.ECDSAP256)
	leaf, err := valid.IssueClient(pki.LeafOptions{CommonName: "client", Key: leafKey, Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	// … and the same CA (same key and name) whose certificate has expired.
	old, err := pki.NewCA(pki.CAOptions{CommonName: "Old CA", Key: key, Days: 1, Now: time.Now().AddDate(0, 0, -3)})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SaveCA(old, "", false); err != nil {
		t.Fatal(err)
	}
	p := loadPlanText(t, dir, "ca: {key: ecdsa-p256}\ndaemon: {ssh: local}\n")
	r := NewRunner(p, headlessYes{}, Options{})
	defer r.Close()
	ctx := context.Background()
	if fs := r.Check(ctx, StepCA); fs[0].Status != StatusFail || fs[0].Code != pki.CodeCAExpired {
		t.Fatalf("check of an expired CA: %+v", fs)
	}
	var done string
	if err := r.Apply(ctx, StepCA, func(e Event) {
		if e.Kind == EventDone {
			done = e.Message
		}
	}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(done, "renewed the expired CA") {
		t.Errorf("done message: %q", done)
	}
	renewed, err := d.LoadCA(nil)
	if err != nil {
		t.Fatalf("the renewed CA key is not readable without a passphrase: %v", err)
	}
	if !renewed.Cert.NotAfter.After(time.Now().AddDate(0, 0, 700)) {
		t.Errorf("renewed CA expires %s", renewed.Cert.NotAfter)
	}
	if err := leaf.CheckSignatureFrom(renewed.Cert); err != nil {
		t.Errorf("a certificate of the old CA does not chain to the renewed one: %v", err)
	}
	if fs := r.Check(ctx, StepCA); fs[0].Status != StatusOK {
		t.Errorf("check after renewing: %+v", fs)
	}
}

// TestExpiringCAIsRenewedEarly: a CA within the expiry warning (doctor's
// ca-expiring-soon, whose fix is `apply --step ca`) is renewed by the ca
// step with its own key, which stays encrypted with its passphrase; what it
// issued still chains; a second run keeps the renewed CA.
func TestExpiringCAIsRenewedEarly(t *testing.T) {
	dir := t.TempDir()
	d, err := pki.OpenDir(filepath.Join(dir, "pki"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := pki.GenerateKey(pki.ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	old, err := pki.NewCA(pki.CAOptions{CommonName: "Soon CA", Key: key, Days: 10})
	if err != nil {
		t.Fatal(err)
	}
	leafKey, _ := pki.GenerateKey(pki.ECDSAP256)
	leaf, err := old.IssueClient(pki.LeafOptions{CommonName: "client", Key: leafKey, Days: 5})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SaveCA(old, "s3cret pass", false); err != nil {
		t.Fatal(err)
	}
	p := loadPlanText(t, dir, "ca: {key: ecdsa-p256, passphrase_env: DTLS_CA_PASS}\ndaemon: {ssh: local}\n")
	getenv := func(name string) string {
		if name == "DTLS_CA_PASS" {
			return "s3cret pass"
		}
		return ""
	}
	r := NewRunner(p, headlessYes{}, Options{Getenv: getenv})
	defer r.Close()
	ctx := context.Background()
	if fs := r.Check(ctx, StepCA); fs[0].Status != StatusWarn || fs[0].Code != pki.CodeCAExpiringSoon || !strings.Contains(fs[0].Fix.String(), "--step ca") {
		t.Fatalf("check of a CA that expires in 10 days: %+v", fs)
	}
	apply := func() (kind EventKind, msg string) {
		t.Helper()
		if err := r.Apply(ctx, StepCA, func(e Event) {
			if e.Kind == EventDone || e.Kind == EventSkipped {
				kind, msg = e.Kind, e.Message
			}
		}); err != nil {
			t.Fatal(err)
		}
		return kind, msg
	}
	if kind, msg := apply(); kind != EventDone || !strings.Contains(msg, "would expire in") {
		t.Errorf("first apply: %v %q", kind, msg)
	}
	if _, err := d.LoadCA(nil); err == nil {
		t.Error("the renewed CA key is readable without its passphrase: it lost its encryption")
	}
	renewed, err := d.LoadCA(func() (string, error) { return "s3cret pass", nil })
	if err != nil {
		t.Fatalf("the renewed CA key does not open with its passphrase: %v", err)
	}
	if !renewed.Key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(key.Public()) {
		t.Error("the renewed CA has another key")
	}
	if !renewed.Cert.NotAfter.After(time.Now().AddDate(0, 0, 700)) {
		t.Errorf("renewed CA expires %s", renewed.Cert.NotAfter)
	}
	if err := leaf.CheckSignatureFrom(renewed.Cert); err != nil {
		t.Errorf("a certificate of the old CA does not chain to the renewed one: %v", err)
	}
	if fs := r.Check(ctx, StepCA); fs[0].Status != StatusOK {
		t.Errorf("check after renewing: %+v", fs)
	}
	if kind, msg := apply(); kind != EventSkipped {
		t.Errorf("second apply must keep the renewed CA: %v %q", kind, msg)
	}
}
