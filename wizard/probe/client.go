package probe

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
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
func loadClientFiles(caPEM, certPEM, keyPEM []byte) (*clientFiles, *Explanation) {
	cf := &clientFiles{roots: x509.NewCertPool()}
	if len(strings.TrimSpace(string(caPEM))) == 0 {
		return nil, explanation(CodeClientCAMissing,
			"There is no CA certificate (ca.pem) on the client side, so the daemon's certificate cannot be checked. Without it the connection would trust anyone who answers on that address.",
			"Copy the CA's ca.pem next to the client certificate (dockertls apply -f PLAN --step distribute), or point DOCKER_CERT_PATH at the directory that holds it.")
	}
	cas, err := parseCerts(caPEM)
	if err != nil || len(cas) == 0 {
		return nil, explanation(CodeClientCAInvalid,
			"The client's ca.pem does not contain a readable PEM certificate"+suffix(err)+".",
			"Replace it with the CA certificate (the file that starts with -----BEGIN CERTIFICATE-----), e.g. by re-running dockertls apply -f PLAN --step distribute.")
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
		return nil, explanation(CodeClientCertInvalid,
			"The client certificate (cert.pem) is not a readable PEM certificate"+suffix(err)+".",
			"Re-issue the client certificate: dockertls apply -f PLAN --step client-cert.")
	}
	cf.leaf = certs[0]
	if encryptedPEM(keyPEM) {
		return nil, explanation(CodeClientKeyEncrypted,
			"The client's private key (key.pem) is encrypted with a passphrase. The docker CLI cannot use encrypted client keys (only the CA key may be encrypted).",
			"Write the key without a passphrase (openssl pkey -in key.pem -out key.pem.new && mv key.pem.new key.pem, then chmod 600 key.pem), or re-issue it with dockertls apply -f PLAN --step client-cert.")
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		if strings.Contains(err.Error(), "does not match") {
			e := explanation(CodeClientKeyMismatch,
				"The client's private key (key.pem) does not belong to its certificate (cert.pem): the two files come from different certificates, so the TLS handshake cannot prove who you are.",
				"Put the key that was created together with cert.pem next to it, or re-issue both: dockertls apply -f PLAN --step client-cert.")
			e.Evidence = append(e.Evidence, "the client reports: "+err.Error())
			return nil, e
		}
		return nil, explanation(CodeClientCertInvalid,
			"The client certificate and key cannot be used together"+suffix(err)+".",
			"Re-issue them: dockertls apply -f PLAN --step client-cert.")
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
