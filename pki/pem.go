package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/dockertls/dockertls/internal/i18n"
)

// ErrWrongPassphrase is returned (wrapped) when an encrypted key does not
// decrypt with the passphrase given.
var ErrWrongPassphrase = i18n.Errorf("pki.key.wrong_passphrase")

// ErrPassphraseRequired is returned (wrapped) when a key is encrypted and no
// way to ask for the passphrase was given.
var ErrPassphraseRequired = i18n.Errorf("pki.key.passphrase_required")

// PEM block types.
const (
	pemCertificate   = "CERTIFICATE"
	pemPrivateKey    = "PRIVATE KEY"
	pemEncryptedKey  = "ENCRYPTED PRIVATE KEY"
	pemRSAPrivateKey = "RSA PRIVATE KEY"
	pemECPrivateKey  = "EC PRIVATE KEY"
)

// EncodeCert returns the certificate in PEM, as ca.pem and the cert files hold it.
func EncodeCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: pemCertificate, Bytes: c.Raw})
}

// EncodeKey returns the private key as unencrypted PKCS#8 PEM ("BEGIN PRIVATE
// KEY"), what OpenSSL 3's genrsa writes and what dockerd and the docker CLI
// read for every key type (Ed25519 has no PKCS#1/SEC1 form).
func EncodeKey(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, i18n.Errorf("pki.key.encode", "Err", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), nil
}

// ParseCertPEM reads the first certificate of a PEM file.
func ParseCertPEM(data []byte) (*x509.Certificate, error) {
	rest := data
	sawPEM, sawCSR := false, false
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		sawPEM = true
		if block.Type == "CERTIFICATE REQUEST" || block.Type == "NEW CERTIFICATE REQUEST" {
			sawCSR = true
		}
		if block.Type != pemCertificate {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, i18n.Errorf("pki.cert.damaged", "Err", err)
		}
		return cert, nil
	}
	if sawCSR {
		return nil, i18n.Errorf("pki.cert.is_csr")
	}
	if sawPEM {
		return nil, i18n.Errorf("pki.cert.none_in_pem")
	}
	return nil, i18n.Errorf("pki.cert.no_pem")
}

// ParseKeyPEM reads the first private key of a PEM file: unencrypted PKCS#1,
// PKCS#8 or SEC1; encrypted PKCS#8 (PBES2, what OpenSSL 3 writes); or the
// legacy "Proc-Type: 4,ENCRYPTED" form (OpenSSL 1.1, -traditional).
// passphrase is called only when the key is encrypted; nil means there is
// nobody to ask (ErrPassphraseRequired). A wrong passphrase gives an error
// wrapping ErrWrongPassphrase.
func ParseKeyPEM(data []byte, passphrase func() (string, error)) (crypto.Signer, error) {
	return parseKeyPEM(data, passphrase, maxPBKDF2Iterations)
}

// parseKeyPEM is ParseKeyPEM with a bound on PBKDF2 iterations (the fuzz
// target lowers it so each input stays fast).
func parseKeyPEM(data []byte, passphrase func() (string, error), maxIterations int) (crypto.Signer, error) {
	rest := data
	sawPEM, sawCert := false, false
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		sawPEM = true
		switch block.Type {
		case pemPrivateKey, pemRSAPrivateKey, pemECPrivateKey, pemEncryptedKey:
			return parseKeyBlock(block, passphrase, maxIterations)
		case pemCertificate:
			sawCert = true
		case "OPENSSH PRIVATE KEY":
			return nil, i18n.Errorf("pki.key.is_ssh")
		}
	}
	switch {
	case sawCert:
		return nil, i18n.Errorf("pki.key.is_cert")
	case sawPEM:
		return nil, i18n.Errorf("pki.key.none_in_pem")
	}
	return nil, i18n.Errorf("pki.key.no_pem")
}

func parseKeyBlock(block *pem.Block, passphrase func() (string, error), maxIterations int) (crypto.Signer, error) {
	der := block.Bytes
	//lint:ignore SA1019 the legacy Proc-Type form is insecure, but OpenSSL 1.1 and -traditional write it and users import such CAs; we only read it.
	if x509.IsEncryptedPEMBlock(block) {
		pw, err := askPassphrase(passphrase)
		if err != nil {
			return nil, err
		}
		//lint:ignore SA1019 reading (never writing) legacy encrypted keys that OpenSSL 1.1 and genrsa -traditional produce.
		der, err = x509.DecryptPEMBlock(block, []byte(pw))
		if err != nil {
			if errors.Is(err, x509.IncorrectPasswordError) {
				return nil, ErrWrongPassphrase
			}
			return nil, i18n.Errorf("pki.key.legacy_decrypt", "Err", err)
		}
		key, err := parseKeyDER(block.Type, der)
		if err != nil {
			// CBC padding matched by chance: the passphrase was still wrong.
			return nil, ErrWrongPassphrase
		}
		return key, nil
	}
	if block.Type == pemEncryptedKey {
		return decryptPKCS8(der, passphrase, maxIterations)
	}
	return parseKeyDER(block.Type, der)
}

func askPassphrase(passphrase func() (string, error)) (string, error) {
	if passphrase == nil {
		return "", ErrPassphraseRequired
	}
	pw, err := passphrase()
	if err != nil {
		return "", i18n.Errorf("pki.key.ask_passphrase", "Err", err)
	}
	return pw, nil
}

// parseKeyDER reads an unencrypted key, trying the form the PEM type names
// first and then the others (files are sometimes mislabelled).
func parseKeyDER(pemType string, der []byte) (crypto.Signer, error) {
	var parsers []func([]byte) (any, error)
	pkcs1 := func(b []byte) (any, error) { return x509.ParsePKCS1PrivateKey(b) }
	sec1 := func(b []byte) (any, error) { return x509.ParseECPrivateKey(b) }
	switch pemType {
	case pemRSAPrivateKey:
		parsers = []func([]byte) (any, error){pkcs1, x509.ParsePKCS8PrivateKey, sec1}
	case pemECPrivateKey:
		parsers = []func([]byte) (any, error){sec1, x509.ParsePKCS8PrivateKey, pkcs1}
	default:
		parsers = []func([]byte) (any, error){x509.ParsePKCS8PrivateKey, pkcs1, sec1}
	}
	var firstErr error
	for _, p := range parsers {
		key, err := p(der)
		if err == nil {
			return asSigner(key)
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, i18n.Errorf("pki.key.block_damaged", "Type", pemType, "Err", firstErr)
}

func asSigner(key any) (crypto.Signer, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	}
	return nil, i18n.Errorf("pki.key.unsupported", "Type", fmt.Sprintf("%T", key))
}
