package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"time"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
)

// A CA rotation (`dockertls rotate-ca`) runs in two phases. Between them
// the directory holds two CAs: the new one as ca.pem/ca-key.pem (it signs
// everything issued from now on) and the old one as
// ca-previous.pem/ca-previous-key.pem (its files exactly as they were, an
// encrypted key still encrypted). Daemons and clients trust both (the
// trust bundle); --finish retires the old one.
const (
	FileCAPrevious    = "ca-previous.pem"
	FileCAPreviousKey = "ca-previous-key.pem"
)

// Rotating reports whether a CA rotation is in progress: phase 1 made a
// new CA and kept the old one, --finish has not retired it yet.
func (d *Dir) Rotating() bool { return d.Exists(FileCAPrevious) }

// PreviousCACert is the CA a rotation in progress replaces (nil when none
// is in progress or its file cannot be read).
func (d *Dir) PreviousCACert() *x509.Certificate {
	if !d.Rotating() {
		return nil
	}
	c, err := d.LoadCert(FileCAPrevious)
	if err != nil {
		return nil
	}
	return c
}

// LoadPreviousCA reads the CA a rotation replaces, with its key (asking
// passphrase only when that key is encrypted).
func (d *Dir) LoadPreviousCA(passphrase func() (string, error)) (*CA, error) {
	certPEM, err := fsread.ReadFile(d.Path(FileCAPrevious), fsread.MaxPEM)
	if err != nil {
		return nil, i18n.Errorf("pki.rotate.read_previous", "Err", err)
	}
	keyPEM, err := fsread.ReadFile(d.Path(FileCAPreviousKey), fsread.MaxPEM)
	if err != nil {
		return nil, i18n.Errorf("pki.rotate.read_previous_key", "Err", err)
	}
	return parseCA(certPEM, keyPEM, d.Path(FileCAPrevious), d.Path(FileCAPreviousKey), passphrase)
}

// TrustBundle is what daemons and clients put in their ca.pem: the CA, and
// during a rotation the previous CA after it, so that certificates of
// either verify. Outside a rotation it is ca.pem byte for byte.
func (d *Dir) TrustBundle() ([]byte, error) {
	cur, err := fsread.ReadFile(d.Path(FileCA), fsread.MaxPEM)
	if err != nil {
		return nil, readCACertError(err)
	}
	if !d.Rotating() {
		return cur, nil
	}
	prev, err := fsread.ReadFile(d.Path(FileCAPrevious), fsread.MaxPEM)
	if err != nil {
		return nil, i18n.Errorf("pki.rotate.read_previous_bundle", "Err", err)
	}
	out := append(bytes.TrimRight(cur, "\n"), '\n')
	return append(out, prev...), nil
}

