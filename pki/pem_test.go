package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
)

func fastKeys(t *testing.T) map[KeyType]crypto.Signer {
	t.Helper()
	out := map[KeyType]crypto.Signer{RSA2048: mustRSA(t, 2048)}
	for _, kt := range []KeyType{ECDSAP256, ECDSAP384, Ed25519} {
		k, err := GenerateKey(kt)
		if err != nil {
			t.Fatal(err)
		}
		out[kt] = k
	}
	return out
}

func noPassphrase() (string, error) {
	return "", errors.New("the test did not expect to be asked for a passphrase")
}

func pass(p string) func() (string, error) { return func() (string, error) { return p, nil } }

func TestEncodeParseKeyEveryType(t *testing.T) {
	for kt, key := range fastKeys(t) {
		data, err := EncodeKey(key)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "-----BEGIN PRIVATE KEY-----") {
			t.Errorf("%s: not PKCS#8: %s", kt, data[:40])
		}
		got, err := ParseKeyPEM(data, noPassphrase)
		if err != nil {
			t.Fatalf("%s: %v", kt, err)
		}
		if !publicKeysEqual(got.Public(), key.Public()) {
			t.Errorf("%s: round trip changed the key", kt)
		}
	}
}

// The traditional forms openssl writes: PKCS#1 for RSA, SEC1 for EC (often
// after an EC PARAMETERS block, as `openssl ecparam -genkey` writes it).
func TestParseKeyTraditionalForms(t *testing.T) {
	r := mustRSA(t, 2048)
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(r)})
	ec := testKey(t).(*ecdsa.PrivateKey)
	sec1DER, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	params := pem.EncodeToMemory(&pem.Block{Type: "EC PARAMETERS", Bytes: []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}})
	sec1 := append(params, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1DER})...)
	// A PKCS#8 body mislabelled as RSA PRIVATE KEY still reads.
	p8, _ := x509.MarshalPKCS8PrivateKey(r)
	mislabelled := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: p8})
	for name, c := range map[string]struct {
		data []byte
		key  crypto.Signer
	}{"pkcs1": {pkcs1, r}, "sec1": {sec1, ec}, "mislabelled": {mislabelled, r}} {
		got, err := ParseKeyPEM(c.data, noPassphrase)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !publicKeysEqual(got.Public(), c.key.Public()) {
			t.Errorf("%s: wrong key", name)
		}
	}
}

func TestEncryptKeyPEM(t *testing.T) {
	key := testKey(t)
	data, err := EncryptKeyPEM(key, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "ENCRYPTED PRIVATE KEY" {
		t.Fatalf("not encrypted PKCS#8: %s", data)
	}
	// The parameters are what the issue promises: PBES2, PBKDF2-HMAC-SHA256
	// with at least 600,000 iterations, AES-256-CBC.
	var info encryptedPrivateKeyInfo
	var params pbes2Params
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(block.Bytes, &info); err != nil {
		t.Fatal(err)
	}
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		t.Fatal(err)
	}
	if _, err := asn1.Unmarshal(params.KeyDerivationFunc.Parameters.FullBytes, &kdf); err != nil {
		t.Fatal(err)
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2()) || !params.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2()) ||
		!params.EncryptionScheme.Algorithm.Equal(oidAES256CBC()) || !kdf.PRF.Algorithm.Equal(oidHMACSHA256()) ||
		kdf.IterationCount < 600000 || len(kdf.Salt) < 16 {
		t.Fatalf("parameters: %v %v %v prf %v iterations %d salt %d", info.Algorithm.Algorithm, params.KeyDerivationFunc.Algorithm,
			params.EncryptionScheme.Algorithm, kdf.PRF.Algorithm, kdf.IterationCount, len(kdf.Salt))
	}
	if strings.Contains(string(data), "correct horse") {
		t.Fatal("passphrase in the output")
	}

	got, err := ParseKeyPEM(data, pass("correct horse"))
	if err != nil {
		t.Fatal(err)
	}
	if !publicKeysEqual(got.Public(), key.Public()) {
		t.Fatal("decrypted a different key")
	}
	if _, err := ParseKeyPEM(data, pass("wrong horse")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := ParseKeyPEM(data, nil); !errors.Is(err, ErrPassphraseRequired) {
		t.Fatalf("no passphrase func: %v", err)
	}
	askErr := errors.New("user pressed ctrl-c")
	if _, err := ParseKeyPEM(data, func() (string, error) { return "", askErr }); !errors.Is(err, askErr) {
		t.Fatalf("asking failed: %v", err)
	}
	if _, err := EncryptKeyPEM(key, ""); err == nil {
		t.Fatal("empty passphrase accepted")
	}
}

