package wizard

import (
	"context"
	"crypto"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/wizard/plan"
)

func prewarmRunner(t *testing.T) (*Runner, string) {
	t.Helper()
	dir := t.TempDir()
	plan := "dir: ./pki\nca: {key: ecdsa-p256}\ndaemon: {ssh: local, key: ed25519}\nclient: {key: ecdsa-p384, cert_dir: " + dir + "/client}\n"
	p := loadPlanText(t, dir, plan)
	r := NewRunner(p, headlessYes{}, Options{Yes: true})
	t.Cleanup(func() { _ = r.Close() })
	return r, filepath.Join(dir, "pki")
}

// TestPrewarmKeysAreUsedByTheSteps: Prewarm (called concurrently, as the
// TUI may) generates one key per PKI step of the plan's types, writes
// nothing, and the steps then use exactly those keys.
func TestPrewarmKeysAreUsedByTheSteps(t *testing.T) {
	r, pkiDir := prewarmRunner(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); r.Prewarm(ctx) }()
	}
	wg.Wait()
	s := r.Session()
	if err := s.waitWarming(ctx); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	warm := map[StepName]crypto.Signer{}
	for k, v := range s.keys {
		warm[k] = v
	}
	s.mu.Unlock()
	want := map[StepName]pki.KeyType{StepCA: pki.ECDSAP256, StepDaemonCert: pki.Ed25519, StepClientCert: pki.ECDSAP384}
	for step, kt := range want {
		if k, ok := warm[step]; !ok || !keyTypeIs(k, kt) {
			t.Errorf("prewarmed key for %s: %T, want %s", step, k, kt)
		}
	}
	if _, err := os.Stat(pkiDir); !os.IsNotExist(err) {
		t.Errorf("Prewarm wrote something: %s exists (%v)", pkiDir, err)
	}
	if err := r.Run(ctx, []StepName{StepCA, StepDaemonCert, StepClientCert}, nil); err != nil {
		t.Fatal(err)
	}
	d, err := pki.OpenDir(pkiDir)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := d.LoadCA(nil)
	if err != nil {
		t.Fatal(err)
	}
	sameKey := func(name string, got crypto.PublicKey, step StepName) {
		if !got.(interface{ Equal(crypto.PublicKey) bool }).Equal(warm[step].Public()) {
			t.Errorf("%s does not hold the prewarmed key", name)
		}
	}
	sameKey("ca.pem", ca.Cert.PublicKey, StepCA)
	for _, f := range []struct {
		file string
		step StepName
	}{{pki.FileDaemonCert, StepDaemonCert}, {pki.FileClientCert, StepClientCert}} {
		c, err := d.LoadCert(f.file)
		if err != nil {
			t.Fatal(err)
		}
		sameKey(f.file, c.PublicKey, f.step)
	}
	s.mu.Lock()
	left := len(s.keys)
	s.mu.Unlock()
	if left != 0 {
		t.Errorf("%d prewarmed key(s) left after the steps took theirs", left)
	}
}

// TestPrewarmedKeyOfAnotherTypeIsDropped: when the plan's key type changes
// after Prewarm, the step generates a key of the new type.
func TestPrewarmedKeyOfAnotherTypeIsDropped(t *testing.T) {
	r, pkiDir := prewarmRunner(t)
	ctx := context.Background()
	r.Prewarm(ctx)
	if err := r.Session().waitWarming(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.UpdatePlan(func(p *plan.Plan) error { p.CA.Key = "ed25519"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := r.Apply(ctx, StepCA, nil); err != nil {
		t.Fatal(err)
	}
	d, _ := pki.OpenDir(pkiDir)
	ca, err := d.LoadCA(nil)
	if err != nil {
		t.Fatal(err)
	}
	if kt, _ := pki.KeyTypeOf(ca.Cert.PublicKey); kt != pki.Ed25519 {
		t.Errorf("the CA has a %s key, the plan now says ed25519", kt)
	}
}
