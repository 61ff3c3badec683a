package wizard

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/wizard/fix"
	"github.com/dockertls/dockertls/wizard/plan"
)

// The PKI steps (ca, daemon-cert, client-cert) work in the local PKI
// directory through package pki. Their keys are generated together, at the
// start of the first of them that runs, because RSA-4096 generation is slow
// and each key uses one core.

// pkiDirPath is the local PKI directory, resolved against the plan file.
func (s *Session) pkiDirPath() string { return s.Plan().LocalPath(s.Filled().Dir) }

// openPKI opens (creating it when missing) the PKI directory.
func (s *Session) openPKI() (*pki.Dir, error) {
	d, err := pki.OpenDir(s.pkiDirPath())
	if err != nil {
		return nil, i18n.Errorf("wizard.pki.dir", "Err", err)
	}
	return d, nil
}

// defaultLockWait is how long a step waits for another run to finish with
// the PKI directory or the daemon's node before it gives up and names that
// run (Options.LockWait).
const defaultLockWait = 10 * time.Second

// lockWait is Options.LockWait or its default.
func (s *Session) lockWait() time.Duration {
	if s.Options.LockWait > 0 {
		return s.Options.LockWait
	}
	return defaultLockWait
}

// lockPKI opens the PKI directory and takes its lock for one step's
// changes (see pki.Dir.Lock: two runs never create the same CA or pair at
// once, and what a killed run left is finished first). The step decides
// what to do only once it holds the lock.
func (s *Session) lockPKI(ctx context.Context) (*pki.Dir, func(), error) {
	d, err := s.openPKI()
	if err != nil {
		return nil, nil, err
	}
	unlock, err := d.Lock(ctx, s.lockWait())
	if err != nil {
		return nil, nil, i18n.Errorf("wizard.pki.dir", "Err", err)
	}
	return d, unlock, nil
}

// pkiAccessFinding is the finding of a PKI directory that exists but this
// user may not use: "permission denied", never "no CA yet".
func (s *Session) pkiAccessFinding(step StepName) (Finding, bool) {
	err := s.pkiAccessError()
	if err == nil {
		return Finding{}, false
	}
	return Finding{Step: step, Status: StatusFail, Code: "permission-denied", Message: s.Error(err),
		Fix: s.tfix("wizard.pki.access_fix", "Dir", s.pkiDirPath())}, true
}

// pkiAccessError is the error of a PKI directory that exists but this user
// may not use (nil when it is missing or usable).
func (s *Session) pkiAccessError() error {
	if _, err := os.Stat(s.pkiDirPath()); err != nil && !errors.Is(err, fs.ErrPermission) {
		return nil
	}
	if _, err := pki.OpenDir(s.pkiDirPath()); errors.Is(err, fs.ErrPermission) {
		return err
	}
	return nil
}

// existingPKI opens the PKI directory only when it exists (Check must not
// create anything).
func (s *Session) existingPKI() (*pki.Dir, bool) {
	if fi, err := os.Stat(s.pkiDirPath()); err != nil || !fi.IsDir() {
		return nil, false
	}
	d, err := pki.OpenDir(s.pkiDirPath())
	return d, err == nil
}

// passphrase answers the CA key's passphrase, once per run: from the
// variable the plan names (ca.passphrase_env) when it has a value, else from
// the Prompter (the TUI asks: twice for a new CA, where an empty answer
// means an unencrypted key). A prompter that does not ask (headless, see
// ErrCAPassphraseNotAsked) leaves the plan to decide: a new CA without
// passphrase_env gets an unencrypted key; otherwise the error names the
// variable to export.
func (s *Session) passphrase(ctx context.Context, create bool) (string, error) {
	s.mu.Lock()
	if s.caPassphrase != nil {
		defer s.mu.Unlock()
		return *s.caPassphrase, nil
	}
	s.mu.Unlock()
	// EnvSecrets answers from ca.passphrase_env before the Prompter asks.
	p, err := s.Prompter.CAPassphrase(ctx, create)
	switch {
	case errors.Is(err, ErrCAPassphraseNotAsked):
		if env := s.Filled().CA.PassphraseEnv; env != "" {
			return "", i18n.Errorf("wizard.pki.passphrase_env_empty", "Env", env)
		}
		if !create {
			return "", i18n.Errorf("wizard.pki.passphrase_missing")
		}
		p = "" // no passphrase_env: an unencrypted CA key, as the plan asks
	case err != nil:
		return "", err
	}
	s.mu.Lock()
	s.caPassphrase = &p
	s.mu.Unlock()
	return p, nil
}

