package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/parallel"
)

// KeyType names a key algorithm and size as the plan file spells it.
type KeyType string

const (
	RSA2048   KeyType = "rsa-2048"
	RSA3072   KeyType = "rsa-3072"
	RSA4096   KeyType = "rsa-4096"
	ECDSAP256 KeyType = "ecdsa-p256"
	ECDSAP384 KeyType = "ecdsa-p384"
	Ed25519   KeyType = "ed25519"
)

// DefaultKeyType is what the tutorials use (openssl genrsa 4096).
const DefaultKeyType KeyType = RSA4096

// KeyTypes lists every supported key type, the default first.
func KeyTypes() []KeyType {
	return []KeyType{RSA4096, RSA3072, RSA2048, ECDSAP256, ECDSAP384, Ed25519}
}

func keyTypeList() string {
	names := make([]string, 0, 6)
	for _, t := range KeyTypes() {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}

// ParseKeyType reads a key type as typed by a user ("RSA-4096", " ed25519 ").
// An empty string means DefaultKeyType.
func ParseKeyType(s string) (KeyType, error) {
	norm := strings.ToLower(strings.TrimSpace(s))
	if norm == "" {
		return DefaultKeyType, nil
	}
	for _, t := range KeyTypes() {
		if string(t) == norm {
			return t, nil
		}
	}
	if bits, ok := strings.CutPrefix(strings.ReplaceAll(norm, "-", ""), "rsa"); ok {
		switch bits {
		case "512", "768", "1024", "1536":
			return "", i18n.Errorf("pki.keytype.refused", "Type", echo.Value(s), "Allowed", keyTypeList())
		}
	}
	return "", i18n.Errorf("pki.keytype.unknown", "Type", echo.Value(s), "Allowed", keyTypeList())
}

// GenerateKey makes a new private key of type t.
func GenerateKey(t KeyType) (crypto.Signer, error) {
	var (
		key crypto.Signer
		err error
	)
	switch t {
	case RSA2048:
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	case RSA3072:
		key, err = rsa.GenerateKey(rand.Reader, 3072)
	case RSA4096:
		key, err = rsa.GenerateKey(rand.Reader, 4096)
	case ECDSAP256:
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case ECDSAP384:
		key, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case Ed25519:
		_, key, err = ed25519.GenerateKey(rand.Reader)
	default:
		_, perr := ParseKeyType(string(t))
		if perr == nil {
			perr = i18n.Errorf("pki.keytype.unknown_short", "Type", echo.Value(string(t)))
		}
		return nil, perr
	}
	if err != nil {
		return nil, i18n.Errorf("pki.keytype.generate", "Type", string(t), "Err", err)
	}
	return key, nil
}

// GenerateKeys makes one key per type, as many at once as there are cores
// (RSA-4096 generation is slow and each key uses one core; more at once
// only adds memory), and returns them in the order asked.
func GenerateKeys(types ...KeyType) ([]crypto.Signer, error) {
	keys := make([]crypto.Signer, len(types))
	errs := make([]error, len(types))
	parallel.Each(0, len(types), func(i int) { keys[i], errs[i] = GenerateKey(types[i]) })
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// KeyTypeOf tells the KeyType of a public or private key, and the key size
// in bits. It returns "" for keys this package does not make (RSA of other
// sizes still reports its bits).
func KeyTypeOf(key any) (KeyType, int) {
	if s, ok := key.(crypto.Signer); ok {
		key = s.Public()
	}
	switch k := key.(type) {
	case *rsa.PublicKey:
		bits := k.N.BitLen()
		switch bits {
		case 2048:
			return RSA2048, bits
		case 3072:
			return RSA3072, bits
		case 4096:
			return RSA4096, bits
		}
		return "", bits
	case *ecdsa.PublicKey:
		bits := k.Curve.Params().BitSize
		switch bits {
		case 256:
			return ECDSAP256, bits
		case 384:
			return ECDSAP384, bits
		}
		return "", bits
	case ed25519.PublicKey:
		return Ed25519, 256
	}
	return "", 0
}

// describeKey says "RSA 4096", "ECDSA P-256", "Ed25519" for messages.
func describeKey(pub any) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return fmt.Sprintf("%T", pub)
}

// isRSA reports whether a signer holds an RSA key (leaves then also get
// keyEncipherment, which RSA key exchange needs).
func isRSA(key crypto.Signer) bool {
	_, ok := key.Public().(*rsa.PublicKey)
	return ok
}

// publicKeysEqual compares two public keys of any supported type.
func publicKeysEqual(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}
