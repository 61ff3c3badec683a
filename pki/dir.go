package pki

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The tutorial's file names in the PKI directory.
const (
	FileCA         = "ca.pem"
	FileCAKey      = "ca-key.pem"
	FileCASerial   = "ca.srl"
	FileDaemonCert = "daemon-cert.pem"
	FileDaemonKey  = "daemon-key.pem"
	FileClientCert = "client-cert.pem"
	FileClientKey  = "client-key.pem"
)

// File modes: the directory and keys private, certificates world-readable
// but read-only, as the tutorial's chmod 0400 / 0444.
const (
	DirMode  fs.FileMode = 0o700
	KeyMode  fs.FileMode = 0o400
	CertMode fs.FileMode = 0o444
	srlMode  fs.FileMode = 0o644
)

// ErrCAExists is returned (wrapped) by SaveCA when the directory already has
// a CA and force was not given.
var ErrCAExists = errors.New("a CA already exists")

// ClientFiles names the certificate and key files of a client: "" is the
// tutorial's client-cert.pem/client-key.pem, "alice" is
// client-alice-cert.pem/client-alice-key.pem.
func ClientFiles(name string) (cert, key string) {
	if name == "" {
		return FileClientCert, FileClientKey
	}
	return "client-" + name + "-cert.pem", "client-" + name + "-key.pem"
}

// Dir is the local PKI directory holding the CA and the certificates.
type Dir struct {
	path string
}

// OpenDir opens the PKI directory, creating it (and its parents) with mode
// 0700 when missing. An existing directory's mode is left as the user set
// it: PermissionProblems reports it when it is open to others, and the
// wizard asks before tightening it.
func OpenDir(path string) (*Dir, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("no PKI directory given: type a directory such as ./pki")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("PKI directory %s: %w", path, err)
	}
	info, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(abs, DirMode); err != nil {
			return nil, fmt.Errorf("create the PKI directory %s: %w", abs, err)
		}
		// MkdirAll is subject to the umask; make sure the last one is 0700.
		if err := os.Chmod(abs, DirMode); err != nil {
			return nil, fmt.Errorf("create the PKI directory %s: %w", abs, err)
		}
	case err != nil:
		return nil, fmt.Errorf("PKI directory %s: %w", abs, err)
	case !info.IsDir():
		return nil, fmt.Errorf("PKI directory %s is a file, not a directory: choose another path", abs)
	}
	return &Dir{path: abs}, nil
}

// Path returns the absolute path of a file in the directory.
func (d *Dir) Path(name string) string { return filepath.Join(d.path, name) }

// Root returns the directory's absolute path.
func (d *Dir) Root() string { return d.path }

// Exists reports whether a file of the directory exists.
func (d *Dir) Exists(name string) bool {
	_, err := os.Lstat(d.Path(name))
	return err == nil
}

// HasCA reports whether the directory holds a CA certificate or key.
func (d *Dir) HasCA() bool { return d.Exists(FileCA) || d.Exists(FileCAKey) }