// loadCA reads the CA, asking for its passphrase only when it is encrypted.
func (s *Session) loadCA(ctx context.Context, d *pki.Dir) (*pki.CA, error) {
	if cert, err := d.LoadCert(pki.FileCA); err == nil {
		if err := s.weakCA(cert); err != nil {
			return nil, i18n.Errorf("wizard.pki.ca_weak", "Dir", d.Root(), "Err", err, "Fix", s.replaceCAFix().String())
		}
	}
	return s.unlockCA(ctx, d)
}

// unlockCA reads the CA whatever its state: a CA rotation must unlock even
// a CA that is too weak to issue from, to move away from it.
func (s *Session) unlockCA(ctx context.Context, d *pki.Dir) (*pki.CA, error) {
	ca, err := d.LoadCA(func() (string, error) { return s.passphrase(ctx, false) })
	if errors.Is(err, pki.ErrWrongPassphrase) {
		// A mistyped passphrase is not kept: the retry asks again.
		s.mu.Lock()
		s.caPassphrase = nil
		s.mu.Unlock()
		return nil, i18n.Errorf("wizard.pki.ca_wrong_passphrase", "Dir", d.Root(), "Err", err)
	}
	if err != nil {
		return nil, i18n.Errorf("wizard.pki.ca_unusable", "Dir", d.Root(), "Err", err)
	}
	return ca, nil
}

// leafSpec is what differs between the daemon and the client certificate.
type leafSpec struct {
	step     StepName
	usage    pki.Usage
	certFile string
	keyFile  string
	cn       string
	sans     []string
	host     string // daemon: the address clients dial
	key      string
	days     int
}

func (s *Session) daemonLeaf() leafSpec {
	d := s.Filled().Daemon
	certFile, keyFile := s.daemonFiles()
	return leafSpec{step: StepDaemonCert, usage: pki.UsageServer, certFile: certFile, keyFile: keyFile,
		cn: d.CommonName, sans: d.SANs, host: d.Address, key: d.Key, days: d.Days}
}

func (s *Session) clientLeaf() leafSpec {
	c := s.Filled().Client
	return leafSpec{step: StepClientCert, usage: pki.UsageClient, certFile: pki.FileClientCert, keyFile: pki.FileClientKey,
		cn: c.CommonName, key: c.Key, days: c.Days}
}

// daemonFiles are the daemon's certificate and key in the PKI directory:
// daemon-cert.pem, or daemon-NAME-cert.pem for a daemon of a fleet.
func (s *Session) daemonFiles() (cert, key string) {
	return pki.DaemonFiles(s.Filled().FleetName())
}

