package pki

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ErrCAExists is returned (wrapped) by SaveCA when the directory already has
// a CA and force was not given.
var ErrCAExists = errors.New("a CA already exists")

// SaveCA writes ca.pem and ca-key.pem (encrypted when passphrase is not
// empty). An existing CA is refused unless force is set; with force the old
// files are kept as *.replaced-TIMESTAMP, because certificates it issued stop
// working and the user may need it back.
func (d *Dir) SaveCA(ca *CA, passphrase string, force bool) error {
	if ca == nil || ca.Cert == nil || ca.Key == nil {
		return errors.New("save the CA: no CA given")
	}
	if d.HasCA() && !force {
		return fmt.Errorf("%w in %s (%s): keep it and issue from it, or replace it explicitly (force) — every certificate it issued would stop working", ErrCAExists, d.path, FileCA)
	}
	var keyPEM []byte
	var err error
	if passphrase != "" {
		keyPEM, err = EncryptKeyPEM(ca.Key, passphrase)
	} else {
		keyPEM, err = EncodeKey(ca.Key)
	}
	if err != nil {
		return fmt.Errorf("save %s: %w", FileCAKey, err)
	}
	// Only now that the new CA is ready is the old one set aside.
	var restore func() error // nil: there was no CA to set aside
	if d.HasCA() {
		if restore, err = d.setAsideCA(); err != nil {
			return err
		}
	}
	if err := writeFilesAtomic(
		fileWrite{d.Path(FileCAKey), keyPEM, KeyMode},
		fileWrite{d.Path(FileCA), EncodeCert(ca.Cert), CertMode},
	); err != nil {
		return failedReplacement(err, restore)
	}
	return nil
}

// failedReplacement puts a set-aside CA back after the new one could not
// be written, and says what happened to it.
func failedReplacement(err error, restore func() error) error {
	if restore == nil {
		return err
	}
	if rerr := restore(); rerr != nil {
		return fmt.Errorf("%w; putting the old CA back failed too (%v): it is kept as *.replaced-* in the PKI directory, rename those files back", err, rerr)
	}
	return fmt.Errorf("%w; the old CA is unchanged: free some space or fix the directory's permissions, then try again", err)
}

