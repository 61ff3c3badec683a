package pki

import (
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"hash"

	"github.com/dockertls/dockertls/internal/i18n"
)

// The standard library reads and writes only unencrypted PKCS#8, so the
// PBES2 envelope (RFC 8018) around it is done here with encoding/asn1,
// crypto/pbkdf2 and AES-CBC.

// PBKDF2Iterations is the iteration count EncryptKeyPEM uses (OWASP 2023
// guidance for PBKDF2-HMAC-SHA256).
const PBKDF2Iterations = 600_000

// maxPBKDF2Iterations bounds what we accept when reading, so a crafted file
// cannot make us spin for minutes.
const maxPBKDF2Iterations = 10_000_000

// The OIDs of RFC 8018 and NIST, as functions: a package-level slice could
// be changed by anyone holding it.
func oidPBES2() asn1.ObjectIdentifier      { return asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13} }
func oidPBKDF2() asn1.ObjectIdentifier     { return asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12} }
func oidHMACSHA1() asn1.ObjectIdentifier   { return asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7} }
func oidHMACSHA224() asn1.ObjectIdentifier { return asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8} }
func oidHMACSHA256() asn1.ObjectIdentifier { return asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9} }
func oidHMACSHA384() asn1.ObjectIdentifier { return asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10} }
func oidHMACSHA512() asn1.ObjectIdentifier { return asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11} }
func oidAES128CBC() asn1.ObjectIdentifier {
	return asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
}
func oidAES192CBC() asn1.ObjectIdentifier {
	return asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
}
func oidAES256CBC() asn1.ObjectIdentifier {
	return asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
}
func oidDESEDE3CBC() asn1.ObjectIdentifier { return asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7} }

type encryptedPrivateKeyInfo struct {
	Algorithm     pkix.AlgorithmIdentifier
	EncryptedData []byte
}

type pbes2Params struct {
	KeyDerivationFunc pkix.AlgorithmIdentifier
	EncryptionScheme  pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt           []byte
	IterationCount int
	KeyLength      int                      `asn1:"optional"`
	PRF            pkix.AlgorithmIdentifier `asn1:"optional"`
}

// EncryptKeyPEM returns the key as encrypted PKCS#8 PEM ("BEGIN ENCRYPTED
// PRIVATE KEY"): PBES2 with PBKDF2-HMAC-SHA256 (PBKDF2Iterations) and
// AES-256-CBC, which `openssl pkey -passin` reads.
func EncryptKeyPEM(key crypto.Signer, passphrase string) ([]byte, error) {
	return encryptKeyPEM(key, passphrase, PBKDF2Iterations)
}

// encryptKeyPEM is EncryptKeyPEM with a chosen iteration count (tests and
// fuzz seeds use few iterations to stay fast).
func encryptKeyPEM(key crypto.Signer, passphrase string, iterations int) ([]byte, error) {
	if passphrase == "" {
		return nil, i18n.Errorf("pki.pbes2.empty_passphrase")
	}
	plain, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, i18n.Errorf("pki.key.encode", "Err", err)
	}
	salt := make([]byte, 16)
	iv := make([]byte, aes.BlockSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, i18n.Errorf("pki.pbes2.random_salt", "Err", err)
	}
	if _, err := rand.Read(iv); err != nil {
		return nil, i18n.Errorf("pki.pbes2.random_iv", "Err", err)
	}
	dk, err := pbkdf2.Key(sha256.New, passphrase, salt, iterations, 32)
	if err != nil {
		return nil, i18n.Errorf("pki.pbes2.derive_encrypt", "Err", err)
	}
	block, err := aes.NewCipher(dk)
	if err != nil {
		return nil, err
	}
	padded := pkcs7Pad(plain, aes.BlockSize)
	encrypted := make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(encrypted, padded)

	kdfParams, err := asn1.Marshal(pbkdf2Params{
		Salt:           salt,
		IterationCount: iterations,
		PRF:            pkix.AlgorithmIdentifier{Algorithm: oidHMACSHA256(), Parameters: asn1.NullRawValue},
	})
	if err != nil {
		return nil, err
	}
	ivDER, err := asn1.Marshal(iv)
	if err != nil {
		return nil, err
	}
	params, err := asn1.Marshal(pbes2Params{
		KeyDerivationFunc: pkix.AlgorithmIdentifier{Algorithm: oidPBKDF2(), Parameters: asn1.RawValue{FullBytes: kdfParams}},
		EncryptionScheme:  pkix.AlgorithmIdentifier{Algorithm: oidAES256CBC(), Parameters: asn1.RawValue{FullBytes: ivDER}},
	})
	if err != nil {
		return nil, err
	}
	der, err := asn1.Marshal(encryptedPrivateKeyInfo{
		Algorithm:     pkix.AlgorithmIdentifier{Algorithm: oidPBES2(), Parameters: asn1.RawValue{FullBytes: params}},
		EncryptedData: encrypted,
	})
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemEncryptedKey, Bytes: der}), nil
}

