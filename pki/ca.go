package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
)

// CA is a certificate authority: its certificate and private key.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// CAOptions describe a new CA.
type CAOptions struct {
	CommonName string        // required, e.g. "Docker TLS CA"
	Key        crypto.Signer // nil: a new DefaultKeyType key
	Days       int           // 0: DefaultDays
	Now        time.Time     // zero: time.Now(); tests set it to build expired CAs
}

// NewCA makes a self-signed CA: CA:TRUE with path length 0 (it signs only
// leaves), keyCertSign + cRLSign, a SubjectKeyId, a random 128-bit serial and
// NotBefore set back 5 minutes for clock skew.
func NewCA(o CAOptions) (*CA, error) {
	cn := strings.TrimSpace(o.CommonName)
	if cn == "" {
		return nil, i18n.Errorf("pki.ca.no_cn")
	}
	days, err := resolveDays(o.Days)
	if err != nil {
		return nil, i18n.Errorf("pki.ca.validity", "Err", err)
	}
	key := o.Key
	if key == nil {
		if key, err = GenerateKey(DefaultKeyType); err != nil {
			return nil, err
		}
	}
	ski, err := subjectKeyID(key.Public())
	if err != nil {
		return nil, err
	}
	serial, err := newSerial()
	if err != nil {
		return nil, err
	}
	notBefore, notAfter := validity(o.Now, days)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLen:            0,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		SubjectKeyId:          ski,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, i18n.Errorf("pki.ca.create", "Err", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, i18n.Errorf("pki.ca.read_back", "Err", err)
	}
	return &CA{Cert: cert, Key: key}, nil
}

func resolveDays(days int) (int, error) {
	if days == 0 {
		return DefaultDays, nil
	}
	if _, err := CheckDays(days); err != nil {
		return 0, err
	}
	return days, nil
}

func validity(now time.Time, days int) (time.Time, time.Time) {
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Second)
	return now.Add(-defaultBackdate * time.Minute), now.Add(time.Duration(days) * 24 * time.Hour)
}

// newSerial returns a random positive serial of 128 bits (at most), as
// mkcert and docker-machine use.
func newSerial() (*big.Int, error) {
	limit := new(big.Int).Lsh(big.NewInt(1), 128)
	for {
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return nil, i18n.Errorf("pki.serial.random", "Err", err)
		}
		if n.Sign() > 0 {
			return n, nil
		}
	}
}

// subjectKeyID is the SHA-256 of the subjectPublicKey bits, truncated to
// 160 bits (RFC 7093 method 1), so no SHA-1 is involved.
func subjectKeyID(pub crypto.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, i18n.Errorf("pki.pubkey.encode", "Err", err)
	}
	var spki struct {
		Algorithm        pkix.AlgorithmIdentifier
		SubjectPublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil, i18n.Errorf("pki.pubkey.read", "Err", err)
	}
	sum := sha256.Sum256(spki.SubjectPublicKey.Bytes)
	return sum[:20], nil
}

// RenewCA makes a new self-signed certificate for the same key and name, so
// every certificate the old CA issued verifies under the new one (same
// subject, same SubjectKeyId). Use it when the CA expired or expires soon;
// the new ca.pem must then be distributed again.
func RenewCA(ca *CA, days int) (*CA, error) {
	if ca == nil || ca.Cert == nil || ca.Key == nil {
		return nil, i18n.Errorf("pki.ca.renew_none")
	}
	if !publicKeysEqual(ca.Cert.PublicKey, ca.Key.Public()) {
		return nil, i18n.Errorf("pki.ca.renew_mismatch")
	}
	return NewCA(CAOptions{CommonName: ca.Cert.Subject.CommonName, Key: ca.Key, Days: days})
}
