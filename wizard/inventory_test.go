package wizard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/pki"
)

// TestStepsRecordTheirCertificatesAndWhereTheyWent runs ca to distribute on
// this machine: the inventory then holds the CA, daemon and client
// certificates, each naming the CA that signed it, and where distribute
// copied them; a second run leaves the inventory byte for byte.
func TestStepsRecordTheirCertificatesAndWhereTheyWent(t *testing.T) {
	dir := t.TempDir()
	p := loadPlanText(t, dir, fmt.Sprintf(`ca: {key: ecdsa-p256}
daemon:
  ssh: local
  sans: [127.0.0.1]
  cert_dir: %[1]s/daemon-tls
client:
  cert_dir: %[1]s/client
`, dir))
	ctx := context.Background()
	run := func() {
		r := NewRunner(p, headlessYes{}, Options{Yes: true})
		defer r.Close()
		if err := r.Run(ctx, []StepName{StepCA, StepDaemonCert, StepClientCert, StepDistribute}, func(Event) {}); err != nil {
			t.Fatal(err)
		}
	}
	run()
	inv := filepath.Join(dir, "pki", pki.FileInventory)
	before, err := os.ReadFile(inv)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSession(p, headlessYes{}, Options{})
	certs, err := s.Certificates()
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 3 {
		t.Fatalf("inventory: %d certificates, want ca, daemon, client: %+v", len(certs), certs)
	}
	ca := certs[0]
	if ca.Kind != pki.KindCA || ca.CASHA256 != ca.SHA256 || ca.Found {
		t.Errorf("first entry: %+v, want the recorded CA, issued by itself", ca)
	}
	for _, c := range certs[1:] {
		if c.CASHA256 != ca.SHA256 || c.CASerial != ca.Serial || c.Status != pki.StatusValid {
			t.Errorf("%s %s: issued by %s (serial %s), status %s; want the CA %s, valid", c.Kind, c.Name, c.CASHA256, c.CASerial, c.Status, ca.SHA256)
		}
	}
	wantWhere := map[pki.Kind]string{pki.KindDaemon: "daemon node this machine " + dir + "/daemon-tls", pki.KindClient: "client this machine " + dir + "/client"}
	for _, c := range certs {
		if w, ok := wantWhere[c.Kind]; ok && strings.Join(c.Distributed, ";") != w {
			t.Errorf("%s distributed to %q, want %q", c.Kind, c.Distributed, w)
		}
	}
	if !strings.Contains(strings.Join(ca.Distributed, ";"), "daemon node") || !strings.Contains(strings.Join(ca.Distributed, ";"), "client ") {
		t.Errorf("ca.pem distributed to %q, want both the daemon node and the client", ca.Distributed)
	}
	run()
	after, _ := os.ReadFile(inv)
	if string(after) != string(before) {
		t.Errorf("a second run changed the inventory:\n%s\n---\n%s", before, after)
	}
}
