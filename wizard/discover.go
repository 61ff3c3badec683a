package wizard

import (
	"bytes"
	"context"
	"crypto/x509"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/wizard/daemon"
	"github.com/dockertls/dockertls/wizard/netaddr"
	"github.com/dockertls/dockertls/wizard/plan"
)

// Repair without a plan: Discover reads a daemon node's Docker
// configuration and public files over SSH (and the local CA when the user
// points at it) and writes the plan that describes what is there, so that
// doctor can judge it and --fix can carry on from it.

// DiscoverOptions says where to look.
type DiscoverOptions struct {
	Target     string // the daemon node: user@host[:port] or ssh://…
	CADir      string // optional: the local directory with ca.pem (and ca-key.pem)
	Identity   string // optional SSH identity file
	KnownHosts string // optional known_hosts file
}

// Discovery is the plan Discover wrote and what it found, in plain words.
type Discovery struct {
	Plan  *plan.Plan
	Notes []string
}

// Discover inspects the daemon node and returns a plan for it. It changes
// nothing anywhere; only certificates (public) are read from the node.
func Discover(ctx context.Context, p Prompter, opts Options, d DiscoverOptions) (*Discovery, error) {
	pl := &plan.Plan{Daemon: plan.Daemon{SSH: d.Target, Identity: d.Identity, KnownHosts: d.KnownHosts}}
	if err := pl.Validate(); err != nil {
		return nil, err
	}
	s := NewSession(pl, p, opts)
	defer s.Close()
	h, err := s.DaemonHost(ctx)
	if err != nil {
		return nil, err
	}
	f := pl.WithDefaults().Daemon
	set := daemon.Settings{Listen: f.Listen, ConfigPath: f.Config, Restart: f.Restart, Mode: f.Mode, CertDir: f.CertDir, Localizer: s.Options.Localizer}
	n, err := daemon.Inspect(ctx, h, set)
	if err != nil {
		return nil, i18n.Errorf("wizard.discover.inspect", "Host", h.Name(), "Err", err)
	}
	out := &Discovery{Plan: pl}
	note := func(msg string) { out.Notes = append(out.Notes, msg) }
	if cf := n.ConfigFileFlag(); cf != "" && cf != f.Config {
		pl.Daemon.Config = cf
		set.ConfigPath = cf
		if n, err = daemon.Inspect(ctx, h, set); err != nil {
			return nil, i18n.Errorf("wizard.discover.inspect", "Host", h.Name(), "Err", err)
		}
		note(s.T("wizard.discover.config_file", "File", cf))
	}
	if n.Kind != daemon.KindEngine {
		return nil, i18n.Errorf("wizard.discover.not_engine", "Host", h.Name(), "Detail", n.Detail)
	}
	if n.ConfigErr != nil {
		note(s.Error(n.ConfigErr))
	}
	sshHost := plan.TargetHost(d.Target)
	port := 2376
	for _, hst := range n.Hosts() {
		if a, err := netaddr.ParseListen(hst); err == nil && strings.HasPrefix(hst, "tcp://") {
			pl.Daemon.Listen = a.String()
			port = a.Port
			note(s.T("wizard.discover.listens", "Address", hst))
			break
		}
	}
	if pl.Daemon.Listen == "" {
		note(s.T("wizard.discover.no_tcp", "Address", f.Listen))
	}
	caPath, certPath, keyPath := n.TLSFilePaths()
	var daemonCA *x509.Certificate
	if certPath != "" && path.IsAbs(certPath) {
		pl.Daemon.CertDir = path.Dir(certPath)
		// Only the public files: the key stays where it is.
		var found [3]foundFile
		for _, i := range []setRole{roleCA, roleCert} {
			p := [3]string{caPath, certPath, keyPath}[i]
			if p == "" {
				continue
			}
			snaps, _, err := snapshotDir(ctx, h, path.Dir(p), []string{path.Base(p)}, true)
			if err != nil {
				return nil, err
			}
			snap, ok := snaps[path.Base(p)]
			found[i] = foundFile{path: p, exists: ok, snap: snap}
		}
		if c, err := pki.ParseCertPEM(found[roleCert].snap.data); found[roleCert].exists && err == nil {
			pl.Daemon.CommonName = c.Subject.CommonName
			pl.Daemon.SANs = certNames(c)
			note(s.T("wizard.discover.daemon_cert", "File", certPath, "CN", strconv.Quote(c.Subject.CommonName), "Names", strings.Join(certNames(c), ", "), "Issuer", strconv.Quote(c.Issuer.CommonName), "Date", c.NotAfter.UTC().Format("2006-01-02")))
		} else {
			note(s.T("wizard.discover.daemon_cert_unreadable", "File", certPath))
		}
		if c, err := pki.ParseCertPEM(found[roleCA].snap.data); found[roleCA].exists && err == nil {
			daemonCA = c
			note(s.T("wizard.discover.daemon_ca", "CN", strconv.Quote(c.Subject.CommonName), "File", caPath))
		}
	} else {
		note(s.T("wizard.discover.no_tls", "Dir", f.CertDir))
	}
	addr := sshHost
	if len(pl.Daemon.SANs) > 0 && !plan.SANsCover(pl.Daemon.SANs, sshHost) {
		addr = pl.Daemon.SANs[0]
	}
	if addr != "" {
		pl.Daemon.Address = netaddr.New(addr, port).String()
		if len(pl.Daemon.SANs) > 0 && !plan.SANsCover(pl.Daemon.SANs, addr) {
			pl.Daemon.SANs = append(pl.Daemon.SANs, addr)
		}
	}
	if err := discoverCA(s, pl, d.CADir, daemonCA, note); err != nil {
		return nil, err
	}
	discoverClient(s, pl, daemonCA, sshHost, note)
	if err := pl.Validate(); err != nil {
		return nil, i18n.Errorf("wizard.discover.invalid_plan", "Host", h.Name(), "Err", err)
	}
	return out, nil
}

