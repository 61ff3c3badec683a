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
)

// ErrWrongPassphrase is returned (wrapped) when an encrypted key does not
// decrypt with the passphrase given.
var ErrWrongPassphrase = errors.New("wrong passphrase")

// ErrPassphraseRequired is returned (wrapped) when a key is encrypted and no
// way to ask for the passphrase was given.
var ErrPassphraseRequired = errors.New("the key is encrypted and needs a passphrase")

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
		return nil, fmt.Errorf("encode the private key: %w", err)
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
			return nil, fmt.Errorf("the certificate is damaged: %w", err)
		}
		return cert, nil
	}
	if sawCSR {
		return nil, errors.New("this is a certificate request (CSR), not a certificate: sign it with the CA first")
	}
	if sawPEM {
		return nil, errors.New("no certificate in this PEM file (no BEGIN CERTIFICATE block): is it a key?")
	}
	return nil, errors.New("no PEM data: a certificate file starts with -----BEGIN CERTIFICATE-----")
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
			return nil, errors.New("this is an SSH key (ssh-keygen), not a TLS key: use the key made with the certificate (*-key.pem)")
		}
	}
	switch {
	case sawCert:
		return nil, errors.New("this is a certificate, not a private key: pick the matching *-key.pem file")
	case sawPEM:
		return nil, errors.New("no private key in this PEM file: a key starts with -----BEGIN PRIVATE KEY----- (or RSA/EC/ENCRYPTED PRIVATE KEY)")
	}
	return nil, errors.New("no PEM data: a key file starts with -----BEGIN PRIVATE KEY-----")
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
			return nil, fmt.Errorf("decrypt the legacy-encrypted key: %w", err)
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
		return "", fmt.Errorf("ask for the passphrase: %w", err)
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
	return nil, fmt.Errorf("the %s block is damaged or of an unknown kind: %w", pemType, firstErr)
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
	return nil, fmt.Errorf("keys of type %T are not supported: use RSA, ECDSA or Ed25519", key)
}