// checkLeaf is the Check of daemon-cert and client-cert: the files exist,
// chain to the CA, fit their use, match the plan and are not about to expire.
func checkLeaf(s *Session, spec leafSpec) []Finding {
	if f, denied := s.pkiAccessFinding(spec.step); denied {
		return []Finding{f}
	}
	d, ok := s.existingPKI()
	if !ok || !d.Exists(spec.certFile) || !d.Exists(spec.keyFile) {
		return []Finding{{Step: spec.step, Status: StatusFail, Code: "missing",
			Message: s.T("leaf.check.missing", "Cert", spec.certFile, "Key", spec.keyFile, "Dir", s.pkiDirPath()),
			Fix:     fix.New(applySteps(spec.step))}}
	}
	cert, err := d.LoadCert(spec.certFile)
	if err != nil {
		return []Finding{{Step: spec.step, Status: StatusFail, Code: "unreadable", Message: s.Error(err), Fix: fix.New(applySteps(spec.step))}}
	}
	in := pki.VerifyInput{Cert: cert, KeyPath: d.Path(spec.keyFile), Usage: spec.usage, Host: spec.host,
		ExpiryWarning: s.renewWindow()}
	if key, err := d.LoadKey(spec.keyFile); err == nil {
		in.Key = key
	} else if !errors.Is(err, fs.ErrPermission) {
		return []Finding{{Step: spec.step, Status: StatusFail, Code: "key-unreadable", Message: s.Error(err), Fix: fix.New(applySteps(spec.step))}}
	}
	if ca, err := d.LoadCert(pki.FileCA); err == nil {
		in.CA = ca
	}
	byPrevious := spec.usage == pki.UsageServer && issuedByPrevious(d, cert)
	if byPrevious {
		in.CA = d.PreviousCACert()
	}
	problems := pki.Verify(in)
	if byPrevious {
		// The previous CA's weakness is the rotation's business (doctor's
		// rotation-in-progress line), not this certificate's.
		problems = slices.DeleteFunc(problems, previousCAMatter)
	}
	out := s.problemsToFindings(spec.step, problems)
	if spec.usage == pki.UsageServer {
		if missing := missingSANs(cert, spec.sans); len(missing) > 0 {
			out = append(out, Finding{Step: spec.step, Status: StatusFail, Code: "plan-sans",
				Message: s.T("leaf.check.plan_sans", "File", spec.certFile, "Names", strings.Join(missing, ", ")),
				Fix:     s.tfix("leaf.check.plan_sans_fix", "Command", cmdText(applySteps(StepDaemonCert)))})
		}
	}
	if len(out) == 0 {
		sum := pki.Inspect(cert, time.Time{})
		msg := s.T("leaf.check.ok", "File", spec.certFile, "CN", sum.Subject, "Date", sum.NotAfter.Format(time.DateOnly), "Days", sum.DaysLeft)
		if byPrevious {
			msg = s.T("wizard.pki.leaf_ok_previous", "OK", msg, "Command", s.Command("rotate-ca", "--finish"))
		}
		out = append(out, Finding{Step: spec.step, Status: StatusOK, Code: "ok", Message: msg})
	}
	return out
}

// missingSANs lists the plan's names a certificate does not carry.
func missingSANs(cert *x509.Certificate, sans []string) []string {
	var missing []string
	for _, n := range sans {
		if !plan.SANsCover(certNames(cert), n) {
			missing = append(missing, n)
		}
	}
	return missing
}

func certNames(c *x509.Certificate) []string {
	names := slices.Clone(c.DNSNames)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

// problemsToFindings turns pki.Verify's problems into the step's findings,
// in the user's language.
func (s *Session) problemsToFindings(step StepName, ps []pki.Problem) []Finding {
	loc := s.Options.Localizer
	var out []Finding
	for _, p := range ps {
		st := StatusWarn
		if p.Severity == pki.Fail {
			st = StatusFail
		}
		out = append(out, Finding{Step: step, Status: st, Code: p.Code, Message: loc.Msg(p.Text), Fix: fix.Words(loc.Msg(p.FixText))})
	}
	return out
}

// hasFail reports whether any finding fails.
func hasFail(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Status == StatusFail })
}

// keyWant is a key a PKI step will need.
type keyWant struct {
	step StepName
	kt   pki.KeyType
}

