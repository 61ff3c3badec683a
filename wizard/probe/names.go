package probe

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
)

// certName names a certificate for a person: its CN, else its full subject.
func certName(c *x509.Certificate) string {
	if c == nil {
		return "(none)"
	}
	return nameOf(c.Subject)
}

// issuerName names the CA that signed c.
func issuerName(c *x509.Certificate) string { return nameOf(c.Issuer) }

func nameOf(n pkix.Name) string {
	if n.CommonName != "" {
		return fmt.Sprintf("%q", n.CommonName)
	}
	if s := n.String(); s != "" {
		return fmt.Sprintf("%q", s)
	}
	return "(no name)"
}

// rawDNName names an ASN.1 DER distinguished name, as found in a
// CertificateRequest's list of acceptable CAs.
func rawDNName(der []byte) string {
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(der, &seq); err != nil || len(rest) > 0 {
		return "(unreadable name)"
	}
	var n pkix.Name
	n.FillFromRDNSequence(&seq)
	return nameOf(n)
}

// rawDNNames names each DN, joined with " or ".
func rawDNNames(dns [][]byte) string {
	names := make([]string, 0, len(dns))
	for _, d := range dns {
		names = append(names, rawDNName(d))
	}
	return strings.Join(names, " or ")
}

// issuedByOneOf reports whether c's issuer is among the DER names.
func issuedByOneOf(c *x509.Certificate, dns [][]byte) bool {
	for _, d := range dns {
		if bytes.Equal(c.RawIssuer, d) {
			return true
		}
	}
	return false
}

// sanList lists a certificate's DNS and IP subjectAltNames.
func sanList(c *x509.Certificate) []string {
	var out []string
	out = append(out, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	return out
}

// day formats a date the way the reports show it.
func day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") }

// validity says how a certificate's dates relate to now, in words.
func validity(l *i18n.Localizer, c *x509.Certificate, now time.Time) string {
	switch {
	case now.Before(c.NotBefore):
		return l.T("probe.validity.not_yet", "From", day(c.NotBefore), "Now", day(now))
	case now.After(c.NotAfter):
		return l.T("probe.validity.expired", "Date", day(c.NotAfter))
	default:
		return l.T("probe.validity.valid", "Date", day(c.NotAfter), "Left", int(c.NotAfter.Sub(now).Hours()/24))
	}
}
