package probe

import (
	"crypto/tls"
	"crypto/x509"
	"time"
)

// TLSInfo describes the handshake of the mutual-TLS call.
type TLSInfo struct {
	Version       string        // "TLS 1.3"
	CipherSuite   string        // "TLS_AES_128_GCM_SHA256"
	ServerSubject string        // the daemon certificate's subject: CN=node3
	ServerIssuer  string        // its CA's subject
	SANs          []string      // DNS names and IPs the daemon certificate is valid for
	NotAfter      time.Time     // when the daemon certificate expires
	DaysLeft      int           // whole days until NotAfter, from Target.Now
	ExpiresIn     time.Duration // NotAfter minus Target.Now
	CertRequested bool          // the daemon asked for a client certificate (false: tlsverify is off)
	AcceptableCAs []string      // the CAs the daemon accepts client certificates from
	ClientSubject string        // the client certificate sent, if any
}

func tlsInfo(cs tls.ConnectionState, s *session, now time.Time, client *x509.Certificate) *TLSInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := &TLSInfo{
		Version:       tls.VersionName(cs.Version),
		CipherSuite:   tls.CipherSuiteName(cs.CipherSuite),
		CertRequested: s.certRequested,
	}
	if s.sentCert && client != nil {
		info.ClientSubject = client.Subject.String()
	}
	for _, dn := range s.acceptableCAs {
		info.AcceptableCAs = append(info.AcceptableCAs, rawDNName(dn))
	}
	if len(cs.PeerCertificates) > 0 {
		leaf := cs.PeerCertificates[0]
		info.ServerSubject = leaf.Subject.String()
		info.ServerIssuer = leaf.Issuer.String()
		info.SANs = sanList(leaf)
		info.NotAfter = leaf.NotAfter
		info.ExpiresIn = leaf.NotAfter.Sub(now)
		info.DaysLeft = int(info.ExpiresIn.Hours() / 24)
	}
	return info
}
