package pki

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"strings"
	"testing"
)

func TestParseKeyType(t *testing.T) {
	for in, want := range map[string]KeyType{
		"rsa-4096": RSA4096, " RSA-2048 ": RSA2048, "rsa-3072": RSA3072,
		"ecdsa-p256": ECDSAP256, "ECDSA-P384": ECDSAP384, "ed25519": Ed25519, "": DefaultKeyType,
	} {
		got, err := ParseKeyType(in)
		if err != nil || got != want {
			t.Errorf("ParseKeyType(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"rsa-1024", "RSA1024", "rsa-512"} {
		_, err := ParseKeyType(in)
		if err == nil || !strings.Contains(err.Error(), "below 2048") || !strings.Contains(err.Error(), "rsa-2048") {
			t.Errorf("ParseKeyType(%q) error = %v; want a refusal that says why and what to use", in, err)
		}
	}
	for _, in := range []string{"rsa", "dsa", "ecdsa-p521", "x25519", "rsa-8192"} {
		_, err := ParseKeyType(in)
		if err == nil || !strings.Contains(err.Error(), "ecdsa-p256") || !strings.Contains(err.Error(), "ed25519") {
			t.Errorf("ParseKeyType(%q) error = %v; want one listing the allowed types", in, err)
		}
	}
}

// Every key type, including the slow RSA sizes: the types are the product's
// promise, so each one is generated for real once.
func TestGenerateKeysEveryType(t *testing.T) {
	types := KeyTypes()
	keys, err := GenerateKeys(types...)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != len(types) {
		t.Fatalf("got %d keys for %d types", len(keys), len(types))
	}
	for i, k := range keys {
		got, bits := KeyTypeOf(k)
		if got != types[i] {
			t.Errorf("key %d: type %q (%d bits), want %q: GenerateKeys must keep the order", i, got, bits, types[i])
		}
		switch k.(type) {
		case *rsa.PrivateKey, *ecdsa.PrivateKey, ed25519.PrivateKey:
		default:
			t.Errorf("key %d has type %T", i, k)
		}
	}
	if _, err := GenerateKeys(ECDSAP256, "rsa-1024"); err == nil {
		t.Fatal("GenerateKeys accepted rsa-1024")
	}
	if _, err := GenerateKey("nope"); err == nil || !strings.Contains(err.Error(), "unknown key type") {
		t.Fatalf("GenerateKey(nope) = %v", err)
	}
}

func TestKeyTypeOfPublicKeys(t *testing.T) {
	k := testKey(t)
	if got, bits := KeyTypeOf(k.Public()); got != ECDSAP256 || bits != 256 {
		t.Fatalf("KeyTypeOf(public) = %q %d", got, bits)
	}
	if got, bits := KeyTypeOf(&mustRSA(t, 1024).PublicKey); got != "" || bits != 1024 {
		t.Fatalf("KeyTypeOf(rsa 1024) = %q %d; want \"\" 1024", got, bits)
	}
	if got, _ := KeyTypeOf("not a key"); got != "" {
		t.Fatalf("KeyTypeOf(string) = %q", got)
	}
}
