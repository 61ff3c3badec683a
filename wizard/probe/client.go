package probe

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// clientFiles is the client's ca.pem, cert.pem and key.pem, parsed. A missing
// cert or key is not fatal here: the docker CLI silently connects without a
// client certificate in that case, and so do we, to learn what the daemon says.
type clientFiles struct {
	roots  *x509.CertPool
	caPEM  []*x509.Certificate // the CAs in ca.pem, used to verify the daemon
	pair   *tls.Certificate    // nil: no client certificate will be sent
	leaf   *x509.Certificate   // the parsed client certificate, when there is one
	noCert bool                // cert.pem or key.pem was empty
}

// loadClientFiles parses the client side's PEM files. The error is an
// *Explanation ready for the report.
func loadClientFiles(l *i18n.Localizer, caPEM, certPEM, keyPEM []byte) (*clientFiles, *Explanation) {
	cf := &clientFiles{roots: x509.NewCertPool()}
	if len(strings.TrimSpace(string(caPEM))) == 0 {
		return nil, explanation(CodeClientCAMissing, l.T("probe.client_ca_missing.cause"), l.T("probe.client_ca_missing.fix"))
	}
	cas, err := parseCerts(caPEM)
	if err != nil || len(cas) == 0 {
		return nil, explanation(CodeClientCAInvalid, l.T("probe.client_ca_invalid.cause", "Err", suffix(err)), l.T("probe.client_ca_invalid.fix"))
	}
	for _, c := range cas {
		cf.roots.AddCert(c)
	}
	cf.caPEM = cas

	if len(strings.TrimSpace(string(certPEM))) == 0 || len(strings.TrimSpace(string(keyPEM))) == 0 {
		cf.noCert = true
		return cf, nil
	}
	certs, err := parseCerts(certPEM)
	if err != nil || len(certs) == 0 {
		return nil, explanation(CodeClientCertInvalid, l.T("probe.client_cert_unreadable.cause", "Err", suffix(err)), l.T("probe.client_cert_unreadable.fix"))
	}
	cf.leaf = certs[0]
	if encryptedPEM(keyPEM) {
		return nil, explanation(CodeClientKeyEncrypted, l.T("probe.client_key_encrypted.cause"), l.T("probe.client_key_encrypted.fix"))
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		if strings.Contains(err.Error(), "does not match") {
			e := explanation(CodeClientKeyMismatch, l.T("probe.client_key_mismatch.cause"), l.T("probe.client_key_mismatch.fix"))
			e.Evidence = append(e.Evidence, l.T("probe.evidence.client_reports", "Err", err.Error()))
			return nil, e
		}
		return nil, explanation(CodeClientCertInvalid, l.T("probe.client_pair_invalid.cause", "Err", suffix(err)), l.T("probe.client_pair_invalid.fix"))
	}
	cf.pair = &pair
	return cf, nil
}

// parseCerts reads every CERTIFICATE block.
func parseCerts(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("no CERTIFICATE block found")
	}
	return out, nil
}

// encryptedPEM reports whether a key file is passphrase-protected, in either
// the PKCS#8 or the legacy Proc-Type form.
func encryptedPEM(data []byte) bool {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return false
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED") {
			return true
		}
	}
}

func suffix(err error) string {
	if err == nil {
		return ""
	}
	return " (" + err.Error() + ")"
}