// setAsideCA renames the CA files to *.replaced-TIMESTAMP before a new CA
// takes their place, so nothing is lost. restore renames them back, over
// whatever of the new CA was written, for when the new one fails.
func (d *Dir) setAsideCA() (restore func() error, err error) {
	stamp := time.Now().UTC().Format("20060102T150405Z")
	// Two replacements within a second must not overwrite each other.
	suffix := ".replaced-" + stamp
	for n := 2; d.Exists(FileCA+suffix) || d.Exists(FileCAKey+suffix) || d.Exists(FileCASerial+suffix); n++ {
		suffix = fmt.Sprintf(".replaced-%s-%d", stamp, n)
	}
	var moved []string
	restore = func() error {
		var errs []error
		for _, name := range moved {
			if err := os.Rename(d.Path(name+suffix), d.Path(name)); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}
	for _, name := range []string{FileCA, FileCAKey, FileCASerial} {
		if !d.Exists(name) {
			continue
		}
		if err := os.Rename(d.Path(name), d.Path(name+suffix)); err != nil {
			err = fmt.Errorf("keep the old %s before replacing the CA: %w", name, err)
			if rerr := restore(); rerr != nil {
				return nil, fmt.Errorf("%w; putting back what was moved failed too (%v): rename the *%s files back", err, rerr, suffix)
			}
			return nil, err
		}
		moved = append(moved, name)
	}
	return restore, nil
}

// passphraseError names the key file whose passphrase was wrong.
type passphraseError struct {
	file string
	err  error
}

func (e *passphraseError) Error() string {
	if errors.Is(e.err, ErrPassphraseRequired) {
		return fmt.Sprintf("%s is encrypted: give its passphrase (plan: ca.passphrase_env)", e.file)
	}
	return fmt.Sprintf("the passphrase for %s is wrong", e.file)
}

func (e *passphraseError) Unwrap() error { return e.err }

// ImportCA takes over a CA made elsewhere (for instance by the tutorial's
// openssl commands in another directory): it reads the certificate and key
// files, checks that they are a CA and its key (asking for the passphrase
// only when the key is encrypted), and copies both byte for byte into the
// PKI directory as ca.pem (0444) and ca-key.pem (0400), so an encrypted key
// stays encrypted the way the user made it. An existing, different CA is
// refused unless force (then kept as *.replaced-TIMESTAMP, as SaveCA does).
func (d *Dir) ImportCA(certPath, keyPath string, passphrase func() (string, error), force bool) (*CA, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("import the CA certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("import the CA key: %w", err)
	}
	ca, err := parseCA(certPEM, keyPEM, certPath, keyPath, passphrase)
	if err != nil {
		return nil, err
	}
	var restore func() error // nil: there was no CA to set aside
	if d.HasCA() {
		if existing, err := d.LoadCert(FileCA); err == nil && existing.Equal(ca.Cert) && d.Exists(FileCAKey) {
			return ca, nil // already imported: nothing to do
		}
		if !force {
			return nil, fmt.Errorf("%w in %s (%s): to use the CA from %s instead, replace it explicitly (force) — every certificate the current one issued would stop working", ErrCAExists, d.path, FileCA, certPath)
		}
		if restore, err = d.setAsideCA(); err != nil {
			return nil, err
		}
	}
	if err := writeFilesAtomic(
		fileWrite{d.Path(FileCAKey), keyPEM, KeyMode},
		fileWrite{d.Path(FileCA), certPEM, CertMode},
	); err != nil {
		return nil, failedReplacement(err, restore)
	}
	return ca, nil
}

// parseCA reads a CA certificate and its key and checks they belong
// together. The names are for messages.
func parseCA(certPEM, keyPEM []byte, certName, keyName string, passphrase func() (string, error)) (*CA, error) {
	cert, err := ParseCertPEM(certPEM)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", certName, err)
	}
	if !cert.IsCA {
		return nil, fmt.Errorf("%s is not a CA certificate (no CA:TRUE basic constraint): import the CA's certificate, not a leaf", certName)
	}
	key, err := ParseKeyPEM(keyPEM, passphrase)
	if err != nil {
		if errors.Is(err, ErrWrongPassphrase) || errors.Is(err, ErrPassphraseRequired) {
			return nil, &passphraseError{file: filepath.Base(keyName), err: err}
		}
		return nil, fmt.Errorf("read %s: %w", keyName, err)
	}
	if !publicKeysEqual(cert.PublicKey, key.Public()) {
		return nil, fmt.Errorf("%s does not belong to %s (their public keys differ): put the CA's own key next to its certificate", filepath.Base(keyName), filepath.Base(certName))
	}
	return &CA{Cert: cert, Key: key}, nil
}

// LoadCA reads ca.pem and ca-key.pem. passphrase is asked only when the key
// is encrypted; a wrong one gives "the passphrase for ca-key.pem is wrong"
// (errors.Is ErrWrongPassphrase). The key must belong to the certificate and
// the certificate must be a CA.
func (d *Dir) LoadCA(passphrase func() (string, error)) (*CA, error) {
	certPEM, err := os.ReadFile(d.Path(FileCA))
	if err != nil {
		return nil, missingHint(fmt.Errorf("read the CA certificate: %w", err), "create the CA first (step ca), or import one")
	}
	keyPEM, err := os.ReadFile(d.Path(FileCAKey))
	if err != nil {
		return nil, missingHint(fmt.Errorf("read the CA key: %w", err), "put the CA's key next to ca.pem as ca-key.pem; without it no certificate can be issued")
	}
	return parseCA(certPEM, keyPEM, d.Path(FileCA), d.Path(FileCAKey), passphrase)
}

// missingHint adds what to do when a file does not exist.
func missingHint(err error, hint string) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", err, hint)
	}
	return err
}
