package pki

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
)

// ErrCAExists is returned (wrapped) by SaveCA and ImportCA when the
// directory already has a CA and replacing it was not asked for.
var ErrCAExists = i18n.Errorf("pki.ca.exists")

// ReplaceCAHint is the way out when a CA exists and another is wanted.
var ReplaceCAHint = i18n.M("pki.ca.replace_hint")

// SaveCA writes ca.pem and ca-key.pem (encrypted when passphrase is not
// empty), as one commit. An existing CA is refused unless replace is set;
// then the old files are kept as *.replaced-TIMESTAMP in the same commit,
// because certificates it issued stop working and the user may need it
// back.
func (d *Dir) SaveCA(ca *CA, passphrase string, replace bool) error {
	if ca == nil || ca.Cert == nil || ca.Key == nil {
		return i18n.Errorf("pki.ca.save_none")
	}
	if d.HasCA() && !replace {
		return i18n.Errorf("pki.ca.exists_in", "Dir", d.path, "File", FileCA, "Hint", ReplaceCAHint, "Err", ErrCAExists)
	}
	var keyPEM []byte
	var err error
	if passphrase != "" {
		keyPEM, err = EncryptKeyPEM(ca.Key, passphrase)
	} else {
		keyPEM, err = EncodeKey(ca.Key)
	}
	if err != nil {
		return i18n.Errorf("pki.save", "File", FileCAKey, "Err", err)
	}
	return d.commit(d.caBackups(),
		fileWrite{d.Path(FileCAKey), keyPEM, KeyMode},
		fileWrite{d.Path(FileCA), EncodeCert(ca.Cert), CertMode},
	)
}

// caBackups keeps the CA files as *.replaced-TIMESTAMP when a commit
// replaces them (none when there is no CA).
func (d *Dir) caBackups() []backup {
	if !d.HasCA() {
		return nil
	}
	stamp := time.Now().UTC().Format("20060102T150405Z")
	// Two replacements within a second must not overwrite each other.
	suffix := ".replaced-" + stamp
	for n := 2; d.Exists(FileCA+suffix) || d.Exists(FileCAKey+suffix) || d.Exists(FileCASerial+suffix); n++ {
		suffix = fmt.Sprintf(".replaced-%s-%d", stamp, n)
	}
	return []backup{{FileCA, suffix}, {FileCAKey, suffix}, {FileCASerial, suffix}}
}

// passphraseError names the key file whose passphrase was wrong.
type passphraseError struct {
	file string
	err  error
}

func (e *passphraseError) Error() string { return e.message().String() }

// Localize says the error in l's language.
func (e *passphraseError) Localize(l *i18n.Localizer) string { return l.Msg(e.message()) }

func (e *passphraseError) message() i18n.Message {
	if errors.Is(e.err, ErrPassphraseRequired) {
		return i18n.M("pki.ca.passphrase_required", "File", e.file)
	}
	return i18n.M("pki.ca.passphrase_wrong", "File", e.file)
}

func (e *passphraseError) Unwrap() error { return e.err }

// ImportCA takes over a CA made elsewhere (for instance by the tutorial's
// openssl commands in another directory): it reads the certificate and key
// files, checks that they are a CA and its key (asking for the passphrase
// only when the key is encrypted), and copies both byte for byte into the
// PKI directory as ca.pem (0444) and ca-key.pem (0400), so an encrypted key
// stays encrypted the way the user made it. An existing, different CA is
// refused unless replace (then kept as *.replaced-TIMESTAMP, as SaveCA does).
func (d *Dir) ImportCA(certPath, keyPath string, passphrase func() (string, error), replace bool) (*CA, error) {
	certPEM, err := fsread.ReadFile(certPath, fsread.MaxPEM)
	if err != nil {
		return nil, i18n.Errorf("pki.ca.import_cert", "Err", err)
	}
	keyPEM, err := fsread.ReadFile(keyPath, fsread.MaxPEM)
	if err != nil {
		return nil, i18n.Errorf("pki.ca.import_key", "Err", err)
	}
	ca, err := parseCA(certPEM, keyPEM, certPath, keyPath, passphrase)
	if err != nil {
		return nil, err
	}
	if d.HasCA() {
		if existing, err := d.LoadCert(FileCA); err == nil && existing.Equal(ca.Cert) && d.Exists(FileCAKey) {
			return ca, nil // already imported: nothing to do
		}
		if !replace {
			return nil, i18n.Errorf("pki.ca.exists_other", "Dir", d.path, "File", FileCA, "Other", certPath, "Hint", ReplaceCAHint, "Err", ErrCAExists)
		}
	}
	if err := d.commit(d.caBackups(),
		fileWrite{d.Path(FileCAKey), keyPEM, KeyMode},
		fileWrite{d.Path(FileCA), certPEM, CertMode},
	); err != nil {
		return nil, err
	}
	return ca, nil
}

