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