// decryptPKCS8 opens an EncryptedPrivateKeyInfo. The structure is checked
// fully before the passphrase is asked for.
func decryptPKCS8(der []byte, passphrase func() (string, error), maxIterations int) (crypto.Signer, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return nil, i18n.Errorf("pki.pbes2.damaged")
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2()) {
		return nil, i18n.Errorf("pki.pbes2.scheme", "Algorithm", info.Algorithm.Algorithm.String())
	}
	var params pbes2Params
	if rest, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil || len(rest) > 0 {
		return nil, i18n.Errorf("pki.pbes2.params_damaged")
	}
	if !params.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2()) {
		return nil, i18n.Errorf("pki.pbes2.kdf", "Algorithm", params.KeyDerivationFunc.Algorithm.String())
	}
	var kdf pbkdf2Params
	if rest, err := asn1.Unmarshal(params.KeyDerivationFunc.Parameters.FullBytes, &kdf); err != nil || len(rest) > 0 {
		return nil, i18n.Errorf("pki.pbes2.kdf_damaged")
	}
	if kdf.IterationCount < 1 || kdf.IterationCount > maxIterations {
		return nil, i18n.Errorf("pki.pbes2.iterations", "Count", kdf.IterationCount, "Max", maxIterations)
	}
	prf, err := prfHash(kdf.PRF)
	if err != nil {
		return nil, err
	}
	newCipher, keyLen, err := cbcCipher(params.EncryptionScheme.Algorithm)
	if err != nil {
		return nil, err
	}
	if kdf.KeyLength != 0 && kdf.KeyLength != keyLen {
		return nil, i18n.Errorf("pki.pbes2.key_length", "Length", kdf.KeyLength, "Want", keyLen)
	}
	var iv []byte
	if rest, err := asn1.Unmarshal(params.EncryptionScheme.Parameters.FullBytes, &iv); err != nil || len(rest) > 0 {
		return nil, i18n.Errorf("pki.pbes2.iv_damaged")
	}
	pw, err := askPassphrase(passphrase)
	if err != nil {
		return nil, err
	}
	dk, err := pbkdf2.Key(prf, pw, kdf.Salt, kdf.IterationCount, keyLen)
	if err != nil {
		return nil, i18n.Errorf("pki.pbes2.derive_decrypt", "Err", err)
	}
	block, err := newCipher(dk)
	if err != nil {
		return nil, err
	}
	if len(iv) != block.BlockSize() {
		return nil, i18n.Errorf("pki.pbes2.iv_size", "Size", len(iv), "Want", block.BlockSize())
	}
	data := info.EncryptedData
	if len(data) == 0 || len(data)%block.BlockSize() != 0 {
		return nil, i18n.Errorf("pki.pbes2.data_damaged")
	}
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, data)
	plain, ok := pkcs7Unpad(plain, block.BlockSize())
	if !ok {
		return nil, ErrWrongPassphrase
	}
	key, err := x509.ParsePKCS8PrivateKey(plain)
	if err != nil {
		// The padding looked right by chance; the passphrase was still wrong.
		return nil, ErrWrongPassphrase
	}
	return asSigner(key)
}

func prfHash(alg pkix.AlgorithmIdentifier) (func() hash.Hash, error) {
	switch {
	case len(alg.Algorithm) == 0, alg.Algorithm.Equal(oidHMACSHA1()):
		return sha1.New, nil // RFC 8018's default PRF
	case alg.Algorithm.Equal(oidHMACSHA224()):
		return sha256.New224, nil
	case alg.Algorithm.Equal(oidHMACSHA256()):
		return sha256.New, nil
	case alg.Algorithm.Equal(oidHMACSHA384()):
		return sha512.New384, nil
	case alg.Algorithm.Equal(oidHMACSHA512()):
		return sha512.New, nil
	}
	return nil, i18n.Errorf("pki.pbes2.prf", "Algorithm", alg.Algorithm.String())
}

func cbcCipher(oid asn1.ObjectIdentifier) (func([]byte) (cipher.Block, error), int, error) {
	switch {
	case oid.Equal(oidAES128CBC()):
		return aes.NewCipher, 16, nil
	case oid.Equal(oidAES192CBC()):
		return aes.NewCipher, 24, nil
	case oid.Equal(oidAES256CBC()):
		return aes.NewCipher, 32, nil
	case oid.Equal(oidDESEDE3CBC()):
		return des.NewTripleDESCipher, 24, nil
	}
	return nil, 0, i18n.Errorf("pki.pbes2.cipher", "Algorithm", oid.String())
}

func pkcs7Pad(b []byte, size int) []byte {
	n := size - len(b)%size
	out := make([]byte, len(b)+n)
	copy(out, b)
	for i := len(b); i < len(out); i++ {
		out[i] = byte(n)
	}
	return out
}

// pkcs7Unpad checks the padding in constant time over the last block.
func pkcs7Unpad(b []byte, size int) ([]byte, bool) {
	if len(b) == 0 || len(b)%size != 0 {
		return nil, false
	}
	n := int(b[len(b)-1])
	if n == 0 || n > size {
		return nil, false
	}
	want := make([]byte, n)
	for i := range want {
		want[i] = byte(n)
	}
	if subtle.ConstantTimeCompare(b[len(b)-n:], want) != 1 {
		return nil, false
	}
	return b[:len(b)-n], true
}