// SaveCA writes ca.pem and ca-key.pem (encrypted when passphrase is not
// empty). An existing CA is refused unless force is set; with force the old
// files are kept as *.replaced-TIMESTAMP, because certificates it issued stop
// working and the user may need it back.
func (d *Dir) SaveCA(ca *CA, passphrase string, force bool) error {
	if ca == nil || ca.Cert == nil || ca.Key == nil {
		return errors.New("save the CA: no CA given")
	}
	if d.HasCA() {
		if !force {
			return fmt.Errorf("%w in %s (%s): keep it and issue from it, or replace it explicitly (force) — every certificate it issued would stop working", ErrCAExists, d.path, FileCA)
		}
		if err := d.setAsideCA(); err != nil {
			return err
		}
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
	return writeFilesAtomic(
		fileWrite{d.Path(FileCAKey), keyPEM, KeyMode},
		fileWrite{d.Path(FileCA), EncodeCert(ca.Cert), CertMode},
	)
}

// setAsideCA renames the CA files to *.replaced-TIMESTAMP before a new CA
// takes their place, so nothing is lost.
func (d *Dir) setAsideCA() error {
	stamp := time.Now().UTC().Format("20060102T150405Z")
	for _, name := range []string{FileCA, FileCAKey, FileCASerial} {
		if !d.Exists(name) {
			continue
		}
		if err := os.Rename(d.Path(name), d.Path(name+".replaced-"+stamp)); err != nil {
			return fmt.Errorf("keep the old %s before replacing the CA: %w", name, err)
		}
	}
	return nil
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
	if d.HasCA() {
		if existing, err := d.LoadCert(FileCA); err == nil && existing.Equal(ca.Cert) && d.Exists(FileCAKey) {
			return ca, nil // already imported: nothing to do
		}
		if !force {
			return nil, fmt.Errorf("%w in %s (%s): to use the CA from %s instead, replace it explicitly (force) — every certificate the current one issued would stop working", ErrCAExists, d.path, FileCA, certPath)
		}
		if err := d.setAsideCA(); err != nil {
			return nil, err
		}
	}
	if err := writeFilesAtomic(
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

// SaveLeaf writes a certificate (0444) and its unencrypted key (0400),
// atomically and together (an existing pair is replaced as a pair), and
// records the serial in ca.srl as openssl -CAserial does. The file names are
// the caller's: FileDaemonCert/FileDaemonKey, ClientFiles(name).
func (d *Dir) SaveLeaf(certFile, keyFile string, cert *x509.Certificate, key crypto.Signer) error {
	if cert == nil || key == nil {
		return errors.New("save the certificate: certificate or key missing")
	}
	if !publicKeysEqual(cert.PublicKey, key.Public()) {
		return fmt.Errorf("save %s: the key does not belong to the certificate", certFile)
	}
	keyPEM, err := EncodeKey(key)
	if err != nil {
		return fmt.Errorf("save %s: %w", keyFile, err)
	}
	if err := writeFilesAtomic(
		fileWrite{d.Path(keyFile), keyPEM, KeyMode},
		fileWrite{d.Path(certFile), EncodeCert(cert), CertMode},
	); err != nil {
		return err
	}
	return d.recordSerial(cert)
}

// recordSerial writes the serial in upper-case hex with an even number of
// digits and a newline, exactly as openssl writes ca.srl, so the user can go
// on issuing with `openssl x509 -req -CAserial ca.srl`.
func (d *Dir) recordSerial(cert *x509.Certificate) error {
	hex := strings.ToUpper(cert.SerialNumber.Text(16))
	if len(hex)%2 == 1 {
		hex = "0" + hex
	}
	return writeFileAtomic(d.Path(FileCASerial), []byte(hex+"\n"), srlMode)
}

// LoadCert reads a certificate file of the directory.
func (d *Dir) LoadCert(name string) (*x509.Certificate, error) {
	data, err := os.ReadFile(d.Path(name))
	if err != nil {
		return nil, missingHint(fmt.Errorf("read the certificate: %w", err), "issue it first")
	}
	cert, err := ParseCertPEM(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", d.Path(name), err)
	}
	return cert, nil
}

// LoadKey reads an unencrypted key file of the directory (leaf keys are
// never encrypted: Docker cannot read encrypted ones).
func (d *Dir) LoadKey(name string) (crypto.Signer, error) {
	data, err := os.ReadFile(d.Path(name))
	if err != nil {
		return nil, missingHint(fmt.Errorf("read the key: %w", err), "issue the certificate again to get a new key")
	}
	key, err := ParseKeyPEM(data, nil)
	if err != nil {
		if errors.Is(err, ErrPassphraseRequired) {
			return nil, fmt.Errorf("%s is encrypted, but Docker needs unencrypted daemon and client keys: decrypt it with `openssl pkey -in %s -out %s.plain` or issue a new one: %w", name, name, name, err)
		}
		return nil, fmt.Errorf("read %s: %w", d.Path(name), err)
	}
	return key, nil
}

// PermissionProblems reports a directory others can enter and key files
// (*-key.pem) others can read. OpenDir does not tighten an existing
// directory by itself: it may be the user's own, chosen on purpose; the
// wizard shows these findings and offers the chmod.
func (d *Dir) PermissionProblems() []Problem {
	var out []Problem
	info, err := os.Stat(d.path)
	if err != nil {
		return []Problem{{Code: CodeDirPermissions, Severity: Fail, Fix: "check that the PKI directory exists",
			Message: fmt.Sprintf("cannot check the PKI directory %s: %v", d.path, err)}}
	}
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		out = append(out, Problem{Code: CodeDirPermissions, Severity: Warn, Fix: "chmod 0700 " + d.path,
			Message: fmt.Sprintf("the PKI directory %s has mode %04o: other users of this machine can list it", d.path, mode)})
	}
	keys, err := filepath.Glob(filepath.Join(d.path, "*-key.pem"))
	if err != nil {
		return out
	}
	for _, k := range keys {
		out = append(out, checkKeyFile(k)...)
	}
	return out
}
