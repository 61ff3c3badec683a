package wizard

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
)

// Judging what is there: the files a daemon or a client really uses are
// judged by what they are (chain to the plan's CA, SANs, EKU, expiry, key
// match, permissions), whatever their names and whoever wrote them. A set
// that passes is kept as it is; only what fails is replaced.

// setRole names the three files of a set.
type setRole int

const (
	roleCA setRole = iota
	roleCert
	roleKey
)

// foundFile is one file of a set as found on its host.
type foundFile struct {
	path   string
	exists bool
	snap   fileSnap
}

// setVerdict is what judgeSet found.
type setVerdict struct {
	// bad holds, per role, why that file cannot stay ("" = it can).
	bad [3]string
	// modeOnly marks a file whose contents are right and only its mode is
	// wrong (a chmod is enough).
	modeOnly [3]bool
	// foreign is set when a file is from another CA (both CAs named).
	foreign string
	// renew is set when the certificate is inside the renewal window;
	// renewOnly when that is all that is wrong with the set.
	renew, renewOnly bool
	// notes are information: names that differ from dockertls's, owners.
	notes []string
}

// ok reports whether the whole set can be kept as it is.
func (v setVerdict) ok() bool { return v.bad == [3]string{} }

// problems lists every reason, in file order.
func (v setVerdict) problems() []string {
	var out []string
	for _, b := range v.bad {
		if b != "" {
			out = append(out, b)
		}
	}
	return out
}

// setJudge holds what a set is judged against.
type setJudge struct {
	usage pki.Usage
	ca    *x509.Certificate // the plan's CA (nil: no CA yet, chain not judged)
	// previous is the CA a rotation in progress replaces (nil: none): a
	// CA file must then hold both, and a daemon's certificate may still
	// be the previous CA's (old clients verify it; --finish replaces it).
	previous *x509.Certificate
	host     string          // daemon: the address clients dial
	sans     []string        // daemon: the plan's names
	window   time.Duration   // renewal window
	root     bool            // the files should belong to root
	loc      *i18n.Localizer // the language of the verdict's words (nil: English)
}

// Certificates may be read by anyone but written only by their owner; keys
// read by their owner only.
const (
	certBadBits fs.FileMode = 0o022
	keyBadBits  fs.FileMode = 0o077
)

// judgeSet judges a CA file, a certificate and its key as a peer would use
// them.
func (j setJudge) judgeSet(files [3]foundFile) setVerdict {
	var v setVerdict
	for i, f := range files {
		if !f.exists {
			v.bad[i] = j.loc.T("wizard.judge.missing", "File", f.path)
		}
	}
	var cert *x509.Certificate
	if files[roleCA].exists {
		certs, err := pki.ParseCertsPEM(files[roleCA].snap.data)
		var c *x509.Certificate
		if err == nil {
			c = certs[0]
		}
		switch {
		case err != nil:
			v.bad[roleCA] = j.loc.T("wizard.judge.not_cert", "File", files[roleCA].path, "Err", err)
		case j.ca != nil && (j.previous != nil || len(certs) > 1):
			v.judgeTrust(j, files[roleCA].path, certs)
		case j.ca == nil, c.Equal(j.ca):
		case bytes.Equal(c.RawSubjectPublicKeyInfo, j.ca.RawSubjectPublicKeyInfo) && bytes.Equal(c.RawSubject, j.ca.RawSubject):
			if time.Until(c.NotAfter) < j.window {
				v.bad[roleCA] = j.loc.T("wizard.judge.older_ca", "File", files[roleCA].path, "CN", strconv.Quote(c.Subject.CommonName), "Date", c.NotAfter.UTC().Format(time.DateOnly))
			}
		default:
			v.foreign = j.loc.T("wizard.judge.foreign_ca", "File", files[roleCA].path, "CN", strconv.Quote(c.Subject.CommonName), "SHA256", shortFP(c), "PlanCN", strconv.Quote(j.ca.Subject.CommonName), "PlanSHA256", shortFP(j.ca))
			v.bad[roleCA] = v.foreign
		}
	}
	var keyPEM []byte
	if files[roleKey].exists {
		keyPEM = files[roleKey].snap.data
	}
	if files[roleCert].exists {
		c, err := pki.ParseCertPEM(files[roleCert].snap.data)
		if err != nil {
			v.bad[roleCert] = j.loc.T("wizard.judge.not_cert", "File", files[roleCert].path, "Err", err)
		} else {
			cert = c
			v.judgeCert(j, files, cert, keyPEM)
		}
	}
	v.judgeModes(j, files)
	if len(v.problems()) != 1 {
		v.renewOnly = false
	}
	return v
}

