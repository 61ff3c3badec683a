package wizard

import (
	"cmp"
	"context"
	"crypto"
	"crypto/x509"
	"os"
	"path/filepath"
	"slices"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/parallel"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/wizard/bundle"
)

// IssueOptions are what `dockertls issue client` was asked.
type IssueOptions struct {
	Names []string
	Days  int    // 0: client.days of the plan
	Key   string // "": client.key of the plan
	Out   string // "": clients/ in the PKI directory
	Renew bool   // issue again names that already have a certificate
}

// Issued is the outcome for one name.
type Issued struct {
	Name  string
	Paths bundle.Paths
	Cert  *x509.Certificate
	// Kept: the name already had a certificate and Renew was not asked, so
	// nothing changed. Rebuilt: its bundle was incomplete and was written
	// again from the certificate and key the PKI directory holds.
	Kept, Rebuilt bool
	Err           error
}

// ClientsDir is where `issue client` writes the bundles by default: clients/
// in the plan's PKI directory (private like the directory: the bundles hold
// keys).
func (s *Session) ClientsDir() string { return filepath.Join(s.pkiDirPath(), "clients") }

// IssueClients issues a client certificate (clientAuth, CN = name) from the
// plan's CA for each name and writes its bundle (see package bundle), keys
// made and bundles written as many at once as there are cores. A name that
// has a certificate keeps it unless Renew. One name failing does not stop
// the others: each result carries its own error; the error returned is for
// what stops them all (bad names, no CA).
func (s *Session) IssueClients(ctx context.Context, o IssueOptions) ([]Issued, error) {
	if err := CheckClientNames(o.Names); err != nil {
		return nil, err
	}
	f := s.Filled()
	keyType, err := pki.ParseKeyType(cmp.Or(o.Key, f.Client.Key))
	if err != nil {
		return nil, i18n.Errorf("wizard.issue.key", "Err", err)
	}
	days := cmp.Or(o.Days, f.Client.Days)
	if days < 1 || days > 3650 {
		return nil, i18n.Errorf("wizard.issue.days", "Days", days)
	}
	out := o.Out
	if out == "" {
		out = s.ClientsDir()
	}
	if d, ok := s.existingPKI(); !ok || !d.HasCA() {
		return nil, i18n.Errorf("wizard.issue.no_ca", "Dir", s.pkiDirPath(), "Command", s.say(applySteps(StepCA)))
	}
	d, unlock, err := s.lockPKI(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// During a CA rotation a bundle trusts both CAs: the daemon still
	// serves the previous CA's certificate until rotate-ca --finish.
	caPEM, err := d.TrustBundle()
	if err != nil {
		return nil, i18n.Errorf("wizard.issue.read_ca", "Err", err)
	}
	results := make([]Issued, len(o.Names))
	var toIssue []int
	for i, name := range o.Names {
		results[i] = Issued{Name: name, Paths: bundle.PathsOf(out, name)}
		certFile, _ := pki.ClientFiles(name)
		if (d.Exists(certFile) || bundle.Exists(out, name)) && !o.Renew {
			results[i].Kept = true
			continue
		}
		toIssue = append(toIssue, i)
	}
	var caCert *x509.Certificate
	if len(toIssue) > 0 {
		ca, err := s.loadCA(ctx, d)
		if err != nil {
			return nil, err
		}
		caCert = ca.Cert
		host := f.Daemon.Address
		parallel.Each(0, len(toIssue), func(j int) {
			r := &results[toIssue[j]]
			r.Cert, r.Paths, r.Err = issueBundle(s.Options.Localizer, d, ca, caPEM, r.Name, keyType, days, host, out)
		})
	}
	// A kept name whose bundle is incomplete gets it back from its files.
	for i := range results {
		r := &results[i]
		if r.Kept && !bundleComplete(r.Paths) {
			r.Cert, r.Err = rebuildBundle(s.Options.Localizer, d, caPEM, r.Name, f.Daemon.Address, out)
			r.Rebuilt = r.Err == nil
		} else if r.Kept {
			certFile, _ := pki.ClientFiles(r.Name)
			r.Cert, _ = d.LoadCert(certFile)
		}
	}
	var recs []pki.Record
	for _, r := range results {
		if r.Err == nil && !r.Kept {
			certFile, keyFile := pki.ClientFiles(r.Name)
			rec := pki.NewRecord(pki.KindWorkshop, r.Name, r.Cert, caCert, certFile, keyFile)
			rec.Distributed = []string{"bundle " + r.Paths.Dir}
			recs = append(recs, rec)
		}
	}
	if len(recs) > 0 {
		if err := d.Record(recs...); err != nil {
			return results, i18n.Errorf("wizard.issue.inventory", "Err", err)
		}
	}
	return results, ctx.Err()
}

// CheckClientNames refuses bad and repeated names, all of them at once.
func CheckClientNames(names []string) error {
	if len(names) == 0 {
		return i18n.Errorf("wizard.issue.no_names")
	}
	var errs []error
	for i, n := range names {
		if err := pki.CheckClientName(n); err != nil {
			errs = append(errs, err)
		} else if slices.Contains(names[:i], n) {
			errs = append(errs, i18n.Errorf("wizard.issue.name_twice", "Name", echo.Value(n)))
		}
	}
	return i18n.JoinInline(errs...)
}

// issueBundle issues one client certificate, keeps it in the PKI
// directory as client-NAME-cert.pem/-key.pem and writes its bundle.
func issueBundle(loc *i18n.Localizer, d *pki.Dir, ca *pki.CA, caPEM []byte, name string, kt pki.KeyType, days int, host, out string) (*x509.Certificate, bundle.Paths, error) {
	paths := bundle.PathsOf(out, name)
	key, err := pki.GenerateKey(kt)
	if err != nil {
		return nil, paths, err
	}
	cert, err := ca.IssueClient(pki.LeafOptions{CommonName: name, Days: days, Key: key})
	if err != nil {
		return nil, paths, err
	}
	certFile, keyFile := pki.ClientFiles(name)
	// SaveLeaf replaces the old pair only once the new one is whole.
	if err := d.SaveLeaf(certFile, keyFile, cert, key); err != nil {
		return nil, paths, err
	}
	paths, err = writeBundle(loc, caPEM, cert, key, name, host, out)
	return cert, paths, err
}

// rebuildBundle writes a name's bundle again from the certificate and key
// the PKI directory holds.
func rebuildBundle(loc *i18n.Localizer, d *pki.Dir, caPEM []byte, name, host, out string) (*x509.Certificate, error) {
	certFile, keyFile := pki.ClientFiles(name)
	cert, err := d.LoadCert(certFile)
	if err != nil {
		return nil, i18n.Errorf("wizard.issue.rebuild_cert", "Name", name, "Err", err)
	}
	key, err := d.LoadKey(keyFile)
	if err != nil {
		return nil, i18n.Errorf("wizard.issue.rebuild_key", "Name", name, "Err", err)
	}
	_, err = writeBundle(loc, caPEM, cert, key, name, host, out)
	return cert, err
}

func writeBundle(loc *i18n.Localizer, caPEM []byte, cert *x509.Certificate, key crypto.Signer, name, host, out string) (bundle.Paths, error) {
	keyPEM, err := pki.EncodeKey(key)
	if err != nil {
		return bundle.Paths{}, err
	}
	env, err := EnvScripts(loc, host)
	if err != nil {
		return bundle.Paths{}, err
	}
	return bundle.Write(out, bundle.Bundle{Name: name, Host: host, CA: caPEM, Cert: pki.EncodeCert(cert), Key: keyPEM,
		NotAfter: cert.NotAfter, Env: env})
}

// bundleComplete reports whether the folder and both archives are there.
func bundleComplete(p bundle.Paths) bool {
	for _, f := range []string{filepath.Join(p.Dir, bundle.FileKey), p.Context, p.Tarball} {
		if _, err := os.Stat(f); err != nil {
			return false
		}
	}
	return true
}
