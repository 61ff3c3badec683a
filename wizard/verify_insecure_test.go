package wizard

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
)

// TestVerifyReportsInsecureWithoutTLSVerify sets up a real dockerd with TLS
// but without client-certificate verification (--tlsverify=false): the
// connection works, so only the probes can tell — verify must say INSECURE
// and doctor must fail the step.
func TestVerifyReportsInsecureWithoutTLSVerify(t *testing.T) {
	testlab.RequireRoot(t)
	dir := t.TempDir()
	plan := fmt.Sprintf(`ca: {key: ecdsa-p256}
daemon:
  ssh: local
  sans: [127.0.0.1]
  cert_dir: %[1]s/daemon-tls
client:
  cert_dir: %[1]s/client
`, dir)
	p := loadPlanText(t, dir, plan)
	ctx := context.Background()
	r := NewRunner(p, headlessYes{}, Options{Yes: true})
	defer r.Close()
	if err := r.Run(ctx, []StepName{StepCA, StepDaemonCert, StepClientCert, StepDistribute}, nil); err != nil {
		t.Fatal(err)
	}
	tlsDir := filepath.Join(dir, "daemon-tls")
	d := testlab.StartDockerd(t, testlab.DockerdOptions{TLS: &testlab.DockerdTLS{
		CACert: filepath.Join(tlsDir, DaemonCAFile), Cert: filepath.Join(tlsDir, DaemonCertFile), Key: filepath.Join(tlsDir, DaemonKeyFile), Verify: false}})
	p.Daemon.Address = "tcp://" + d.TCPAddr
	p.Daemon.Listen = "tcp://" + d.TCPAddr

	fs := r.Check(ctx, StepVerify)
	if len(fs) != 1 || fs[0].Status != StatusFail || fs[0].Code != "insecure" || !strings.Contains(fs[0].Message, "INSECURE") {
		t.Fatalf("verify check against a daemon without tlsverify: %+v", fs)
	}
	err := r.Apply(ctx, StepVerify, nil)
	if err == nil || !strings.Contains(err.Error(), "INSECURE") {
		t.Fatalf("verify apply: %v, want INSECURE", err)
	}
}
