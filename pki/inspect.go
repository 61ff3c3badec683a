package pki

import (
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"math"
	"strings"
	"time"
)

// Summary is what a user wants to know about a certificate, as a short text
// (String) and as JSON (doctor --json, inspect --json).
type Summary struct {
	Subject     string    `json:"subject"`
	Issuer      string    `json:"issuer"`
	SelfSigned  bool      `json:"self_signed"`
	Serial      string    `json:"serial"`
	DNSNames    []string  `json:"dns_names,omitempty"`
	IPAddresses []string  `json:"ip_addresses,omitempty"`
	KeyType     KeyType   `json:"key_type,omitempty"`
	KeyAlgo     string    `json:"key_algorithm"`
	KeyBits     int       `json:"key_bits"`
	Signature   string    `json:"signature_algorithm"`
	ExtKeyUsage []string  `json:"ext_key_usage,omitempty"`
	KeyUsage    []string  `json:"key_usage,omitempty"`
	IsCA        bool      `json:"is_ca"`
	NotBefore   time.Time `json:"not_before"`
	NotAfter    time.Time `json:"not_after"`
	DaysLeft    int       `json:"days_left"`
	Expired     bool      `json:"expired"`
	NotYetValid bool      `json:"not_yet_valid"`
	SHA256      string    `json:"sha256_fingerprint"`
}

// Inspect summarizes a certificate as of now.
func Inspect(c *x509.Certificate, now time.Time) Summary {
	if now.IsZero() {
		now = time.Now()
	}
	kt, bits := KeyTypeOf(c.PublicKey)
	s := Summary{
		Subject:     nameOf(c.Subject.CommonName, c.Subject.String()),
		Issuer:      nameOf(c.Issuer.CommonName, c.Issuer.String()),
		SelfSigned:  string(c.RawIssuer) == string(c.RawSubject),
		Serial:      colonHex(c.SerialNumber.Bytes()),
		DNSNames:    c.DNSNames,
		KeyType:     kt,
		KeyAlgo:     describeKey(c.PublicKey),
		KeyBits:     bits,
		Signature:   c.SignatureAlgorithm.String(),
		ExtKeyUsage: extKeyUsageNames(c),
		KeyUsage:    keyUsageNames(c.KeyUsage),
		IsCA:        c.BasicConstraintsValid && c.IsCA,
		NotBefore:   c.NotBefore.UTC(),
		NotAfter:    c.NotAfter.UTC(),
		DaysLeft:    daysLeft(c.NotAfter, now),
		Expired:     now.After(c.NotAfter),
		NotYetValid: now.Before(c.NotBefore),
	}
	for _, ip := range c.IPAddresses {
		s.IPAddresses = append(s.IPAddresses, ip.String())
	}
	sum := sha256.Sum256(c.Raw)
	s.SHA256 = colonHex(sum[:])
	return s
}

// Fingerprint returns the certificate's SHA-256 fingerprint as openssl
// x509 -fingerprint -sha256 prints it (AB:CD:...).
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return colonHex(sum[:])
}

// String is a short, human summary of a few lines.
func (s Summary) String() string {
	var b strings.Builder
	kind := "certificate"
	if s.IsCA {
		kind = "CA certificate"
	}
	fmt.Fprintf(&b, "%s %q, issued by %q\n", kind, s.Subject, s.Issuer)
	if names := s.names(); names != "" {
		fmt.Fprintf(&b, "  names:    %s\n", names)
	}
	fmt.Fprintf(&b, "  key:      %s, signed with %s\n", s.KeyAlgo, s.Signature)
	if len(s.ExtKeyUsage) > 0 || len(s.KeyUsage) > 0 {
		fmt.Fprintf(&b, "  usage:    %s\n", strings.Join(append(append([]string{}, s.ExtKeyUsage...), s.KeyUsage...), ", "))
	}
	state := fmt.Sprintf("%d days left", s.DaysLeft)
	switch {
	case s.Expired:
		state = fmt.Sprintf("EXPIRED %d days ago", -s.DaysLeft)
	case s.NotYetValid:
		state = "NOT YET VALID"
	}
	fmt.Fprintf(&b, "  valid:    %s to %s (%s)\n", s.NotBefore.Format(time.DateOnly), s.NotAfter.Format(time.DateOnly), state)
	fmt.Fprintf(&b, "  serial:   %s\n", s.Serial)
	fmt.Fprintf(&b, "  sha256:   %s\n", s.SHA256)
	return b.String()
}

func (s Summary) names() string {
	var parts []string
	for _, d := range s.DNSNames {
		parts = append(parts, "DNS:"+d)
	}
	for _, ip := range s.IPAddresses {
		parts = append(parts, "IP:"+ip)
	}
	return strings.Join(parts, ", ")
}

func nameOf(cn, full string) string {
	if cn != "" {
		return cn
	}
	return full
}

// daysLeft rounds down to whole days; negative once expired.
func daysLeft(notAfter, now time.Time) int {
	return int(math.Floor(notAfter.Sub(now).Hours() / 24))
}

func colonHex(b []byte) string {
	if len(b) == 0 {
		return "00"
	}
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02X", x)
	}
	return strings.Join(parts, ":")
}

// extKeyUsageNames uses openssl's short names so the summary matches the
// tutorial's extfile.cnf (serverAuth, clientAuth).
func extKeyUsageNames(c *x509.Certificate) []string {
	var out []string
	for _, u := range c.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageServerAuth:
			out = append(out, "serverAuth")
		case x509.ExtKeyUsageClientAuth:
			out = append(out, "clientAuth")
		case x509.ExtKeyUsageAny:
			out = append(out, "anyExtendedKeyUsage")
		case x509.ExtKeyUsageCodeSigning:
			out = append(out, "codeSigning")
		case x509.ExtKeyUsageEmailProtection:
			out = append(out, "emailProtection")
		case x509.ExtKeyUsageTimeStamping:
			out = append(out, "timeStamping")
		case x509.ExtKeyUsageOCSPSigning:
			out = append(out, "OCSPSigning")
		default:
			out = append(out, fmt.Sprintf("eku-%d", u))
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	return out
}

func keyUsageNames(u x509.KeyUsage) []string {
	names := []struct {
		bit  x509.KeyUsage
		name string
	}{
		{x509.KeyUsageDigitalSignature, "digitalSignature"},
		{x509.KeyUsageContentCommitment, "nonRepudiation"},
		{x509.KeyUsageKeyEncipherment, "keyEncipherment"},
		{x509.KeyUsageDataEncipherment, "dataEncipherment"},
		{x509.KeyUsageKeyAgreement, "keyAgreement"},
		{x509.KeyUsageCertSign, "keyCertSign"},
		{x509.KeyUsageCRLSign, "cRLSign"},
		{x509.KeyUsageEncipherOnly, "encipherOnly"},
		{x509.KeyUsageDecipherOnly, "decipherOnly"},
	}
	var out []string
	for _, n := range names {
		if u&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	return out
}