func TestEncryptedKeyEveryType(t *testing.T) {
	for kt, key := range fastKeys(t) {
		data, err := encryptKeyPEM(key, "pw", 1000)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseKeyPEM(data, pass("pw"))
		if err != nil || !publicKeysEqual(got.Public(), key.Public()) {
			t.Errorf("%s: %v", kt, err)
		}
	}
}

func TestParseLegacyEncrypted(t *testing.T) {
	for name, key := range map[string]crypto.Signer{"rsa": mustRSA(t, 2048), "ec": testKey(t)} {
		var typ string
		var der []byte
		switch k := key.(type) {
		case *rsa.PrivateKey:
			typ, der = "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)
		case *ecdsa.PrivateKey:
			typ = "EC PRIVATE KEY"
			der, _ = x509.MarshalECPrivateKey(k)
		}
		//lint:ignore SA1019 the test builds the legacy form OpenSSL 1.1 writes, to check we read it.
		block, err := x509.EncryptPEMBlock(randReader{}, typ, der, []byte("pw"), x509.PEMCipherAES256)
		if err != nil {
			t.Fatal(err)
		}
		data := pem.EncodeToMemory(block)
		got, err := ParseKeyPEM(data, pass("pw"))
		if err != nil || !publicKeysEqual(got.Public(), key.Public()) {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := ParseKeyPEM(data, pass("nope")); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("%s wrong passphrase: %v", name, err)
		}
		if _, err := ParseKeyPEM(data, nil); !errors.Is(err, ErrPassphraseRequired) {
			t.Errorf("%s without passphrase: %v", name, err)
		}
	}
}

func TestParseKeyPEMErrors(t *testing.T) {
	ca := testCA(t)
	unsupported := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: mustMarshal(t, encryptedPrivateKeyInfo{
		Algorithm:     pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}},
		EncryptedData: make([]byte, 16),
	})})
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "no PEM data"},
		{"text", "hello", "no PEM data"},
		{"cert", string(EncodeCert(ca.Cert)), "certificate, not a private key"},
		{"csr", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n", "no private key"},
		{"damaged", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "damaged"},
		{"damaged encrypted", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "damaged"},
		{"PKCS#12 PBE", string(unsupported), "not supported"},
		{"ssh key", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "SSH key"},
	}
	for _, tt := range tests {
		_, err := ParseKeyPEM([]byte(tt.data), noPassphrase)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestParseCertPEM(t *testing.T) {
	ca := testCA(t)
	key, _ := EncodeKey(testKey(t))
	// A key first, then the certificate: the certificate is found.
	got, err := ParseCertPEM(append(key, EncodeCert(ca.Cert)...))
	if err != nil || !got.Equal(ca.Cert) {
		t.Fatalf("ParseCertPEM: %v", err)
	}
	for data, want := range map[string]string{
		"":          "no PEM data",
		string(key): "no certificate",
		"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n": "sign it with the CA first",
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n":                 "damaged",
	} {
		if _, err := ParseCertPEM([]byte(data)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCertPEM(%.30q) = %v; want %q", data, err, want)
		}
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
