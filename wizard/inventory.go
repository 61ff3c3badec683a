package wizard

import (
	"crypto/x509"
	"fmt"
	"math"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
)

// The PKI steps and `issue client` note every certificate they issue in
// the PKI directory's inventory (pki.FileInventory), and distribute notes
// where copies went, so `dockertls certs` lists them all and a CA rotation
// knows which certificates the old CA signed.

// record notes certificates in the inventory. The certificates are in
// place already, so a failure is a warning, not a failed step.
func (s *Session) record(d *pki.Dir, emit func(Event), recs ...pki.Record) {
	if err := d.Record(recs...); err != nil {
		emit(Event{Kind: EventWarn, Message: s.T("wizard.inventory.not_updated_found", "Err", err)})
	}
}

// recordShipment notes, for each certificate a shipment carried, the host
// and directory it is in there. The place is data (the inventory's
// distributed list, in English like its JSON keys).
func recordShipment(d *pki.Dir, sh shipment, emit func(Event)) {
	role := map[string]string{"daemon": "daemon node", "client": "client"}[sh.role]
	for _, f := range sh.files {
		if strings.HasSuffix(f.local, "-key.pem") {
			continue
		}
		cert, err := pki.ParseCertPEM(f.data)
		if err != nil {
			continue
		}
		where := fmt.Sprintf("%s %s %s", role, sh.host.Name(), path.Dir(f.path))
		if err := d.RecordDistribution(pki.Fingerprint(cert), where); err != nil {
			emit(Event{Kind: EventWarn, Message: sh.judge.loc.T("wizard.inventory.not_updated", "Err", err)})
			return
		}
	}
}

// CertEntry is one certificate of `dockertls certs`: its record and its
// status now.
type CertEntry struct {
	pki.Record
	Status   pki.Status `json:"status"`
	DaysLeft int        `json:"days_left"`
	// IssuedBy says which CA signed it, in words: "itself" for a CA,
	// "current CA", "previous CA" (a rotation is in progress), "retired
	// CA", or "unknown CA".
	IssuedBy string `json:"issued_by"`
}

// The CAs a certificate may hang on (CertEntry.IssuedBy).
const (
	issuerSelf     = "itself"
	issuerCurrent  = "current CA"
	issuerPrevious = "previous CA"
	issuerRetired  = "retired CA"
	issuerUnknown  = "unknown CA"
)

// The further words of a CA's own IssuedBy ("itself, previous CA (rotation
// in progress), renewed with the same key").
const (
	issuerPreviousRotating = "previous CA (rotation in progress)"
	issuerRenewed          = "renewed with the same key"
)

// IssuedByIn is IssuedBy in l's words (IssuedBy itself stays English: it is
// data, like the JSON it is printed in).
func (c CertEntry) IssuedByIn(l *i18n.Localizer) string {
	parts := strings.Split(c.IssuedBy, ", ")
	for i, p := range parts {
		switch p {
		case issuerSelf:
			parts[i] = l.T("wizard.certs.itself")
		case issuerCurrent:
			parts[i] = l.T("wizard.certs.current")
		case issuerPrevious:
			parts[i] = l.T("wizard.certs.previous")
		case issuerPreviousRotating:
			parts[i] = l.T("wizard.certs.previous_rotating")
		case issuerRetired:
			parts[i] = l.T("wizard.certs.retired")
		case issuerUnknown:
			parts[i] = l.T("wizard.certs.unknown")
		case issuerRenewed:
			parts[i] = l.T("wizard.certs.renewed")
		}
	}
	return strings.Join(parts, l.T("wizard.certs.sep"))
}

// caRole says what a CA's own record is: the current CA, the previous
// one of a rotation in progress, and whether it renewed an earlier CA
// certificate with the same key (renewal) rather than replacing it.
func caRole(r pki.Record, cur, prev *x509.Certificate, recs []pki.Record) string {
	out := issuerSelf
	switch {
	case cur != nil && r.SHA256 == pki.Fingerprint(cur):
		out += ", " + issuerCurrent
	case prev != nil && r.SHA256 == pki.Fingerprint(prev):
		out += ", " + issuerPreviousRotating
	}
	i := slices.IndexFunc(recs, func(o pki.Record) bool { return o.SHA256 == r.SHA256 })
	for j := i - 1; j >= 0 && r.KeySHA256 != ""; j-- {
		if recs[j].Kind == pki.KindCA && recs[j].KeySHA256 == r.KeySHA256 {
			return out + ", " + issuerRenewed
		}
	}
	return out
}

// issuerOf names the CA that signed a record: by the CA certificate's
// fingerprint, or, for a CA renewed since (same key, new certificate), by
// the certificate in the directory the record's own file still verifies
// against.
func issuerOf(d *pki.Dir, r pki.Record, cur, prev *x509.Certificate, recs []pki.Record) string {
	if r.Kind == pki.KindCA {
		return caRole(r, cur, prev, recs)
	}
	switch {
	case cur != nil && r.CASHA256 == pki.Fingerprint(cur):
		return issuerCurrent
	case prev != nil && r.CASHA256 == pki.Fingerprint(prev):
		return issuerPrevious
	}
	if len(r.Files) > 0 {
		if c, err := d.LoadCert(r.Files[0]); err == nil && pki.Fingerprint(c) == r.SHA256 {
			switch {
			case cur != nil && c.CheckSignatureFrom(cur) == nil:
				return issuerCurrent
			case prev != nil && c.CheckSignatureFrom(prev) == nil:
				return issuerPrevious
			}
		}
	}
	if slices.ContainsFunc(recs, func(o pki.Record) bool { return o.Kind == pki.KindCA && o.SHA256 == r.CASHA256 }) {
		return issuerRetired
	}
	return issuerUnknown
}

// Certificates lists every certificate the plan's CA directory issued, in
// the order they were issued, with their status now; certificates in the
// directory that the inventory does not know come last, marked found.
func (s *Session) Certificates() ([]CertEntry, error) {
	d, ok := s.existingPKI()
	if !ok {
		return nil, i18n.Errorf("wizard.inventory.no_pki", "Dir", s.pkiDirPath(), "Command", s.say(applySteps(StepCA)))
	}
	recs, err := d.Certificates()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	cur, _ := d.LoadCert(pki.FileCA)
	prev := d.PreviousCACert()
	out := make([]CertEntry, len(recs))
	for i, r := range recs {
		out[i] = CertEntry{Record: r, Status: pki.StatusOf(recs, i, now, s.renewWindow()),
			DaysLeft: int(math.Floor(r.NotAfter.Sub(now).Hours() / 24)), IssuedBy: issuerOf(d, r, cur, prev, recs)}
	}
	// Shown by kind (the CA first), each kind in the order issued.
	rank := map[pki.Kind]int{pki.KindCA: 0, pki.KindDaemon: 1, pki.KindClient: 2, pki.KindWorkshop: 3}
	slices.SortStableFunc(out, func(a, b CertEntry) int { return rank[a.Kind] - rank[b.Kind] })
	return out, nil
}
