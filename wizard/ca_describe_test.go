package wizard

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/pki"
)

// The ca step's manual commands match what it will do: create a CA when
// there is none, inspect the one that is there, and renew one that is due
// with exactly runnable commands (run here with the real openssl: the
// renewed ca.pem is valid for the plan's days and what the CA issued still
// verifies against it).
func TestCADescribeCommandsMatchTheState(t *testing.T) {
	openssl := testlab.RequireBinary(t, "openssl", "openssl")
	p, pkiDir := caPlan(t, "")
	r := NewRunner(p, headlessYes{}, Options{Getenv: noEnv})
	defer r.Close()
	ctx := context.Background()
	cmds := func() string {
		d, err := r.Describe(ctx, StepCA)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(d.Commands, "\n")
	}
	if got := cmds(); !strings.Contains(got, "openssl genpkey") || !strings.Contains(got, "openssl req -new -x509") {
		t.Errorf("no CA yet: commands do not create one:\n%s", got)
	}

	d, err := pki.OpenDir(pkiDir)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := pki.GenerateKey(pki.ECDSAP256)
	ca, err := pki.NewCA(pki.CAOptions{CommonName: "Class CA", Key: key, Days: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SaveCA(ca, "", false); err != nil {
		t.Fatal(err)
	}
	leafKey, _ := pki.GenerateKey(pki.ECDSAP256)
	leaf, err := ca.IssueClient(pki.LeafOptions{CommonName: "client", Key: leafKey, Days: 5})
	if err != nil {
		t.Fatal(err)
	}
	leafPath := filepath.Join(t.TempDir(), "leaf.pem")
	if err := os.WriteFile(leafPath, pki.EncodeCert(leaf), 0o644); err != nil {
		t.Fatal(err)
	}
	renew := cmds()
	if strings.Contains(renew, "genpkey") || !strings.Contains(renew, "-signkey ca-key.pem") {
		t.Fatalf("a CA due for renewal: commands do not renew it with its key:\n%s", renew)
	}
	out, err := exec.Command("bash", "-euc", renew).CombinedOutput()
	if err != nil {
		t.Fatalf("the renewal commands fail: %v\n%s\n%s", err, renew, out)
	}
	renewed, err := d.LoadCert(pki.FileCA)
	if err != nil {
		t.Fatal(err)
	}
	if !renewed.NotAfter.After(time.Now().AddDate(0, 0, 700)) || renewed.Subject.CommonName != "Class CA" {
		t.Errorf("renewed by the commands: %s until %s", renewed.Subject, renewed.NotAfter)
	}
	if out, err := exec.Command(openssl, "verify", "-CAfile", d.Path(pki.FileCA), leafPath).CombinedOutput(); err != nil {
		t.Errorf("a certificate of the CA does not verify against the renewed ca.pem: %v\n%s", err, out)
	}

	keep := cmds()
	if strings.Contains(keep, "genpkey") || strings.Contains(keep, "openssl req") || !strings.Contains(keep, "openssl x509 -in ca.pem -noout -subject -enddate") {
		t.Errorf("a CA that is kept: commands do not just show it:\n%s", keep)
	}
	if out, err := exec.Command("bash", "-euc", keep).CombinedOutput(); err != nil || !strings.Contains(string(out), "Class CA") {
		t.Errorf("the inspect commands: %v\n%s", err, out)
	}
}

// The CA's creation commands make an encrypted key whenever the CA is or
// will be encrypted, and never carry the passphrase itself: with
// ca.passphrase_env they read it from that variable (run here with the real
// openssl, the passphrase only in the environment: the key they write is
// encrypted and opens with it, and ca.pem belongs to it); with a passphrase
// chosen in the wizard, or an encrypted ca-key.pem already there, openssl
// asks for it.
func TestCADescribeCommandsEncryptTheKey(t *testing.T) {
	openssl := testlab.RequireBinary(t, "openssl", "openssl")
	const secret = "correct horse battery"
	describe := func(r *Runner) string {
		t.Helper()
		d, err := r.Describe(context.Background(), StepCA)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(d.Commands, "\n")
	}
	for _, key := range []string{"rsa-2048", "ecdsa-p256", "ed25519"} {
		dir := t.TempDir()
		p := loadPlanText(t, dir, "ca: {key: "+key+", passphrase_env: MY_CA_PASS}\ndaemon: {ssh: local}\n")
		r := NewRunner(p, headlessYes{}, Options{Getenv: noEnv})
		cmds := describe(r)
		r.Close()
		if !strings.Contains(cmds, "-aes256") || !strings.Contains(cmds, "env:MY_CA_PASS") || strings.Contains(cmds, secret) {
			t.Fatalf("%s with ca.passphrase_env: commands do not encrypt the key from $MY_CA_PASS:\n%s", key, cmds)
		}
		cmd := exec.Command("bash", "-euc", cmds)
		cmd.Env = append(os.Environ(), "MY_CA_PASS="+secret)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: the commands fail: %v\n%s\n%s", key, err, cmds, out)
		}
		keyPath := filepath.Join(dir, "pki", pki.FileCAKey)
		pemText, err := os.ReadFile(keyPath)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(pemText), "ENCRYPTED") {
			t.Errorf("%s: the commands wrote an unencrypted key:\n%s", key, pemText)
		}
		if out, err := exec.Command(openssl, "pkey", "-in", keyPath, "-passin", "pass:wrong", "-noout").CombinedOutput(); err == nil {
			t.Errorf("%s: the key opens with a wrong passphrase: %s", key, out)
		}
		d, err := pki.OpenDir(filepath.Join(dir, "pki"))
		if err != nil {
			t.Fatal(err)
		}
		ca, err := d.LoadCA(func() (string, error) { return secret, nil })
		if err != nil {
			t.Fatalf("%s: the CA the commands made does not load with its passphrase: %v", key, err)
		}
		if ca.Cert.Subject.CommonName == "" {
			t.Errorf("%s: ca.pem has no name", key)
		}
	}

	// A passphrase chosen in the wizard (no variable): openssl asks.
	p, _ := caPlan(t, "")
	r := NewRunner(p, headlessYes{}, Options{Getenv: noEnv})
	defer r.Close()
	if cmds := describe(r); strings.Contains(cmds, "-aes256") {
		t.Errorf("no passphrase anywhere: the commands encrypt the key:\n%s", cmds)
	}
	chosen := secret
	r.session.mu.Lock()
	r.session.caPassphrase = &chosen
	r.session.mu.Unlock()
	if cmds := describe(r); !strings.Contains(cmds, "-aes256") || strings.Contains(cmds, secret) || strings.Contains(cmds, "env:") {
		t.Errorf("a passphrase chosen in the wizard: the commands do not have openssl ask for one:\n%s", cmds)
	}

	// An encrypted ca-key.pem already there (made by hand, no ca.pem yet).
	p, pkiDir := caPlan(t, "")
	if err := os.MkdirAll(pkiDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:"+secret, "-out", filepath.Join(pkiDir, pki.FileCAKey)).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	r2 := NewRunner(p, headlessYes{}, Options{Getenv: noEnv})
	defer r2.Close()
	if cmds := describe(r2); !strings.Contains(cmds, "-aes256") {
		t.Errorf("an encrypted ca-key.pem is there: the commands make an unencrypted one:\n%s", cmds)
	}
}