// ParseCertsPEM reads every certificate of a PEM file (a CA bundle), in
// order. Blocks that are not certificates are skipped.
func ParseCertsPEM(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != pemCertificate {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, i18n.Errorf("pki.bundle.damaged", "Err", err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, i18n.Errorf("pki.bundle.empty")
	}
	return out, nil
}

// BeginRotation is phase 1's change of the directory: the CA files become
// ca-previous.pem/ca-previous-key.pem (renamed, so they stay byte for byte
// and keep their passphrase) and next takes their place (its key encrypted
// when passphrase is not empty). undo puts the old CA back.
func (d *Dir) BeginRotation(next *CA, passphrase string) (undo func() error, err error) {
	if next == nil || next.Cert == nil || next.Key == nil {
		return nil, i18n.Errorf("pki.rotate.none")
	}
	if d.Rotating() {
		return nil, i18n.Errorf("pki.rotate.in_progress", "Dir", d.path, "File", FileCAPrevious)
	}
	if !d.Exists(FileCA) || !d.Exists(FileCAKey) {
		return nil, i18n.Errorf("pki.rotate.needs_both", "Dir", d.path, "Cert", FileCA, "Key", FileCAKey)
	}
	var keyPEM []byte
	if passphrase != "" {
		keyPEM, err = EncryptKeyPEM(next.Key, passphrase)
	} else {
		keyPEM, err = EncodeKey(next.Key)
	}
	if err != nil {
		return nil, i18n.Errorf("pki.rotate.encode", "Err", err)
	}
	restore, err := d.renameAll([2]string{FileCA, FileCAPrevious}, [2]string{FileCAKey, FileCAPreviousKey})
	if err != nil {
		return nil, err
	}
	if err := d.WriteFiles(File{FileCAKey, keyPEM, KeyMode}, File{FileCA, EncodeCert(next.Cert), CertMode}); err != nil {
		return nil, i18n.Join(i18n.Errorf("pki.rotate.write", "Err", err), restore())
	}
	return restore, nil
}

// EndRotation is --finish's change of the directory: the previous CA's
// files are kept as *.retired-TIMESTAMP (nothing is lost, nobody trusts it
// any more). It returns the names they were kept as; undo makes the
// rotation in progress again.
func (d *Dir) EndRotation() (kept []string, undo func() error, err error) {
	if !d.Rotating() {
		return nil, nil, i18n.Errorf("pki.rotate.not_in_progress", "Dir", d.path)
	}
	suffix := ".retired-" + time.Now().UTC().Format("20060102T150405Z")
	for n := 2; d.Exists(FileCAPrevious+suffix) || d.Exists(FileCAPreviousKey+suffix); n++ {
		suffix = fmt.Sprintf(".retired-%s-%d", time.Now().UTC().Format("20060102T150405Z"), n)
	}
	pairs := [][2]string{{FileCAPrevious, FileCAPrevious + suffix}}
	if d.Exists(FileCAPreviousKey) {
		pairs = append(pairs, [2]string{FileCAPreviousKey, FileCAPreviousKey + suffix})
	}
	undo, err = d.renameAll(pairs...)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range pairs {
		kept = append(kept, d.Path(p[1]))
	}
	return kept, undo, nil
}

// KeepCopies keeps the named files (those that exist) as NAME+suffix, as
// hard links, before they are replaced; restore puts them back over
// whatever replaced them. It returns the paths of the copies.
func (d *Dir) KeepCopies(suffix string, names ...string) (kept []string, restore func() error, err error) {
	var done [][2]string
	restore = func() error {
		var errs []error
		for _, p := range done {
			if err := os.Rename(d.Path(p[1]), d.Path(p[0])); err != nil {
				errs = append(errs, err)
			}
		}
		return i18n.Join(errs...)
	}
	for _, name := range names {
		if !d.Exists(name) {
			continue
		}
		if err := os.Link(d.Path(name), d.Path(name+suffix)); err != nil {
			return nil, nil, i18n.Join(i18n.Errorf("pki.keep_copy", "File", name, "Err", err), restore())
		}
		done = append(done, [2]string{name, name + suffix})
		kept = append(kept, d.Path(name+suffix))
	}
	return kept, restore, nil
}

// renameAll renames each pair's first name to its second, all or none;
// undo renames them back.
func (d *Dir) renameAll(pairs ...[2]string) (undo func() error, err error) {
	var done [][2]string
	undo = func() error {
		var errs []error
		for i := len(done) - 1; i >= 0; i-- {
			if err := os.Rename(d.Path(done[i][1]), d.Path(done[i][0])); err != nil {
				errs = append(errs, i18n.Errorf("pki.rename_back", "From", done[i][1], "To", done[i][0], "Err", err))
			}
		}
		return i18n.Join(errs...)
	}
	for _, p := range pairs {
		if err := os.Rename(d.Path(p[0]), d.Path(p[1])); err != nil {
			return nil, i18n.Join(i18n.Errorf("pki.keep_as", "From", p[0], "To", p[1], "Err", err), undo())
		}
		done = append(done, p)
	}
	return undo, nil
}

// SnapshotFiles reads the named files (the inventory, ca.srl) so that a
// failed rotation phase can put them back; restore writes them back as they
// were and removes those that did not exist.
func (d *Dir) SnapshotFiles(names ...string) (restore func() error, err error) {
	var files []File
	var absent []string
	for _, name := range names {
		info, err := os.Stat(d.Path(name))
		if err != nil {
			if os.IsNotExist(err) {
				absent = append(absent, name)
				continue
			}
			return nil, i18n.Errorf("pki.read", "File", name, "Err", err)
		}
		data, err := fsread.ReadFile(d.Path(name), fsread.MaxKnownHosts)
		if err != nil {
			return nil, i18n.Errorf("pki.read", "File", name, "Err", err)
		}
		files = append(files, File{name, data, info.Mode().Perm()})
	}
	return func() error {
		var errs []error
		for _, name := range absent {
			if err := os.Remove(d.Path(name)); err != nil && !os.IsNotExist(err) {
				errs = append(errs, err)
			}
		}
		if len(files) > 0 {
			errs = append(errs, d.WriteFiles(files...))
		}
		return i18n.Join(errs...)
	}, nil
}
