package wizard

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/wizard/fix"
)

// caStep creates the certificate authority (ca.pem, ca-key.pem) in the local
// PKI directory, or keeps the one that is there.
type caStep struct{}

func (caStep) Name() StepName { return StepCA }

func (caStep) Check(ctx context.Context, s *Session) []Finding {
	if f, denied := s.pkiAccessFinding(StepCA); denied {
		return []Finding{f}
	}
	d, ok := s.existingPKI()
	again := fix.New(applySteps(StepCA))
	if !ok || !d.Exists(pki.FileCA) {
		return []Finding{{Step: StepCA, Status: StatusFail, Code: "missing",
			Message: s.T("ca.check.missing", "File", pki.FileCA, "Dir", s.pkiDirPath()), Fix: again}}
	}
	if !d.Exists(pki.FileCAKey) {
		return []Finding{{Step: StepCA, Status: StatusWarn, Code: "ca-key-missing",
			Message: s.T("ca.check.key_missing", "File", pki.FileCAKey),
			Fix:     s.tfix("ca.check.key_missing_fix", "Dir", s.pkiDirPath())}}
	}
	cert, err := d.LoadCert(pki.FileCA)
	if err != nil {
		return []Finding{{Step: StepCA, Status: StatusFail, Code: "unreadable", Message: s.Error(err),
			Fix: s.tfix("ca.check.unreadable_fix")}}
	}
	sum := pki.Inspect(cert, time.Time{})
	out := s.problemsToFindings(StepCA, d.DirProblems())
	if err := s.weakCA(cert); err != nil {
		out = append(out, Finding{Step: StepCA, Status: StatusFail, Code: pki.CodeWeakKey, Message: s.Error(err), Fix: s.replaceCAFix()})
	}
	if f, ok := s.checkCAKey(d, cert); ok {
		out = append(out, f)
	}
	switch {
	case !sum.IsCA:
		out = append(out, Finding{Step: StepCA, Status: StatusFail, Code: pki.CodeCAInvalid,
			Message: s.T("ca.check.not_ca", "File", pki.FileCA), Fix: s.tfix("ca.check.not_ca_fix", "File", pki.FileCA)})
	case sum.Expired:
		out = append(out, Finding{Step: StepCA, Status: StatusFail, Code: pki.CodeCAExpired,
			Message: s.T("ca.check.expired", "CN", sum.Subject, "Date", sum.NotAfter.Format(time.DateOnly)),
			Fix:     s.tfix("ca.check.expired_fix", "Command", cmdText(fix.Apply()))})
	case sum.DaysLeft < s.renewDays():
		out = append(out, Finding{Step: StepCA, Status: StatusWarn, Code: pki.CodeCAExpiringSoon,
			Message: s.T("ca.check.expiring", "CN", sum.Subject, "Days", sum.DaysLeft, "Date", sum.NotAfter.Format(time.DateOnly)),
			Fix:     s.tfix("ca.check.expiring_fix", "CA", cmdText(applySteps(StepCA)), "Distribute", cmdText(applySteps(StepDistribute)))})
	}
	if fi, err := statMode(d.Path(pki.FileCAKey)); err == nil && fi&0o077 != 0 {
		out = append(out, Finding{Step: StepCA, Status: StatusWarn, Code: pki.CodeKeyPermissions,
			Message: s.T("ca.check.key_mode", "File", pki.FileCAKey, "Mode", fmt.Sprintf("%04o", fi)),
			Fix:     fix.Words("chmod 0400 " + d.Path(pki.FileCAKey))})
	}
	if len(out) == 0 {
		out = append(out, Finding{Step: StepCA, Status: StatusOK, Code: "ok",
			Message: s.T("ca.check.ok", "CN", sum.Subject, "Date", sum.NotAfter.Format(time.DateOnly), "Days", sum.DaysLeft)})
	}
	return append(out, s.rotationFindings(d)...)
}

// checkCAKey is the finding when ca-key.pem does not belong to ca.pem (a
// pair of two runs, or a key put back from the wrong backup). An encrypted
// key is opened only with a passphrase the run already has (the plan's
// variable, or one asked before): Check never asks.
func (s *Session) checkCAKey(d *pki.Dir, cert *x509.Certificate) (Finding, bool) {
	key, err := d.LoadCAKey(func() (string, error) { return s.knownPassphrase() })
	switch {
	case err == nil && pki.KeyMatches(cert, key):
		return Finding{}, false
	case err == nil:
		return Finding{Step: StepCA, Status: StatusFail, Code: pki.CodeKeyMismatch,
			Message: s.T("wizard.ca.key_mismatch", "Key", pki.FileCAKey, "Cert", pki.FileCA),
			Fix:     s.tfix("wizard.ca.key_mismatch_fix", "Replace", s.replaceCAText())}, true
	case errors.Is(err, pki.ErrPassphraseRequired):
		return Finding{}, false // encrypted, and no passphrase without asking
	}
	return Finding{Step: StepCA, Status: StatusFail, Code: pki.CodeKeyUnreadable, Message: s.Error(err),
		Fix: s.tfix("wizard.ca.key_unreadable_fix")}, true
}

