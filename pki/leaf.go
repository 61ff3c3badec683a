package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"strconv"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
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
		return nil, i18n.Errorf("pki.leaf.daemon_names", "Err", err)
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
		return nil, i18n.Errorf("pki.leaf.client_no_cn")
	}
	var sans SANs
	if len(o.SANs) > 0 {
		var err error
		if sans, err = ParseSANs(o.SANs, o.AllowWildcard); err != nil {
			return nil, i18n.Errorf("pki.leaf.client_names", "Err", err)
		}
	}
	return ca.issue(o, cn, sans, x509.ExtKeyUsageClientAuth)
}

func (ca *CA) issue(o LeafOptions, cn string, sans SANs, eku x509.ExtKeyUsage) (*x509.Certificate, error) {
	if ca == nil || ca.Cert == nil || ca.Key == nil {
		return nil, i18n.Errorf("pki.leaf.no_ca")
	}
	if o.Key == nil {
		return nil, i18n.Errorf("pki.leaf.no_key")
	}
	if !publicKeysEqual(ca.Cert.PublicKey, ca.Key.Public()) {
		return nil, i18n.Errorf("pki.leaf.ca_key_mismatch")
	}
	days, err := resolveDays(o.Days)
	if err != nil {
		return nil, i18n.Errorf("pki.leaf.validity", "Err", err)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	if now.After(ca.Cert.NotAfter) {
		// Everything it signed would be refused at once.
		return nil, i18n.Errorf("pki.leaf.ca_expired", "CN", strconv.Quote(ca.Cert.Subject.CommonName), "Date", ca.Cert.NotAfter.UTC().Format(time.DateOnly))
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
		return nil, i18n.Errorf("pki.leaf.sign", "CN", cn, "Err", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, i18n.Errorf("pki.leaf.read_back", "CN", cn, "Err", err)
	}
	return cert, nil
}
