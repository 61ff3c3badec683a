package pki

import (
	"bytes"
	"crypto/x509"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNewCA(t *testing.T) {
	start := time.Now()
	ca, err := NewCA(CAOptions{CommonName: "  Docker TLS CA ", Key: testKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	c := ca.Cert
	if c.Subject.CommonName != "Docker TLS CA" || !bytes.Equal(c.RawIssuer, c.RawSubject) {
		t.Errorf("subject %q issuer %q", c.Subject, c.Issuer)
	}
	if !c.IsCA || !c.BasicConstraintsValid || c.MaxPathLen != 0 || !c.MaxPathLenZero {
		t.Errorf("basic constraints: CA %v valid %v pathlen %d zero %v", c.IsCA, c.BasicConstraintsValid, c.MaxPathLen, c.MaxPathLenZero)
	}
	if c.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageCRLSign {
		t.Errorf("key usage %v", keyUsageNames(c.KeyUsage))
	}
	if len(c.SubjectKeyId) != 20 {
		t.Errorf("SKI %x", c.SubjectKeyId)
	}
	if c.SerialNumber.Sign() <= 0 || c.SerialNumber.BitLen() > 128 || c.SerialNumber.BitLen() < 64 {
		t.Errorf("serial %v (%d bits)", c.SerialNumber, c.SerialNumber.BitLen())
	}
	if back := start.Sub(c.NotBefore); back < 4*time.Minute || back > 6*time.Minute {
		t.Errorf("NotBefore is %v before now; want 5 minutes", back)
	}
	if d := c.NotAfter.Sub(start); d < 729*24*time.Hour || d > 731*24*time.Hour {
		t.Errorf("default validity %v; want 730 days", d)
	}
	if c.SignatureAlgorithm != x509.ECDSAWithSHA256 {
		t.Errorf("signature %v", c.SignatureAlgorithm)
	}
	if err := c.CheckSignatureFrom(c); err != nil {
		t.Errorf("self-signature: %v", err)
	}
}

func TestNewCASignatureFollowsKey(t *testing.T) {
	for kt, want := range map[KeyType]x509.SignatureAlgorithm{
		RSA2048: x509.SHA256WithRSA, ECDSAP384: x509.ECDSAWithSHA384, Ed25519: x509.PureEd25519,
	} {
		k, err := GenerateKey(kt)
		if err != nil {
			t.Fatal(err)
		}
		ca, err := NewCA(CAOptions{CommonName: "CA", Key: k, Days: 10})
		if err != nil {
			t.Fatal(err)
		}
		if ca.Cert.SignatureAlgorithm != want {
			t.Errorf("%s: signature %v, want %v", kt, ca.Cert.SignatureAlgorithm, want)
		}
	}
}

func TestNewCAErrors(t *testing.T) {
	if _, err := NewCA(CAOptions{CommonName: " ", Key: testKey(t)}); err == nil || !strings.Contains(err.Error(), "common name") {
		t.Errorf("blank CN: %v", err)
	}
	if _, err := NewCA(CAOptions{CommonName: "CA", Key: testKey(t), Days: 4000}); err == nil || !strings.Contains(err.Error(), "3650") {
		t.Errorf("4000 days: %v", err)
	}
}

func TestIssueDaemon(t *testing.T) {
	ca := testCA(t)
	rsaKey := mustRSA(t, 2048)
	c, err := ca.IssueDaemon(LeafOptions{SANs: []string{"10.0.0.12", "node3", "::1"}, Key: rsaKey, Days: 365})
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject.CommonName != "node3" {
		t.Errorf("CN %q; want the first DNS name", c.Subject.CommonName)
	}
	if !slices.Equal(c.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}) {
		t.Errorf("EKU %v", c.ExtKeyUsage)
	}
	if c.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment {
		t.Errorf("RSA leaf key usage %v", keyUsageNames(c.KeyUsage))
	}
	if c.IsCA || !bytes.Equal(c.AuthorityKeyId, ca.Cert.SubjectKeyId) {
		t.Errorf("IsCA %v AKI %x CA SKI %x", c.IsCA, c.AuthorityKeyId, ca.Cert.SubjectKeyId)
	}
	if c.SerialNumber.Cmp(ca.Cert.SerialNumber) == 0 {
		t.Error("leaf reuses the CA serial")
	}
	if err := c.CheckSignatureFrom(ca.Cert); err != nil {
		t.Error(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	for _, host := range []string{"node3", "10.0.0.12", "::1"} {
		if _, err := c.Verify(x509.VerifyOptions{Roots: pool, DNSName: host}); err != nil {
			t.Errorf("Go refuses %s: %v", host, err)
		}
	}

	ipOnly, err := ca.IssueDaemon(LeafOptions{SANs: []string{"10.0.0.12"}, Key: testKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	if ipOnly.Subject.CommonName != "10.0.0.12" || ipOnly.KeyUsage != x509.KeyUsageDigitalSignature {
		t.Errorf("IP-only daemon: CN %q key usage %v", ipOnly.Subject.CommonName, keyUsageNames(ipOnly.KeyUsage))
	}
	named, err := ca.IssueDaemon(LeafOptions{CommonName: "docker-node", SANs: []string{"node3"}, Key: testKey(t)})
	if err != nil || named.Subject.CommonName != "docker-node" {
		t.Errorf("explicit CN: %v %v", named, err)
	}
}

func TestIssueClient(t *testing.T) {
	ca := testCA(t)
	c, err := ca.IssueClient(LeafOptions{CommonName: "alice", Key: testKey(t), Days: 10})
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject.CommonName != "alice" || !slices.Equal(c.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}) || len(c.DNSNames) != 0 {
		t.Errorf("client cert: CN %q EKU %v DNS %v", c.Subject.CommonName, c.ExtKeyUsage, c.DNSNames)
	}
	if d := c.NotAfter.Sub(c.NotBefore); d != 10*24*time.Hour+5*time.Minute {
		t.Errorf("validity %v", d)
	}
}

func TestIssueErrors(t *testing.T) {
	ca := testCA(t)
	key := testKey(t)
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"client without CN", func() error { _, err := ca.IssueClient(LeafOptions{Key: key}); return err }, "common name"},
		{"daemon without SANs", func() error { _, err := ca.IssueDaemon(LeafOptions{Key: key}); return err }, "host name or IP"},
		{"daemon with URL", func() error {
			_, err := ca.IssueDaemon(LeafOptions{SANs: []string{"tcp://node3:2376"}, Key: key})
			return err
		}, "write the host name node3"},
		{"no key", func() error { _, err := ca.IssueDaemon(LeafOptions{SANs: []string{"node3"}}); return err }, "GenerateKey"},
		{"bad days", func() error {
			_, err := ca.IssueClient(LeafOptions{CommonName: "a", Key: key, Days: -3})
			return err
		}, "too short"},
		{"no CA", func() error { _, err := (&CA{}).IssueClient(LeafOptions{CommonName: "a", Key: key}); return err }, "create or import the CA"},
		{"expired CA", func() error {
			old, err := NewCA(CAOptions{CommonName: "Old", Key: key, Days: 1, Now: time.Now().AddDate(0, 0, -3)})
			if err != nil {
				return err
			}
			_, err = old.IssueClient(LeafOptions{CommonName: "a", Key: key})
			return err
		}, "renew it first"},
		{"CA key mismatch", func() error {
			_, err := (&CA{Cert: ca.Cert, Key: key}).IssueClient(LeafOptions{CommonName: "a", Key: key})
			return err
		}, "does not belong"},
	}
	for _, tt := range tests {
		if err := tt.do(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

// A CA renewed with its own key and name (what the ca step does when the
// CA expired) still verifies every certificate the old one issued: the
// subject and the SubjectKeyId depend only on the name and the key.
func TestRenewedCAKeepsLeavesValid(t *testing.T) {
	key := testKey(t)
	old, err := NewCA(CAOptions{CommonName: "Docker TLS CA", Key: key, Days: 1, Now: time.Now().AddDate(0, 0, -2)})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := old.IssueClient(LeafOptions{CommonName: "alice", Key: testKey(t), Days: 365, Now: time.Now().AddDate(0, 0, -2).Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	renewed, err := RenewCA(old, 365)
	if err != nil {
		t.Fatal(err)
	}
	if renewed.Cert.NotAfter.Before(time.Now().AddDate(0, 0, 364)) || renewed.Cert.SerialNumber.Cmp(old.Cert.SerialNumber) == 0 {
		t.Fatalf("renewed CA: until %v, serial %v", renewed.Cert.NotAfter, renewed.Cert.SerialNumber)
	}
	if _, err := RenewCA(&CA{Cert: old.Cert, Key: testKey(t)}, 365); err == nil {
		t.Fatal("renewed with a foreign key")
	}
	if !bytes.Equal(renewed.Cert.SubjectKeyId, old.Cert.SubjectKeyId) {
		t.Fatal("renewal changed the SubjectKeyId")
	}
	pool := x509.NewCertPool()
	pool.AddCert(renewed.Cert)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Fatalf("old leaf under the renewed CA: %v", err)
	}
	if ps := Verify(VerifyInput{CA: renewed.Cert, Cert: leaf, Usage: UsageClient}); len(ps) != 0 {
		t.Fatalf("Verify: %v", ps)
	}
}