// knownPassphrase is the CA key's passphrase when the run has it without
// asking; pki.ErrPassphraseRequired otherwise.
func (s *Session) knownPassphrase() (string, error) {
	s.mu.Lock()
	cached := s.caPassphrase
	s.mu.Unlock()
	if cached != nil && *cached != "" {
		return *cached, nil
	}
	if env := s.Filled().CA.PassphraseEnv; env != "" {
		if p := s.getenv(env); p != "" {
			return p, nil
		}
	}
	return "", pki.ErrPassphraseRequired
}

// caEncrypted says whether the CA key is or will be encrypted: the plan
// names its passphrase's variable, the user chose a non-empty passphrase
// (the TUI asks), or the ca-key.pem that is there is encrypted.
func (s *Session) caEncrypted() bool {
	if s.Filled().CA.PassphraseEnv != "" {
		return true
	}
	s.mu.Lock()
	chosen := s.caPassphrase != nil && *s.caPassphrase != ""
	s.mu.Unlock()
	if chosen {
		return true
	}
	d, ok := s.existingPKI()
	if !ok || !d.Exists(pki.FileCAKey) {
		return false
	}
	_, err := d.LoadCAKey(func() (string, error) { return "", pki.ErrPassphraseRequired })
	return errors.Is(err, pki.ErrPassphraseRequired)
}

// weakCA refuses a CA whose key can be broken: certificates it signs could
// be forged, so it is neither renewed nor used to issue.
func (s *Session) weakCA(cert *x509.Certificate) error {
	weak := pki.WeakKey(cert.PublicKey)
	if weak == "" {
		return nil
	}
	return i18n.Errorf("wizard.ca.weak", "CN", strconv.Quote(cert.Subject.CommonName), "Weak", weak)
}

// replaceCAFix is the way out of a CA that must go.
func (s *Session) replaceCAFix() fix.Text { return fix.Parse(s.replaceCAText()) }

// replaceCAText is replaceCAFix as the catalogs write it (-f PLAN).
func (s *Session) replaceCAText() string {
	return s.T("wizard.ca.replace", "Replace", cmdText(fix.Apply().With("--replace-ca")), "Rotate", cmdText(fix.Run("rotate-ca")))
}

func (caStep) Describe(ctx context.Context, s *Session) (Description, error) {
	f := s.Filled()
	dir := s.pkiDirPath()
	what := s.T("ca.what.create", "CN", f.CA.CommonName, "Key", f.CA.Key, "Days", f.CA.Days, "Dir", dir)
	if f.CA.PassphraseEnv != "" {
		what = s.T("ca.what.create_encrypted", "CN", f.CA.CommonName, "Key", f.CA.Key, "Days", f.CA.Days, "Dir", dir, "Env", f.CA.PassphraseEnv)
	}
	cmds := caCommands(dir, f.CA, s.caEncrypted())
	if d, ok := s.existingPKI(); ok && d.Exists(pki.FileCA) {
		what = s.T("ca.what.keep_unread", "Dir", dir, "Warn", s.renewDays())
		cmds = caInspectCommands(dir)
		if cert, err := d.LoadCert(pki.FileCA); err == nil {
			sum := pki.Inspect(cert, time.Time{})
			switch {
			case sum.Expired:
				what = s.T("ca.what.renew_expired", "CN", sum.Subject, "Dir", dir, "Date", sum.NotAfter.Format(time.DateOnly), "Days", f.CA.Days)
				cmds = caRenewCommands(dir, f.CA, sum.KeyType)
			case sum.DaysLeft < s.renewDays():
				what = s.T("ca.what.renew_expiring", "CN", sum.Subject, "Dir", dir, "Left", sum.DaysLeft, "Date", sum.NotAfter.Format(time.DateOnly), "Days", f.CA.Days)
				cmds = caRenewCommands(dir, f.CA, sum.KeyType)
			default:
				what = s.T("ca.what.keep", "CN", sum.Subject, "Dir", dir, "Date", sum.NotAfter.Format(time.DateOnly), "Warn", s.renewDays())
			}
		}
	}
	return Description{Step: StepCA, Title: s.title(StepCA), What: what, Why: s.why(StepCA),
		Commands: cmds}, nil
}