// parseCA reads a CA certificate and its key and checks they belong
// together. The names are for messages.
func parseCA(certPEM, keyPEM []byte, certName, keyName string, passphrase func() (string, error)) (*CA, error) {
	cert, err := ParseCertPEM(certPEM)
	if err != nil {
		return nil, i18n.Errorf("pki.read", "File", certName, "Err", err)
	}
	if !cert.IsCA {
		return nil, i18n.Errorf("pki.ca.not_ca", "File", certName)
	}
	key, err := ParseKeyPEM(keyPEM, passphrase)
	if err != nil {
		if errors.Is(err, ErrWrongPassphrase) || errors.Is(err, ErrPassphraseRequired) {
			return nil, &passphraseError{file: filepath.Base(keyName), err: err}
		}
		return nil, i18n.Errorf("pki.read", "File", keyName, "Err", err)
	}
	if !publicKeysEqual(cert.PublicKey, key.Public()) {
		return nil, i18n.Errorf("pki.ca.key_mismatch", "Key", filepath.Base(keyName), "Cert", filepath.Base(certName))
	}
	return &CA{Cert: cert, Key: key}, nil
}

// LoadCA reads ca.pem and ca-key.pem. passphrase is asked only when the key
// is encrypted; a wrong one gives "the passphrase for ca-key.pem is wrong"
// (errors.Is ErrWrongPassphrase). The key must belong to the certificate and
// the certificate must be a CA.
func (d *Dir) LoadCA(passphrase func() (string, error)) (*CA, error) {
	certPEM, err := fsread.ReadFile(d.Path(FileCA), fsread.MaxPEM)
	if err != nil {
		return nil, readCACertError(err)
	}
	keyPEM, err := fsread.ReadFile(d.Path(FileCAKey), fsread.MaxPEM)
	if err != nil {
		return nil, missingHint(i18n.Errorf("pki.ca.read_key", "Err", err), i18n.M("pki.hint.ca_key"))
	}
	return parseCA(certPEM, keyPEM, d.Path(FileCA), d.Path(FileCAKey), passphrase)
}

// missingHint adds what to do when a file does not exist.
func missingHint(err error, hint i18n.Message) error {
	if errors.Is(err, fs.ErrNotExist) {
		return i18n.Errorf("pki.missing_hint", "Err", err, "Hint", hint)
	}
	return err
}

// readCACertError is a failed read of ca.pem, with the way forward when
// there is none.
func readCACertError(err error) error {
	return missingHint(i18n.Errorf("pki.ca.read_cert", "Err", err), i18n.M("pki.hint.create_ca"))
}

// LoadCAKey reads ca-key.pem alone, for checking that it belongs to ca.pem
// (the CA Check); passphrase is asked only when the key is encrypted.
func (d *Dir) LoadCAKey(passphrase func() (string, error)) (crypto.Signer, error) {
	keyPEM, err := fsread.ReadFile(d.Path(FileCAKey), fsread.MaxPEM)
	if err != nil {
		return nil, i18n.Errorf("pki.ca.read_key", "Err", err)
	}
	key, err := ParseKeyPEM(keyPEM, passphrase)
	if err != nil {
		if errors.Is(err, ErrWrongPassphrase) || errors.Is(err, ErrPassphraseRequired) {
			return nil, &passphraseError{file: FileCAKey, err: err}
		}
		return nil, i18n.Errorf("pki.read", "File", d.Path(FileCAKey), "Err", err)
	}
	return key, nil
}

// KeyMatches reports whether key is the private key of cert.
func KeyMatches(cert *x509.Certificate, key crypto.Signer) bool {
	return cert != nil && key != nil && publicKeysEqual(cert.PublicKey, key.Public())
}
