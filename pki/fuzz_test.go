package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"
)

// FuzzParseSANs: never panics; what it accepts is clean (valid names, no
// wildcard unless allowed, no duplicates) and parses again to itself.
func FuzzParseSANs(f *testing.F) {
	for _, s := range []string{
		"node3", "node3, 10.0.0.12", "tcp://node3:2376", "[::1]:2376", "::1", "fe80::1%eth0",
		"*.example.com", "DNS:node3", "IP:10.0.0.12", "node_3", "a..b", "10.0.0.300", "bücher.de",
		"NODE3.", " ", "", "::ffff:1.2.3.4", "ip:[fd00::1]",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, in string, wildcard bool) {
		sans, err := ParseSANs(strings.Split(in, ";"), wildcard)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		seen := map[string]bool{}
		for _, d := range sans.DNS {
			if d == "" || (!wildcard && strings.Contains(d, "*")) || seen[d] {
				t.Fatalf("accepted %q from %q", d, in)
			}
			seen[d] = true
			for _, r := range d {
				if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '*') {
					t.Fatalf("accepted %q with %q", d, r)
				}
			}
		}
		for _, ip := range sans.IPs {
			if len(ip) != 4 && len(ip) != 16 {
				t.Fatalf("IP of %d bytes from %q", len(ip), in)
			}
		}
		again, err := ParseSANs(sans.Strings(), wildcard)
		if err != nil {
			t.Fatalf("re-parsing %q: %v", sans.Strings(), err)
		}
		if strings.Join(again.Strings(), ",") != strings.Join(sans.Strings(), ",") {
			t.Fatalf("not stable: %v then %v", sans.Strings(), again.Strings())
		}
	})
}

// FuzzParseKeyPEM: never panics or hangs; a key it returns encodes and
// parses back to the same key. Encrypted seeds use few PBKDF2 iterations
// and the fuzz run caps them, so each input stays fast.
func FuzzParseKeyPEM(f *testing.F) {
	keys := []crypto.Signer{}
	if k, err := GenerateKey(ECDSAP256); err == nil {
		keys = append(keys, k)
	}
	if k, err := GenerateKey(Ed25519); err == nil {
		keys = append(keys, k)
	}
	if k, err := rsa.GenerateKey(randReader{}, 1024); err == nil {
		keys = append(keys, k)
	}
	for _, k := range keys {
		switch k := k.(type) {
		case *rsa.PrivateKey:
			f.Add(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
			//lint:ignore SA1019 seed in the legacy form OpenSSL 1.1 writes.
			if b, err := x509.EncryptPEMBlock(randReader{}, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k), []byte("pw"), x509.PEMCipherAES256); err == nil {
				f.Add(pem.EncodeToMemory(b))
			}
		case *ecdsa.PrivateKey:
			if der, err := x509.MarshalECPrivateKey(k); err == nil {
				f.Add(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
			}
		}
		if data, err := EncodeKey(k); err == nil {
			f.Add(data)
		}
		if data, err := encryptKeyPEM(k, "pw", 10); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := parseKeyPEM(data, pass("pw"), 10_000)
		if err != nil {
			return
		}
		enc, err := EncodeKey(key)
		if err != nil {
			t.Fatalf("accepted a key it cannot encode: %v", err)
		}
		back, err := ParseKeyPEM(enc, nil)
		if err != nil || !publicKeysEqual(back.Public(), key.Public()) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// FuzzParseCertPEM: never panics; what it accepts can be inspected,
// verified and encoded back to the same certificate.
func FuzzParseCertPEM(f *testing.F) {
	if k, err := GenerateKey(ECDSAP256); err == nil {
		if ca, err := NewCA(CAOptions{CommonName: "Fuzz CA", Key: k, Days: 10}); err == nil {
			f.Add(EncodeCert(ca.Cert))
			if leaf, err := ca.IssueDaemon(LeafOptions{SANs: []string{"node3", "10.0.0.12"}, Key: k}); err == nil {
				f.Add(EncodeCert(leaf))
				f.Add(append(EncodeCert(leaf), EncodeCert(ca.Cert)...))
			}
		}
	}
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCertPEM(data)
		if err != nil {
			return
		}
		now := time.Now()
		_ = Inspect(c, now).String()
		_ = Verify(VerifyInput{CA: c, Cert: c, Usage: UsageServer, Host: "node3", Now: now})
		back, err := ParseCertPEM(EncodeCert(c))
		if err != nil || !back.Equal(c) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
