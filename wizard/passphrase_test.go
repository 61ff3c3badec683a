package wizard

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/wizard/plan"
)

// askingPrompter answers the CA passphrase like the TUI does (it asks) and
// records each question.
type askingPrompter struct {
	headlessYes
	answer string
	asked  []bool // the create argument of each CAPassphrase call
}

func (a *askingPrompter) CAPassphrase(ctx context.Context, create bool) (string, error) {
	a.asked = append(a.asked, create)
	return a.answer, nil
}

// caPlan writes a plan whose PKI directory is in a fresh temp directory.
func caPlan(t *testing.T, extra string) (*plan.Plan, string) {
	t.Helper()
	dir := t.TempDir()
	p := loadPlanText(t, dir, "ca: {key: ecdsa-p256"+extra+"}\ndaemon: {ssh: local}\n")
	return p, filepath.Join(dir, "pki")
}

func noEnv(string) string { return "" }

// A prompter that asks (the TUI) is asked twice-style (create) for a new CA
// without a passphrase variable, and its answer encrypts ca-key.pem; the
// next run is asked once (not create) to load it.
func TestNewCAAsksThePromptedPassphrase(t *testing.T) {
	for _, extra := range []string{"", ", passphrase_env: MY_CA_PASS"} {
		p, pkiDir := caPlan(t, extra)
		ask := &askingPrompter{answer: "correct horse"}
		r := NewRunner(p, ask, Options{Getenv: noEnv})
		if err := r.Apply(context.Background(), StepCA, nil); err != nil {
			t.Fatalf("plan %q: %v", extra, err)
		}
		r.Close()
		if len(ask.asked) != 1 || !ask.asked[0] {
			t.Fatalf("plan %q: CAPassphrase calls %v, want one with create", extra, ask.asked)
		}
		d, err := pki.OpenDir(pkiDir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.LoadCA(func() (string, error) { return "", nil }); err == nil {
			t.Errorf("plan %q: ca-key.pem opens without the passphrase", extra)
		}
		if _, err := d.LoadCA(func() (string, error) { return "correct horse", nil }); err != nil {
			t.Errorf("plan %q: ca-key.pem does not open with the passphrase: %v", extra, err)
		}

		// Loading the encrypted CA (the daemon-cert step of a later run).
		again := &askingPrompter{answer: "correct horse"}
		r = NewRunner(p, again, Options{Getenv: noEnv})
		if err := r.Apply(context.Background(), StepDaemonCert, nil); err != nil {
			t.Fatalf("plan %q: daemon-cert with the encrypted CA: %v", extra, err)
		}
		r.Close()
		if len(again.asked) != 1 || again.asked[0] {
			t.Errorf("plan %q: loading asked %v, want one question without create", extra, again.asked)
		}
	}
}

// An empty answer for a new CA means an unencrypted key.
func TestNewCAEmptyPassphraseIsUnencrypted(t *testing.T) {
	p, pkiDir := caPlan(t, "")
	r := NewRunner(p, &askingPrompter{}, Options{Getenv: noEnv})
	defer r.Close()
	if err := r.Apply(context.Background(), StepCA, nil); err != nil {
		t.Fatal(err)
	}
	d, _ := pki.OpenDir(pkiDir)
	if _, err := d.LoadCA(nil); err != nil {
		t.Errorf("ca-key.pem needs a passphrase after an empty answer: %v", err)
	}
}

// Headless never asks: without passphrase_env the key is unencrypted; with
// an empty passphrase_env the error says which variable to export.
func TestHeadlessCAPassphraseNeverAsks(t *testing.T) {
	headless := func(opts Options) Prompter { return &headlessPrompter{opts: opts, out: io.Discard} }
	opts := Options{Getenv: noEnv}

	p, pkiDir := caPlan(t, "")
	r := NewRunner(p, headless(opts), opts)
	if err := r.Apply(context.Background(), StepCA, nil); err != nil {
		t.Fatalf("headless new CA without passphrase_env: %v", err)
	}
	r.Close()
	d, _ := pki.OpenDir(pkiDir)
	if _, err := d.LoadCA(nil); err != nil {
		t.Errorf("headless CA key is encrypted: %v", err)
	}

	p, _ = caPlan(t, ", passphrase_env: MY_CA_PASS")
	r = NewRunner(p, headless(opts), opts)
	defer r.Close()
	err := r.Apply(context.Background(), StepCA, nil)
	if err == nil || !strings.Contains(err.Error(), "export MY_CA_PASS=") {
		t.Errorf("headless with an empty $MY_CA_PASS: %v", err)
	}
}