// judgeCert judges the certificate (and the key against it) with
// pki.Verify: the same checks, words and codes as the PKI steps.
func (v *setVerdict) judgeCert(j setJudge, files [3]foundFile, cert *x509.Certificate, keyPEM []byte) {
	p := files[roleCert].path
	in := pki.VerifyInput{CA: j.ca, Cert: cert, Usage: j.usage, Host: j.host, ExpiryWarning: j.window}
	if j.previous != nil && j.usage == pki.UsageServer && cert.CheckSignatureFrom(j.previous) == nil {
		// During a rotation the daemon keeps serving the previous CA's
		// certificate: clients that trust only that CA must still verify it.
		in.CA = j.previous
		v.notes = append(v.notes, j.loc.T("wizard.judge.still_previous", "File", p))
	}
	if keyPEM != nil {
		key, err := pki.ParseKeyPEM(keyPEM, nil)
		if err != nil {
			v.bad[roleKey] = j.loc.T("wizard.judge.not_key", "File", files[roleKey].path, "Err", err)
		} else {
			in.Key = key
		}
	}
	var why []string
	for _, prob := range pki.Verify(in) {
		switch {
		case prob.Code == pki.CodeExpiringSoon:
			v.renew = true
			why = append(why, j.loc.Msg(prob.Text))
		case prob.Code == pki.CodeNotSignedByCA && j.previous != nil && cert.CheckSignatureFrom(j.previous) == nil:
			why = append(why, j.loc.T("wizard.judge.cert_of_previous", "CN", strconv.Quote(cert.Subject.CommonName), "SHA256", shortFP(j.previous)))
		case prob.Code == pki.CodeNotSignedByCA && j.ca != nil:
			v.foreign = j.loc.T("wizard.judge.foreign_cert_file", "File", p, "CN", strconv.Quote(cert.Subject.CommonName), "Issuer", strconv.Quote(cert.Issuer.CommonName), "PlanCN", strconv.Quote(j.ca.Subject.CommonName))
			why = append(why, j.loc.T("wizard.judge.foreign_cert", "CN", strconv.Quote(cert.Subject.CommonName), "Issuer", strconv.Quote(cert.Issuer.CommonName), "PlanCN", strconv.Quote(j.ca.Subject.CommonName)))
		case prob.Code == pki.CodeKeyMismatch:
			v.bad[roleKey] = j.loc.T("wizard.judge.key_mismatch", "Key", files[roleKey].path, "Cert", p)
		case prob.Severity == pki.Fail && strings.HasPrefix(prob.Code, "ca-"):
			// the CA's own state is the ca step's finding
		case prob.Severity == pki.Fail:
			why = append(why, j.loc.Msg(prob.Text))
		default:
			v.notes = append(v.notes, j.loc.Msg(prob.Text))
		}
	}
	if j.usage == pki.UsageServer {
		if missing := missingSANs(cert, j.sans); len(missing) > 0 {
			why = append(why, j.loc.T("wizard.judge.missing_sans", "Names", strings.Join(missing, ", ")))
		}
	}
	if len(why) > 0 {
		v.bad[roleCert] = p + ": " + strings.Join(why, "; ")
	}
	v.renewOnly = v.renew && len(why) == 1
}

