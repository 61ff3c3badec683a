package pki

import (
	"crypto"
	"crypto/x509"
	"errors"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
)

// SaveLeaf writes a certificate (0444) and its unencrypted key (0400), and
// records the serial in ca.srl as openssl -CAserial does, all in one commit:
// an existing pair stays in place until the new one replaces it as a pair. The file names are
// the caller's: FileDaemonCert/FileDaemonKey, ClientFiles(name).
func (d *Dir) SaveLeaf(certFile, keyFile string, cert *x509.Certificate, key crypto.Signer) error {
	if cert == nil || key == nil {
		return i18n.Errorf("pki.leaf.save_missing")
	}
	if !publicKeysEqual(cert.PublicKey, key.Public()) {
		return i18n.Errorf("pki.leaf.save_mismatch", "File", certFile)
	}
	keyPEM, err := EncodeKey(key)
	if err != nil {
		return i18n.Errorf("pki.save", "File", keyFile, "Err", err)
	}
	return d.commit(nil,
		fileWrite{d.Path(keyFile), keyPEM, KeyMode},
		fileWrite{d.Path(certFile), EncodeCert(cert), CertMode},
		d.serialFile(cert),
	)
}

// serialFile is ca.srl with the serial in upper-case hex with an even number
// of digits and a newline, exactly as openssl writes it, so the user can go
// on issuing with `openssl x509 -req -CAserial ca.srl`.
func (d *Dir) serialFile(cert *x509.Certificate) fileWrite {
	return fileWrite{d.Path(FileCASerial), []byte(SerialHex(cert) + "\n"), srlMode}
}

// LoadCert reads a certificate file of the directory.
func (d *Dir) LoadCert(name string) (*x509.Certificate, error) {
	data, err := fsread.ReadFile(d.Path(name), fsread.MaxPEM)
	if err != nil {
		return nil, missingHint(i18n.Errorf("pki.leaf.read_cert", "Err", err), i18n.M("pki.hint.issue"))
	}
	cert, err := ParseCertPEM(data)
	if err != nil {
		return nil, i18n.Errorf("pki.read", "File", d.Path(name), "Err", err)
	}
	return cert, nil
}

// LoadKey reads an unencrypted key file of the directory (leaf keys are
// never encrypted: Docker cannot read encrypted ones).
func (d *Dir) LoadKey(name string) (crypto.Signer, error) {
	data, err := fsread.ReadFile(d.Path(name), fsread.MaxPEM)
	if err != nil {
		return nil, missingHint(i18n.Errorf("pki.leaf.read_key", "Err", err), i18n.M("pki.hint.new_key"))
	}
	key, err := ParseKeyPEM(data, nil)
	if err != nil {
		if errors.Is(err, ErrPassphraseRequired) {
			return nil, i18n.Errorf("pki.leaf.key_encrypted", "File", name, "Err", err)
		}
		return nil, i18n.Errorf("pki.read", "File", d.Path(name), "Err", err)
	}
	return key, nil
}
