package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// signCustom signs a hand-made template with the CA, for certificates
// dockertls itself would never issue (no SANs, no EKU, SHA-1, weak keys).
func signCustom(t *testing.T, ca *CA, tmpl *x509.Certificate, pub crypto.PublicKey) *x509.Certificate {
	t.Helper()
	if tmpl.SerialNumber == nil {
		s, err := newSerial()
		if err != nil {
			t.Fatal(err)
		}
		tmpl.SerialNumber = s
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore = time.Now().Add(-time.Hour)
		tmpl.NotAfter = time.Now().Add(90 * 24 * time.Hour)
	}
	tmpl.AuthorityKeyId = ca.Cert.SubjectKeyId
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, pub, ca.Key)
	if err != nil {
		t.Fatalf("sign custom certificate: %v", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func codes(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	slices.Sort(out)
	return out
}

func TestVerifyFindings(t *testing.T) {
	now := time.Now()
	ca := testCA(t)
	other := testCA(t)
	key := testKey(t)
	rsaCA, err := NewCA(CAOptions{CommonName: "RSA CA", Key: mustRSA(t, 2048), Days: 365})
	if err != nil {
		t.Fatal(err)
	}
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	expiredCA, err := NewCA(CAOptions{CommonName: "Old CA", Key: testKey(t), Days: 10, Now: now.AddDate(0, 0, -20)})
	if err != nil {
		t.Fatal(err)
	}
	futureCA, err := NewCA(CAOptions{CommonName: "Future CA", Key: testKey(t), Days: 10, Now: now.AddDate(0, 0, 5)})
	if err != nil {
		t.Fatal(err)
	}
	soonCA, err := NewCA(CAOptions{CommonName: "Soon CA", Key: testKey(t), Days: 10})
	if err != nil {
		t.Fatal(err)
	}
	issue := func(ca *CA, o LeafOptions) *x509.Certificate {
		t.Helper()
		if o.Key == nil {
			o.Key = key
		}
		if o.SANs == nil {
			o.SANs = []string{"node3", "10.0.0.12"}
		}
		c, err := ca.IssueDaemon(o)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	good := issue(ca, LeafOptions{Days: 90})
	goodClient, err := ca.IssueClient(LeafOptions{CommonName: "alice", Key: key, Days: 90})
	if err != nil {
		t.Fatal(err)
	}

	keyDir := t.TempDir()
	openKey := filepath.Join(keyDir, "open-key.pem")
	closedKey := filepath.Join(keyDir, "closed-key.pem")
	for path, mode := range map[string]os.FileMode{openKey: 0o644, closedKey: 0o400} {
		if err := os.WriteFile(path, []byte("x"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name string
		in   VerifyInput
		want []string
	}{
		{"good daemon", VerifyInput{CA: ca.Cert, Cert: good, Key: key, KeyPath: closedKey, Usage: UsageServer, Host: "tcp://node3:2376"}, nil},
		{"good daemon by IP", VerifyInput{CA: ca.Cert, Cert: good, Usage: UsageServer, Host: "10.0.0.12"}, nil},
		{"good client", VerifyInput{CA: ca.Cert, Cert: goodClient, Key: key, Usage: UsageClient}, nil},
		{"no certificate", VerifyInput{CA: ca.Cert, Usage: UsageServer}, []string{CodeNoCertificate}},
		{"other CA", VerifyInput{CA: other.Cert, Cert: good, Usage: UsageServer}, []string{CodeNotSignedByCA}},
		{"same name, other key", VerifyInput{CA: ca.Cert, Cert: issue(mustSameNameCA(t, ca), LeafOptions{Days: 90}), Usage: UsageServer}, []string{CodeNotSignedByCA}},
		{"expired", VerifyInput{CA: ca.Cert, Cert: issue(ca, LeafOptions{Days: 5, Now: now.AddDate(0, 0, -6)}), Usage: UsageServer}, []string{CodeExpired}},
		{"not yet valid", VerifyInput{CA: ca.Cert, Cert: issue(ca, LeafOptions{Days: 5, Now: now.Add(time.Hour)}), Usage: UsageServer}, []string{CodeNotYetValid}},
		{"expiring soon", VerifyInput{CA: ca.Cert, Cert: issue(ca, LeafOptions{Days: 10}), Usage: UsageServer}, []string{CodeExpiringSoon}},
		{"CA expired", VerifyInput{CA: expiredCA.Cert, Cert: issue(expiredCA, LeafOptions{Days: 90, Now: now.AddDate(0, 0, -15)}), Usage: UsageServer}, []string{CodeCAExpired}},
		{"CA not yet valid", VerifyInput{CA: futureCA.Cert, Cert: issue(futureCA, LeafOptions{Days: 90}), Usage: UsageServer}, []string{CodeCANotYetValid}},
		{"CA expiring soon", VerifyInput{CA: soonCA.Cert, Cert: issue(soonCA, LeafOptions{Days: 90}), Usage: UsageServer}, []string{CodeCAExpiringSoon}},
		{"client cert used as daemon", VerifyInput{CA: ca.Cert, Cert: goodClient, Usage: UsageServer, Host: ""}, []string{CodeCNOnly, CodeWrongEKU}},
		{"daemon cert used as client", VerifyInput{CA: ca.Cert, Cert: good, Usage: UsageClient}, []string{CodeWrongEKU}},
		{"no EKU", VerifyInput{CA: ca.Cert, Cert: signCustom(t, ca, &x509.Certificate{Subject: pkix.Name{CommonName: "node3"}, DNSNames: []string{"node3"}}, key.Public()), Usage: UsageServer}, []string{CodeMissingEKU}},
		{"key mismatch", VerifyInput{CA: ca.Cert, Cert: good, Key: testKey(t), Usage: UsageServer}, []string{CodeKeyMismatch}},
		{"SAN mismatch", VerifyInput{CA: ca.Cert, Cert: good, Usage: UsageServer, Host: "tcp://10.9.9.9:2376"}, []string{CodeSANMismatch}},
		{"CN only", VerifyInput{CA: ca.Cert, Cert: signCustom(t, ca, &x509.Certificate{Subject: pkix.Name{CommonName: "node3"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, key.Public()), Usage: UsageServer, Host: "node3"}, []string{CodeCNOnly}},
		{"weak key", VerifyInput{CA: ca.Cert, Cert: signCustom(t, ca, &x509.Certificate{Subject: pkix.Name{CommonName: "alice"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, &weak.PublicKey), Usage: UsageClient}, []string{CodeWeakKey}},
		{"SHA-1", VerifyInput{CA: rsaCA.Cert, Cert: signCustom(t, rsaCA, &x509.Certificate{Subject: pkix.Name{CommonName: "alice"}, SignatureAlgorithm: x509.SHA1WithRSA, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, key.Public()), Usage: UsageClient}, []string{CodeSHA1Signature}},
		{"key readable by others", VerifyInput{CA: ca.Cert, Cert: good, KeyPath: openKey, Usage: UsageServer}, []string{CodeKeyPermissions}},
		{"key file missing", VerifyInput{CA: ca.Cert, Cert: good, KeyPath: filepath.Join(keyDir, "nope.pem"), Usage: UsageServer}, []string{CodeKeyUnreadable}},
		{"leaf as CA", VerifyInput{CA: good, Cert: good, Usage: UsageServer}, []string{CodeCAInvalid, CodeNotSignedByCA}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Now = now
			got := Verify(in)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(codes(got), want) {
				t.Fatalf("codes = %v, want %v\n%v", codes(got), want, got)
			}
			for _, p := range got {
				if p.Message == "" || p.Fix == "" || (p.Severity != Warn && p.Severity != Fail) {
					t.Errorf("incomplete problem: %+v", p)
				}
			}
		})
	}
}

// Verify agrees with Go's own chain verification, which dockerd and the
// docker CLI use: wherever it reports a Fail for the chain, Go refuses too.
func TestVerifyAgreesWithGo(t *testing.T) {
	ca := testCA(t)
	key := testKey(t)
	good := mustDaemon(t, ca, key, "node3")
	expired, err := ca.IssueDaemon(LeafOptions{SANs: []string{"node3"}, Key: key, Days: 1, Now: time.Now().AddDate(0, 0, -3)})
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	for _, c := range []*x509.Certificate{good, expired} {
		_, goErr := c.Verify(x509.VerifyOptions{Roots: pool, DNSName: "node3", KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		ps := Verify(VerifyInput{CA: ca.Cert, Cert: c, Usage: UsageServer, Host: "node3"})
		if (goErr == nil) != (len(ps) == 0) {
			t.Errorf("Go says %v, Verify says %v", goErr, ps)
		}
	}
}

func TestVerifySANMismatchListsCoveredNames(t *testing.T) {
	ca := testCA(t)
	c := mustDaemon(t, ca, testKey(t), "node3", "10.0.0.12")
	ps := Verify(VerifyInput{CA: ca.Cert, Cert: c, Usage: UsageServer, Host: "127.0.0.1"})
	if len(ps) != 1 || !strings.Contains(ps[0].Message, "DNS:node3") || !strings.Contains(ps[0].Message, "IP:10.0.0.12") || !strings.Contains(ps[0].Message, "127.0.0.1") {
		t.Fatalf("want one san-mismatch naming the host and what is covered, got %v", ps)
	}
}

func TestProblemJSON(t *testing.T) {
	b, err := json.Marshal(Problem{Code: CodeExpired, Message: "m", Fix: "f", Severity: Fail})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"code":"expired","message":"m","fix":"f","severity":"fail"}` {
		t.Fatalf("JSON = %s", b)
	}
}

func mustRSA(t testing.TB, bits int) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// mustSameNameCA makes a different CA with the same name as ca, the classic
// "re-ran the tutorial and got a new CA" mistake.
func mustSameNameCA(t *testing.T, ca *CA) *CA {
	t.Helper()
	c, err := NewCA(CAOptions{CommonName: ca.Cert.Subject.CommonName, Key: testKey(t), Days: 365})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
