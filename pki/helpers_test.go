package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"testing"
)

// testKey makes a fast key for tests where the algorithm does not matter.
func testKey(t testing.TB) crypto.Signer {
	t.Helper()
	k, err := GenerateKey(ECDSAP256)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testCA makes a CA with a fast key.
func testCA(t testing.TB) *CA {
	t.Helper()
	ca, err := NewCA(CAOptions{CommonName: "Test CA", Key: testKey(t), Days: 365})
	if err != nil {
		t.Fatalf("NewCA: %v", err)
	}
	return ca
}

func mustDaemon(t testing.TB, ca *CA, key crypto.Signer, sans ...string) *x509.Certificate {
	t.Helper()
	c, err := ca.IssueDaemon(LeafOptions{SANs: sans, Key: key, Days: 90})
	if err != nil {
		t.Fatalf("IssueDaemon: %v", err)
	}
	return c
}

func mustClient(t testing.TB, ca *CA, key crypto.Signer, cn string) *x509.Certificate {
	t.Helper()
	c, err := ca.IssueClient(LeafOptions{CommonName: cn, Key: key, Days: 90})
	if err != nil {
		t.Fatalf("IssueClient: %v", err)
	}
	return c
}

// randReader is crypto/rand for APIs that still take an io.Reader.
type randReader struct{}

func (randReader) Read(p []byte) (int, error) { return rand.Read(p) }