// discoverCA points the plan at the local CA, when the user named its
// directory, and says whether the daemon trusts it.
func discoverCA(s *Session, pl *plan.Plan, dir string, daemonCA *x509.Certificate, note func(string)) error {
	if dir == "" {
		pl.Dir = "./pki"
		if daemonCA != nil {
			note(s.T("wizard.discover.no_ca_dir", "CN", strconv.Quote(daemonCA.Subject.CommonName)))
		}
		return nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	pl.Dir = abs
	caPEM, err := os.ReadFile(filepath.Join(abs, pki.FileCA))
	if err != nil {
		return i18n.Errorf("wizard.discover.ca_dir", "Dir", echo.Bare(dir), "Err", err, "CA", pki.FileCA, "Key", pki.FileCAKey)
	}
	ca, err := pki.ParseCertPEM(caPEM)
	if err != nil {
		return i18n.Errorf("wizard.discover.ca_dir_cert", "Dir", echo.Bare(dir), "File", pki.FileCA, "Err", err)
	}
	pl.CA.CommonName = ca.Subject.CommonName
	if kt, _ := pki.KeyTypeOf(ca.PublicKey); kt != "" {
		pl.CA.Key = string(kt)
	}
	if key, err := os.ReadFile(filepath.Join(abs, pki.FileCAKey)); err == nil && bytes.Contains(key, []byte("ENCRYPTED")) {
		pl.CA.PassphraseEnv = "DOCKERTLS_CA_PASSPHRASE"
		note(s.T("wizard.discover.encrypted", "File", filepath.Join(abs, pki.FileCAKey)))
	}
	switch {
	case daemonCA == nil:
	case daemonCA.Equal(ca) || bytes.Equal(daemonCA.RawSubjectPublicKeyInfo, ca.RawSubjectPublicKeyInfo):
		note(s.T("wizard.discover.trusts_yours", "Dir", abs))
	default:
		note(s.T("wizard.discover.trusts_other", "DaemonCN", strconv.Quote(daemonCA.Subject.CommonName), "Dir", abs, "CN", strconv.Quote(ca.Subject.CommonName)))
	}
	return nil
}

// discoverClient puts the client files where the user keeps them for this
// daemon: ~/.docker when its ca.pem is the daemon's CA (the tutorial's
// layout), else a directory of their own (~/.docker/HOST), so the files of
// another daemon in ~/.docker are never replaced.
func discoverClient(s *Session, pl *plan.Plan, daemonCA *x509.Certificate, host string, note func(string)) {
	pl.Client.Target = plan.TargetLocal
	pl.Client.CertDir = "~/.docker/" + host
	home, err := os.UserHomeDir()
	if err != nil || daemonCA == nil {
		return
	}
	data, err := os.ReadFile(filepath.Join(home, ".docker", ClientCAFile))
	if err != nil {
		return
	}
	if c, err := pki.ParseCertPEM(data); err == nil && c.Equal(daemonCA) {
		pl.Client.CertDir = "~/.docker"
		note(s.T("wizard.discover.client_docker_dir"))
	}
}