func (caStep) Apply(ctx context.Context, s *Session, emit func(Event)) error {
	f := s.Filled()
	if err := s.prepareKeys(ctx, StepCA); err != nil {
		return err
	}
	d, unlock, err := s.lockPKI(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if !d.HasCA() {
		return createCA(ctx, s, d, false, emit)
	}
	if s.Options.ReplaceCA {
		return createCA(ctx, s, d, true, emit)
	}
	if !d.Exists(pki.FileCAKey) || !d.Exists(pki.FileCA) {
		return i18n.Errorf("wizard.ca.half", "Dir", d.Root(), "Fix", s.replaceCAFix().String())
	}
	ca, err := s.loadCA(ctx, d) // refuses a weak CA before asking for its passphrase
	if err != nil {
		return err
	}
	sum := pki.Inspect(ca.Cert, time.Time{})
	if !sum.Expired && sum.DaysLeft >= s.renewDays() {
		emit(Event{Kind: EventSkipped, Message: s.T("ca.apply.exists", "CN", sum.Subject, "Cert", s.certLine(ca.Cert))})
		return nil
	}
	// Renew an expired CA, and one within the expiry warning (doctor's
	// ca-expiring-soon tells users to run this step): a new self-signed
	// certificate for the same key and name, so every certificate the CA
	// issued chains to it again.
	why := s.T("ca.apply.why_expired")
	if !sum.Expired {
		why = s.T("ca.apply.why_expiring", "Days", sum.DaysLeft)
	}
	renewed, err := pki.RenewCA(ca, f.CA.Days)
	if err != nil {
		return i18n.Errorf("wizard.ca.renew", "Why", why, "Err", err)
	}
	// Keep the key as it was: encrypted with the same passphrase when
	// loading it asked for one, plain otherwise.
	pass := ""
	s.mu.Lock()
	if s.caPassphrase != nil {
		pass = *s.caPassphrase
	}
	s.mu.Unlock()
	if err := d.SaveCA(renewed, pass, true); err != nil {
		return i18n.Errorf("wizard.ca.save_renewed", "Err", err)
	}
	s.record(d, emit, pki.NewRecord(pki.KindCA, renewed.Cert.Subject.CommonName, renewed.Cert, renewed.Cert, pki.FileCA, pki.FileCAKey))
	emit(Event{Kind: EventDone, Message: s.T("ca.apply.renewed", "Why", why, "CN", sum.Subject, "Cert", s.certLine(renewed.Cert))})
	return nil
}

// createCA makes a new CA in d; replace sets an existing one aside as
// *.replaced-TIMESTAMP (apply --replace-ca).
func createCA(ctx context.Context, s *Session, d *pki.Dir, replace bool, emit func(Event)) error {
	f := s.Filled()
	pass, err := s.passphrase(ctx, true)
	if err != nil {
		return err
	}
	key, err := s.takeKey(StepCA, f.CA.Key)
	if err != nil {
		return i18n.Errorf("wizard.ca.generate", "Err", err)
	}
	ca, err := pki.NewCA(pki.CAOptions{CommonName: f.CA.CommonName, Key: key, Days: f.CA.Days})
	if err != nil {
		return err
	}
	if err := d.SaveCA(ca, pass, replace); err != nil {
		return err
	}
	s.record(d, emit, pki.NewRecord(pki.KindCA, ca.Cert.Subject.CommonName, ca.Cert, ca.Cert, pki.FileCA, pki.FileCAKey))
	wrote := s.T("apply.wrote", "A", d.Path(pki.FileCA), "B", d.Path(pki.FileCAKey))
	if pass != "" {
		wrote = s.T("ca.apply.wrote_encrypted", "A", d.Path(pki.FileCA), "B", d.Path(pki.FileCAKey))
	}
	emit(Event{Kind: EventInfo, Message: wrote})
	if replace {
		emit(Event{Kind: EventDone, Message: s.T("wizard.ca.replaced", "CN", strconv.Quote(f.CA.CommonName), "Cert", s.certLine(ca.Cert), "File", d.Path(pki.FileCA))})
		return nil
	}
	emit(Event{Kind: EventDone, Message: s.T("ca.apply.created", "CN", f.CA.CommonName, "Cert", s.certLine(ca.Cert))})
	return nil
}
