package pki

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
)

// FileInventory is the inventory of every certificate issued from this
// directory, kept beside the CA as openssl keeps index.txt: one record per
// certificate, never removed, so `dockertls certs` can tell which are
// current, which were superseded and where each went.
const FileInventory = "inventory.json"

// inventoryLock serializes the inventory's read-modify-write between
// processes (two `issue client` runs at once).
const inventoryLock = ".inventory.lock"

// Kind is what a certificate is for.
type Kind string

// The kinds of certificates in the inventory.
const (
	KindCA       Kind = "ca"       // the CA's own certificate
	KindDaemon   Kind = "daemon"   // daemon-cert.pem (serverAuth)
	KindClient   Kind = "client"   // the plan's client, client-cert.pem
	KindWorkshop Kind = "workshop" // a client issued by `issue client NAME`
)

// Status of a certificate in the inventory, as of a moment.
type Status string

// The statuses; Superseded wins over the dates: a certificate replaced by a
// newer one of the same kind and name is no longer the one in use.
const (
	StatusValid      Status = "valid"
	StatusExpiring   Status = "expiring"
	StatusExpired    Status = "expired"
	StatusSuperseded Status = "superseded"
)

// Record is one certificate of the inventory.
type Record struct {
	Name      string    `json:"name"` // the CN; for workshop clients the NAME given
	Kind      Kind      `json:"kind"`
	Serial    string    `json:"serial"` // upper-case hex, as openssl prints it
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	SHA256    string    `json:"sha256"` // AB:CD:... as openssl x509 -fingerprint -sha256
	// The issuing CA (for a CA: itself), so a CA rotation can tell which
	// certificates the old CA signed.
	CASHA256 string `json:"ca_sha256"`
	CASerial string `json:"ca_serial"`
	// KeySHA256 is the SHA-256 of the certificate's public key, so a CA
	// renewed with the same key can be told from a new CA (rotation).
	KeySHA256 string `json:"key_sha256,omitempty"`
	// Files are the certificate's files in the PKI directory.
	Files []string `json:"files,omitempty"`
	// Distributed lists where copies went ("daemon node root@node3:22
	// /etc/docker/tls", "bundle /srv/pki/clients/alice").
	Distributed []string  `json:"distributed,omitempty"`
	Recorded    time.Time `json:"recorded"`
	// Found marks a certificate that was in the directory but not in the
	// inventory (made by hand, or before the inventory existed); it is not
	// stored.
	Found bool `json:"found,omitempty"`
}

// NewRecord describes cert, issued by ca (ca == cert for a CA), for the
// inventory.
func NewRecord(kind Kind, name string, cert, ca *x509.Certificate, files ...string) Record {
	return Record{Name: name, Kind: kind, Serial: SerialHex(cert), NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC(),
		SHA256: Fingerprint(cert), CASHA256: Fingerprint(ca), CASerial: SerialHex(ca), KeySHA256: KeyFingerprint(cert), Files: files, Recorded: time.Now().UTC()}
}

// KeyFingerprint is the SHA-256 of a certificate's SubjectPublicKeyInfo,
// as AB:CD:… like Fingerprint.
func KeyFingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	return colonHex(sum[:])
}

// SerialHex is a certificate's serial as openssl writes it in ca.srl and
// index.txt: upper-case hex with an even number of digits.
func SerialHex(c *x509.Certificate) string {
	hex := strings.ToUpper(c.SerialNumber.Text(16))
	if len(hex)%2 == 1 {
		hex = "0" + hex
	}
	return hex
}

// inventoryFile is the file's shape: a version, so later fields can be
// added without guessing.
type inventoryFile struct {
	Version      int      `json:"version"`
	Certificates []Record `json:"certificates"`
}

// Inventory reads the recorded certificates, oldest first. A directory
// without an inventory has none.
func (d *Dir) Inventory() ([]Record, error) {
	data, err := fsread.ReadFile(d.Path(FileInventory), fsread.MaxKnownHosts)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, i18n.Errorf("pki.inventory.read", "Err", err)
	}
	var f inventoryFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, i18n.Errorf("pki.inventory.damaged", "File", d.Path(FileInventory), "Err", err)
	}
	return f.Certificates, nil
}

// Record adds certificates to the inventory; one already recorded (same
// fingerprint) is left as it is.
func (d *Dir) Record(recs ...Record) error {
	return d.updateInventory(func(all []Record) []Record {
		for _, r := range recs {
			if !slices.ContainsFunc(all, func(o Record) bool { return o.SHA256 == r.SHA256 }) {
				r.Found = false
				all = append(all, r)
			}
		}
		return all
	})
}

