package wizard

import (
	"cmp"
	"context"
	"os"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
)

// daemonCertStep issues the daemon's certificate (serverAuth, the SANs
// clients dial); clientCertStep the client's (clientAuth).
type daemonCertStep struct{}
type clientCertStep struct{}

func (daemonCertStep) Name() StepName { return StepDaemonCert }
func (clientCertStep) Name() StepName { return StepClientCert }

func (daemonCertStep) Check(ctx context.Context, s *Session) []Finding {
	return checkLeaf(s, s.daemonLeaf())
}
func (clientCertStep) Check(ctx context.Context, s *Session) []Finding {
	return checkLeaf(s, s.clientLeaf())
}

func (daemonCertStep) Describe(ctx context.Context, s *Session) (Description, error) {
	spec := s.daemonLeaf()
	what := s.T("daemon-cert.what", "Cert", spec.certFile, "KeyFile", spec.keyFile, "Dir", s.pkiDirPath(), "Key", spec.key, "CN", spec.cn, "Days", spec.days, "Names", strings.Join(spec.sans, ", "))
	return Description{Step: StepDaemonCert, Title: s.title(StepDaemonCert), What: what, Why: s.why(StepDaemonCert),
		Commands: leafCommands(s.pkiDirPath(), spec, s.Filled().CA)}, nil
}

func (clientCertStep) Describe(ctx context.Context, s *Session) (Description, error) {
	spec := s.clientLeaf()
	what := s.T("client-cert.what", "Cert", spec.certFile, "KeyFile", spec.keyFile, "Dir", s.pkiDirPath(), "Key", spec.key, "CN", spec.cn, "Days", spec.days)
	return Description{Step: StepClientCert, Title: s.title(StepClientCert), What: what, Why: s.why(StepClientCert),
		Commands: leafCommands(s.pkiDirPath(), spec, s.Filled().CA)}, nil
}

func (daemonCertStep) Apply(ctx context.Context, s *Session, emit func(Event)) error {
	return applyLeaf(ctx, s, s.daemonLeaf(), emit)
}
func (clientCertStep) Apply(ctx context.Context, s *Session, emit func(Event)) error {
	return applyLeaf(ctx, s, s.clientLeaf(), emit)
}

// applyLeaf issues a leaf certificate unless a healthy one that matches the
// plan is already there (then nothing changes).
func applyLeaf(ctx context.Context, s *Session, spec leafSpec, emit func(Event)) error {
	d, unlock, err := s.lockPKI(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	findings := checkLeaf(s, spec)
	if !hasFail(findings) {
		cert, err := d.LoadCert(spec.certFile)
		if err != nil {
			return err
		}
		for _, f := range findings {
			if f.Status == StatusWarn && f.Code != "expiring-soon" {
				emit(Event{Kind: EventWarn, Message: f.Message + " — " + f.Fix.Render(s.Renderer())})
			}
		}
		if !hasCode(findings, pki.CodeExpiringSoon) {
			emit(Event{Kind: EventSkipped, Message: s.T("leaf.apply.exists", "File", spec.certFile, "CN", cert.Subject.CommonName, "Cert", s.certLine(cert))})
			return nil
		}
		emit(Event{Kind: EventInfo, Message: s.T("leaf.apply.expires_soon", "File", spec.certFile)})
	} else if d.Exists(spec.certFile) {
		for _, f := range findings {
			if f.Status == StatusFail {
				emit(Event{Kind: EventInfo, Message: s.T("leaf.apply.again", "Why", f.Message)})
			}
		}
	}
	if !d.HasCA() {
		return i18n.Errorf("wizard.leaf.no_ca", "Dir", d.Root(), "Command", s.say(applySteps(StepCA, spec.step)))
	}
	return issueLeaf(ctx, s, d, spec, emit)
}

// issueLeaf issues spec's certificate under the CA and a new key, in place
// of the files there (applyLeaf decides whether that is needed; a CA
// rotation always does).
func issueLeaf(ctx context.Context, s *Session, d *pki.Dir, spec leafSpec, emit func(Event)) error {
	if err := s.prepareKeys(ctx, spec.step); err != nil {
		return err
	}
	ca, err := s.loadCA(ctx, d)
	if err != nil {
		return err
	}
	key, err := s.takeKey(spec.step, spec.key)
	if err != nil {
		return i18n.Errorf("wizard.leaf.generate", "Usage", spec.usage, "Err", err)
	}
	opts := pki.LeafOptions{CommonName: spec.cn, SANs: spec.sans, AllowWildcard: true, Days: spec.days, Key: key}
	issue := ca.IssueClient
	if spec.usage == pki.UsageServer {
		issue = ca.IssueDaemon
	}
	cert, err := issue(opts)
	if err != nil {
		return err
	}
	// SaveLeaf replaces the old pair (0400 files: a rename needs no write
	// bit) only once the new one is complete, so a failure keeps the old
	// pair, which may well still be valid.
	if err := d.SaveLeaf(spec.certFile, spec.keyFile, cert, key); err != nil {
		return err
	}
	kind, name := pki.KindClient, cert.Subject.CommonName
	if spec.usage == pki.UsageServer {
		kind = pki.KindDaemon
		name = cmp.Or(s.Filled().FleetName(), name)
	}
	s.record(d, emit, pki.NewRecord(kind, name, cert, ca.Cert, spec.certFile, spec.keyFile))
	emit(Event{Kind: EventInfo, Message: s.T("apply.wrote", "A", d.Path(spec.certFile), "B", d.Path(spec.keyFile))})
	if spec.usage == pki.UsageServer {
		emit(Event{Kind: EventDone, Message: s.T("leaf.apply.issued_for", "File", spec.certFile, "CN", spec.cn, "Names", strings.Join(certNames(cert), ", "), "Cert", s.certLine(cert))})
	} else {
		emit(Event{Kind: EventDone, Message: s.T("leaf.apply.issued", "File", spec.certFile, "CN", spec.cn, "Cert", s.certLine(cert))})
	}
	return nil
}

func hasCode(fs []Finding, code string) bool {
	for _, f := range fs {
		if f.Code == code {
			return true
		}
	}
	return false
}

// statMode is a file's permission bits.
func statMode(path string) (os.FileMode, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Mode().Perm(), nil
}