// judgeTrust judges a CA file as a bundle: it must hold the plan's CA and,
// during a rotation, the previous one, and no other (after --finish the
// retired CA must go).
func (v *setVerdict) judgeTrust(j setJudge, p string, certs []*x509.Certificate) {
	want := []*x509.Certificate{j.ca}
	if j.previous != nil {
		want = append(want, j.previous)
	}
	has := func(set []*x509.Certificate, c *x509.Certificate) bool {
		return slices.ContainsFunc(set, c.Equal)
	}
	var why []string
	if !has(certs, j.ca) {
		why = append(why, j.loc.T("wizard.judge.lacks_ca", "CN", strconv.Quote(j.ca.Subject.CommonName), "SHA256", shortFP(j.ca)))
	}
	if j.previous != nil && !has(certs, j.previous) {
		why = append(why, j.loc.T("wizard.judge.lacks_previous", "CN", strconv.Quote(j.previous.Subject.CommonName), "SHA256", shortFP(j.previous)))
	}
	for _, c := range certs {
		if !has(want, c) {
			why = append(why, j.loc.T("wizard.judge.extra_ca", "CN", strconv.Quote(c.Subject.CommonName), "SHA256", shortFP(c)))
		}
	}
	if len(why) == 0 {
		return
	}
	if !has(certs, j.ca) && (j.previous == nil || !has(certs, j.previous)) {
		v.foreign = j.loc.T("wizard.judge.foreign_ca", "File", p, "CN", strconv.Quote(certs[0].Subject.CommonName), "SHA256", shortFP(certs[0]), "PlanCN", strconv.Quote(j.ca.Subject.CommonName), "PlanSHA256", shortFP(j.ca))
	}
	v.bad[roleCA] = p + ": " + strings.Join(why, "; ")
}

// judgeModes: a certificate is a problem only when others may write it, a
// key when others may read it.
func (v *setVerdict) judgeModes(j setJudge, files [3]foundFile) {
	owners := map[string][]string{}
	for i, f := range files {
		if !f.exists {
			continue
		}
		mode := f.snap.mode.Perm()
		if setRole(i) == roleKey && mode&keyBadBits != 0 && v.bad[i] == "" {
			v.bad[i] = j.loc.T("wizard.judge.key_mode", "File", f.path, "Mode", fmt.Sprintf("%04o", mode))
			v.modeOnly[i] = true
		} else if setRole(i) != roleKey && mode&certBadBits != 0 && v.bad[i] == "" {
			v.bad[i] = j.loc.T("wizard.judge.cert_mode", "File", f.path, "Mode", fmt.Sprintf("%04o", mode))
			v.modeOnly[i] = true
		}
		if j.root && f.snap.owner != "" && f.snap.owner != "root" {
			owners[f.snap.owner] = append(owners[f.snap.owner], path.Base(f.path))
		}
	}
	for _, o := range slices.Sorted(maps.Keys(owners)) {
		v.notes = append(v.notes, j.loc.T("wizard.judge.owner", "Files", strings.Join(owners[o], ", "), "Owner", o))
	}
}

// namesNote says how a set's names differ from dockertls's own, as
// information ("" when they do not).
func (j setJudge) namesNote(files [3]foundFile, want [3]string) string {
	var diff []string
	for i, f := range files {
		if path.Base(f.path) != want[i] {
			diff = append(diff, j.loc.T("wizard.judge.name_for", "Name", path.Base(f.path), "Want", want[i]))
		}
	}
	if len(diff) == 0 {
		return ""
	}
	return j.loc.T("wizard.judge.names_differ", "Names", strings.Join(diff, ", "))
}

// renewDays is the plan's renewal window (renew_before_days): doctor warns
// from then on, and apply and doctor --fix issue the certificate again.
func (s *Session) renewDays() int { return s.Filled().RenewBeforeDays }

// renewWindow is renewDays as a duration.
func (s *Session) renewWindow() time.Duration {
	return time.Duration(s.renewDays()) * 24 * time.Hour
}