// RecordDistribution notes that the certificate with this fingerprint was
// copied to where. Unknown fingerprints are ignored: a certificate made by
// hand has no record to note it in.
func (d *Dir) RecordDistribution(sha256, where string) error {
	return d.updateInventory(func(all []Record) []Record {
		for i := range all {
			if all[i].SHA256 == sha256 && !slices.Contains(all[i].Distributed, where) {
				all[i].Distributed = append(all[i].Distributed, where)
			}
		}
		return all
	})
}

// updateInventory rewrites the inventory under a lock, atomically; the
// file is left alone when nothing changed.
func (d *Dir) updateInventory(change func([]Record) []Record) error {
	// Most calls change nothing (a re-run): find out before taking the
	// lock, which creates its file.
	if current, err := d.Inventory(); err == nil && !changes(current, change) {
		return nil
	}
	lock, err := os.OpenFile(d.Path(inventoryLock), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return i18n.Errorf("pki.inventory.lock", "Err", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return i18n.Errorf("pki.inventory.lock", "Err", err)
	}
	old, err := d.Inventory()
	if err != nil {
		return err
	}
	if !changes(old, change) {
		return nil
	}
	updated := change(slices.Clone(old))
	data, err := json.MarshalIndent(inventoryFile{Version: 1, Certificates: updated}, "", "  ")
	if err != nil {
		return i18n.Errorf("pki.inventory.write", "Err", err)
	}
	return d.commit(nil, fileWrite{d.Path(FileInventory), append(data, '\n'), srlMode})
}

// changes reports whether change would alter recs.
func changes(recs []Record, change func([]Record) []Record) bool {
	before, _ := json.Marshal(recs)
	after, _ := json.Marshal(change(slices.Clone(recs)))
	return string(before) != string(after)
}

// StatusOf tells the status of all[i] as of now: superseded when a later
// record has the same kind and name (records are kept in the order they
// were issued), else by its dates (expiring within warn).
func StatusOf(all []Record, i int, now time.Time, warn time.Duration) Status {
	r := all[i]
	for _, o := range all[i+1:] {
		if o.Kind == r.Kind && o.Name == r.Name && o.SHA256 != r.SHA256 {
			return StatusSuperseded
		}
	}
	switch {
	case now.After(r.NotAfter):
		return StatusExpired
	case r.NotAfter.Sub(now) < warn:
		return StatusExpiring
	}
	return StatusValid
}

// Certificates is the inventory plus the certificates of the directory it
// does not record (made by hand or before the inventory existed), marked
// Found, so nothing the directory holds is missing from a listing.
func (d *Dir) Certificates() ([]Record, error) {
	all, err := d.Inventory()
	if err != nil {
		return nil, err
	}
	ca, _ := d.LoadCert(FileCA)
	files := []string{FileCA, FileDaemonCert, FileClientCert}
	for _, pattern := range []string{"daemon-*-cert.pem", "client-*-cert.pem"} {
		extra, _ := filepathGlob(d.Path(pattern))
		files = append(files, extra...)
	}
	for _, name := range files {
		cert, err := d.LoadCert(name)
		if err != nil {
			continue
		}
		fp := Fingerprint(cert)
		if slices.ContainsFunc(all, func(r Record) bool { return r.SHA256 == fp }) {
			continue
		}
		kind, cn := kindOfFile(name), cert.Subject.CommonName
		if rest, ok := strings.CutPrefix(name, "client-"); ok && kind == KindWorkshop {
			cn = strings.TrimSuffix(rest, "-cert.pem")
		} else if rest, ok := strings.CutPrefix(name, "daemon-"); ok && name != FileDaemonCert {
			cn = strings.TrimSuffix(rest, "-cert.pem")
		}
		r := Record{Name: cn, Kind: kind, Serial: SerialHex(cert), NotBefore: cert.NotBefore.UTC(), NotAfter: cert.NotAfter.UTC(),
			SHA256: fp, KeySHA256: KeyFingerprint(cert), Files: []string{name}, Found: true}
		if ca != nil && (kind == KindCA || cert.CheckSignatureFrom(ca) == nil) {
			r.CASHA256, r.CASerial = Fingerprint(ca), SerialHex(ca)
		}
		all = append(all, r)
	}
	return all, nil
}

// kindOfFile tells a certificate's kind by the tutorial's file names.
func kindOfFile(name string) Kind {
	switch name {
	case FileCA:
		return KindCA
	case FileDaemonCert:
		return KindDaemon
	case FileClientCert:
		return KindClient
	}
	if strings.HasPrefix(name, "daemon-") {
		return KindDaemon // daemon-NAME-cert.pem, a daemon of a plan with several
	}
	return KindWorkshop
}

// filepathGlob returns the base names of the files matching pattern.
func filepathGlob(pattern string) ([]string, error) {
	paths, err := filepath.Glob(pattern)
	for i, p := range paths {
		paths[i] = filepath.Base(p)
	}
	return paths, err
}
