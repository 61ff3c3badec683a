package wizard

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

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
	host     string        // daemon: the address clients dial
	sans     []string      // daemon: the plan's names
	window   time.Duration // renewal window
	root     bool          // the files should belong to root
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
			v.bad[i] = fmt.Sprintf("%s is missing", f.path)
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
			v.bad[roleCA] = fmt.Sprintf("%s is not a certificate (%v)", files[roleCA].path, err)
		case j.ca != nil && (j.previous != nil || len(certs) > 1):
			v.judgeTrust(j, files[roleCA].path, certs)
		case j.ca == nil, c.Equal(j.ca):
		case bytes.Equal(c.RawSubjectPublicKeyInfo, j.ca.RawSubjectPublicKeyInfo) && bytes.Equal(c.RawSubject, j.ca.RawSubject):
			if time.Until(c.NotAfter) < j.window {
				v.bad[roleCA] = fmt.Sprintf("%s is an older copy of the CA %q that expires %s (the CA was renewed since)", files[roleCA].path, c.Subject.CommonName, c.NotAfter.UTC().Format(time.DateOnly))
			}
		default:
			v.foreign = fmt.Sprintf("%s is the CA %q (SHA256 %s), not the plan's CA %q (SHA256 %s)", files[roleCA].path, c.Subject.CommonName, shortFP(c), j.ca.Subject.CommonName, shortFP(j.ca))
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
			v.bad[roleCert] = fmt.Sprintf("%s is not a certificate (%v)", files[roleCert].path, err)
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
		v.notes = append(v.notes, fmt.Sprintf("%s is still the previous CA's (rotation in progress: rotate-ca --finish replaces it)", p))
	}
	if keyPEM != nil {
		key, err := pki.ParseKeyPEM(keyPEM, nil)
		if err != nil {
			v.bad[roleKey] = fmt.Sprintf("%s is not a private key dockertls can read (%v)", files[roleKey].path, err)
		} else {
			in.Key = key
		}
	}
	var why []string
	for _, prob := range pki.Verify(in) {
		switch {
		case prob.Code == pki.CodeExpiringSoon:
			v.renew = true
			why = append(why, prob.Message)
		case prob.Code == pki.CodeNotSignedByCA && j.previous != nil && cert.CheckSignatureFrom(j.previous) == nil:
			why = append(why, fmt.Sprintf("%q is a certificate of the previous CA (SHA256 %s; rotation in progress): it gets one of the new CA", cert.Subject.CommonName, shortFP(j.previous)))
		case prob.Code == pki.CodeNotSignedByCA && j.ca != nil:
			v.foreign = fmt.Sprintf("%s (%q) was issued by %q, not by the plan's CA %q", p, cert.Subject.CommonName, cert.Issuer.CommonName, j.ca.Subject.CommonName)
			why = append(why, fmt.Sprintf("%q was issued by %q, not by the plan's CA %q", cert.Subject.CommonName, cert.Issuer.CommonName, j.ca.Subject.CommonName))
		case prob.Code == pki.CodeKeyMismatch:
			v.bad[roleKey] = fmt.Sprintf("%s does not belong to %s", files[roleKey].path, p)
		case prob.Severity == pki.Fail && strings.HasPrefix(prob.Code, "ca-"):
			// the CA's own state is the ca step's finding
		case prob.Severity == pki.Fail:
			why = append(why, prob.Message)
		default:
			v.notes = append(v.notes, prob.Message)
		}
	}
	if j.usage == pki.UsageServer {
		if missing := missingSANs(cert, j.sans); len(missing) > 0 {
			why = append(why, fmt.Sprintf("it does not name %s, which daemon.sans lists", strings.Join(missing, ", ")))
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
		why = append(why, fmt.Sprintf("it does not hold the CA %q (SHA256 %s)", j.ca.Subject.CommonName, shortFP(j.ca)))
	}
	if j.previous != nil && !has(certs, j.previous) {
		why = append(why, fmt.Sprintf("it does not hold the previous CA %q (SHA256 %s), which clients not yet re-issued still use (rotation in progress)", j.previous.Subject.CommonName, shortFP(j.previous)))
	}
	for _, c := range certs {
		if !has(want, c) {
			why = append(why, fmt.Sprintf("it still trusts the CA %q (SHA256 %s), which the plan no longer uses", c.Subject.CommonName, shortFP(c)))
		}
	}
	if len(why) == 0 {
		return
	}
	if !has(certs, j.ca) && (j.previous == nil || !has(certs, j.previous)) {
		v.foreign = fmt.Sprintf("%s is the CA %q (SHA256 %s), not the plan's CA %q (SHA256 %s)", p, certs[0].Subject.CommonName, shortFP(certs[0]), j.ca.Subject.CommonName, shortFP(j.ca))
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
		bad, what := certBadBits, "others can change it"
		if setRole(i) == roleKey {
			bad, what = keyBadBits, "others can read it"
		}
		if mode&bad != 0 && v.bad[i] == "" {
			v.bad[i] = fmt.Sprintf("%s has mode %04o: %s", f.path, mode, what)
			v.modeOnly[i] = true
		}
		if j.root && f.snap.owner != "" && f.snap.owner != "root" {
			owners[f.snap.owner] = append(owners[f.snap.owner], path.Base(f.path))
		}
	}
	for _, o := range slices.Sorted(maps.Keys(owners)) {
		v.notes = append(v.notes, fmt.Sprintf("%s belong to %s, not root", strings.Join(owners[o], ", "), o))
	}
}

// namesNote says how a set's names differ from dockertls's own, as
// information ("" when they do not).
func namesNote(files [3]foundFile, want [3]string) string {
	var diff []string
	for i, f := range files {
		if path.Base(f.path) != want[i] {
			diff = append(diff, fmt.Sprintf("%s for %s", path.Base(f.path), want[i]))
		}
	}
	if len(diff) == 0 {
		return ""
	}
	return "names differ from dockertls's (" + strings.Join(diff, ", ") + "): kept as they are"
}

// renewDays is the plan's renewal window (renew_before_days): doctor warns
// from then on, and apply and doctor --fix issue the certificate again.
func (s *Session) renewDays() int { return s.Filled().RenewBeforeDays }

// renewWindow is renewDays as a duration.
func (s *Session) renewWindow() time.Duration {
	return time.Duration(s.renewDays()) * 24 * time.Hour
}
