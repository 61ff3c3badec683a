package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"strings"
	"time"
)

// LeafOptions describe a daemon or client certificate.
type LeafOptions struct {
	CommonName    string        // daemon: defaults to the first DNS name; client: required
	SANs          []string      // daemon: required (host names and IPs clients dial); client: optional
	AllowWildcard bool          // allow *.example.com in SANs
	Days          int           // 0: DefaultDays
	Key           crypto.Signer // required: the leaf's private key (GenerateKey)
	Now           time.Time     // zero: time.Now(); tests set it to build expired certificates
}

// IssueDaemon signs a daemon (server) certificate: EKU serverAuth, the SANs
// clients dial, CN defaulting to the first DNS name.
func (ca *CA) IssueDaemon(o LeafOptions) (*x509.Certificate, error) {
	sans, err := ParseSANs(o.SANs, o.AllowWildcard)
	if err != nil {
		return nil, fmt.Errorf("daemon certificate names: %w", err)
	}
	cn := strings.TrimSpace(o.CommonName)
	if cn == "" {
		if len(sans.DNS) > 0 {
			cn = sans.DNS[0]
		} else {
			cn = sans.IPs[0].String()
		}
	}
	return ca.issue(o, cn, sans, x509.ExtKeyUsageServerAuth)
}

// IssueClient signs a client certificate: EKU clientAuth, CN required.
func (ca *CA) IssueClient(o LeafOptions) (*x509.Certificate, error) {
	cn := strings.TrimSpace(o.CommonName)
	if cn == "" {
		return nil, fmt.Errorf("the client certificate needs a common name: type who it is for, such as client or alice")
	}
	var sans SANs
	if len(o.SANs) > 0 {
		var err error
		if sans, err = ParseSANs(o.SANs, o.AllowWildcard); err != nil {
			return nil, fmt.Errorf("client certificate names: %w", err)
		}
	}
	return ca.issue(o, cn, sans, x509.ExtKeyUsageClientAuth)
}

func (ca *CA) issue(o LeafOptions, cn string, sans SANs, eku x509.ExtKeyUsage) (*x509.Certificate, error) {
	if ca == nil || ca.Cert == nil || ca.Key == nil {
		return nil, errors.New("no CA loaded: create or import the CA first (step ca)")
	}
	if o.Key == nil {
		return nil, errors.New("no key for the certificate: generate one first (pki.GenerateKey)")
	}
	if !publicKeysEqual(ca.Cert.PublicKey, ca.Key.Public()) {
		return nil, errors.New("the CA key does not belong to the CA certificate: check that ca-key.pem and ca.pem were made together")
	}
	days, err := resolveDays(o.Days)
	if err != nil {
		return nil, fmt.Errorf("certificate validity: %w", err)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	if now.After(ca.Cert.NotAfter) {
		// Everything it signed would be refused at once.
		return nil, fmt.Errorf("the CA %q expired on %s: renew it first (step ca), then issue the certificates again", ca.Cert.Subject.CommonName, ca.Cert.NotAfter.UTC().Format(time.DateOnly))
	}
	serial, err := newSerial()
	if err != nil {
		return nil, err
	}
	ski, err := subjectKeyID(o.Key.Public())
	if err != nil {
		return nil, err
	}
	usage := x509.KeyUsageDigitalSignature
	if isRSA(o.Key) {
		usage |= x509.KeyUsageKeyEncipherment
	}
	notBefore, notAfter := validity(now, days)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              usage,
		ExtKeyUsage:           []x509.ExtKeyUsage{eku},
		BasicConstraintsValid: true,
		DNSNames:              sans.DNS,
		IPAddresses:           sans.IPs,
		SubjectKeyId:          ski,
		AuthorityKeyId:        ca.Cert.SubjectKeyId,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, o.Key.Public(), ca.Key)
	if err != nil {
		return nil, fmt.Errorf("sign the certificate for %s: %w", cn, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("read back the certificate for %s: %w", cn, err)
	}
	return cert, nil
}
