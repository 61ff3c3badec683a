package wizard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// renew_before_days decides when a certificate counts as expiring: a client
// certificate made by hand for 9 days is to be renewed with the default
// window (30) and with 10, and is fine with 5.
func TestRenewBeforeDaysIsThePlansWindow(t *testing.T) {
	for _, c := range []struct {
		window  string
		renew   bool
		comment string
	}{{"", true, "default 30"}, {"renew_before_days: 10\n", true, "10"}, {"renew_before_days: 5\n", false, "5"}} {
		t.Run(c.comment, func(t *testing.T) {
			dir := t.TempDir()
			pkiDir := filepath.Join(dir, "pki")
			if err := os.Mkdir(pkiDir, 0o700); err != nil {
				t.Fatal(err)
			}
			openssl(t, pkiDir, "genrsa", "-out", "ca-key.pem", "2048")
			openssl(t, pkiDir, "req", "-new", "-x509", "-days", "365", "-key", "ca-key.pem", "-sha256", "-out", "ca.pem", "-subj", "/CN=Hand CA")
			tutorialLeaf(t, pkiDir, "client", "client", "extendedKeyUsage = clientAuth\n", 9, "sha256")
			p := loadPlanText(t, dir, fmt.Sprintf("%sdir: pki\nca: {common_name: Hand CA, key: rsa-2048}\ndaemon: {ssh: local}\nclient: {cert_dir: %s/client}\n", c.window, dir))
			r := NewRunner(p, headlessYes{}, Options{Getenv: func(string) string { return "" }})
			defer r.Close()
			fs := r.Check(context.Background(), StepClientCert)
			got := len(ToRepair(fs)) > 0
			if got != c.renew {
				t.Errorf("window %s: to renew %v, want %v: %+v", c.comment, got, c.renew, fs)
			}
		})
	}
}