// keyWants lists the keys the PKI steps from `from` on will need and do not
// hold yet: the CA's when there is no CA, a leaf's when its certificate
// must be issued. With onlyPlanned, only steps of the current run count.
func (s *Session) keyWants(from StepName, onlyPlanned bool) ([]keyWant, error) {
	var wants []keyWant
	f := s.Filled()
	d, _ := s.existingPKI()
	caMissing := d == nil || !d.HasCA()
	consider := func(step StepName, keyType string, needed func() bool) error {
		if stepIndex(step) < stepIndex(from) || onlyPlanned && !s.willRun(step) {
			return nil
		}
		kt, err := pki.ParseKeyType(keyType)
		if err != nil {
			return err
		}
		if s.hasKey(step, kt) || !needed() {
			return nil
		}
		wants = append(wants, keyWant{step, kt})
		return nil
	}
	if err := consider(StepCA, f.CA.Key, func() bool { return caMissing }); err != nil {
		return nil, err
	}
	if err := consider(StepDaemonCert, f.Daemon.Key, func() bool { return caMissing || hasFail(checkLeaf(s, s.daemonLeaf())) }); err != nil {
		return nil, err
	}
	if err := consider(StepClientCert, f.Client.Key, func() bool { return caMissing || hasFail(checkLeaf(s, s.clientLeaf())) }); err != nil {
		return nil, err
	}
	return wants, nil
}

// prepareKeys generates, all at once, the keys this run will need for the
// PKI steps from `from` on (among the steps the run was asked to do) and
// keeps them in the session for those steps to take. Keys being prewarmed
// are waited for, not generated twice.
func (s *Session) prepareKeys(ctx context.Context, from StepName) error {
	if err := s.waitWarming(ctx); err != nil {
		return err
	}
	wants, err := s.keyWants(from, true)
	if err != nil || len(wants) == 0 {
		return err
	}
	types := make([]pki.KeyType, len(wants))
	for i, w := range wants {
		types[i] = w.kt
	}
	keys, err := pki.GenerateKeys(types...)
	if err != nil {
		return i18n.Errorf("wizard.pki.generate", "Err", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys == nil {
		s.keys = map[StepName]crypto.Signer{}
	}
	for i, w := range wants {
		s.keys[w.step] = keys[i]
	}
	return ctx.Err()
}

// takeKey returns the key prepared for step when it has the plan's type,
// or generates one now.
func (s *Session) takeKey(step StepName, keyType string) (crypto.Signer, error) {
	kt, err := pki.ParseKeyType(keyType)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	k, ok := s.keys[step]
	delete(s.keys, step)
	s.mu.Unlock()
	if ok && keyTypeIs(k, kt) {
		return k, nil
	}
	return pki.GenerateKey(kt)
}

// hasKey reports whether a key of type kt waits for step; one of another
// type (the plan changed since) is dropped.
func (s *Session) hasKey(step StepName, kt pki.KeyType) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[step]
	if ok && !keyTypeIs(k, kt) {
		delete(s.keys, step)
		return false
	}
	return ok
}

func keyTypeIs(k crypto.Signer, kt pki.KeyType) bool {
	got, _ := pki.KeyTypeOf(k)
	return got == kt
}

// willRun reports whether the current run includes step (a run started
// through Engine.Apply for a single step includes only that one).
func (s *Session) willRun(step StepName) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.planned, step)
}

func stepIndex(n StepName) int { return slices.Index(StepNames(), n) }

// certLine is the one-line summary of a certificate: key type, expiry,
// fingerprint (shortened).
func (s *Session) certLine(c *x509.Certificate) string {
	sum := pki.Inspect(c, time.Time{})
	kt := string(sum.KeyType)
	if kt == "" {
		kt = sum.KeyAlgo
	}
	fp := sum.SHA256
	if len(fp) > 23 {
		fp = fp[:23] + "…"
	}
	return s.T("cert.line", "Key", kt, "Date", sum.NotAfter.Format(time.DateOnly), "SHA256", fp)
}
