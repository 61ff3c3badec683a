package wizard

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

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
	set := daemon.Settings{Listen: f.Listen, ConfigPath: f.Config, Restart: f.Restart, Mode: f.Mode, CertDir: f.CertDir}
	n, err := daemon.Inspect(ctx, h, set)
	if err != nil {
		return nil, fmt.Errorf("cannot inspect the Docker daemon on %s: %w", h.Name(), err)
	}
	out := &Discovery{Plan: pl}
	note := func(format string, args ...any) { out.Notes = append(out.Notes, fmt.Sprintf(format, args...)) }
	if cf := n.ConfigFileFlag(); cf != "" && cf != f.Config {
		pl.Daemon.Config = cf
		set.ConfigPath = cf
		if n, err = daemon.Inspect(ctx, h, set); err != nil {
			return nil, fmt.Errorf("cannot inspect the Docker daemon on %s: %w", h.Name(), err)
		}
		note("dockerd reads %s (--config-file)", cf)
	}
	if n.Kind != daemon.KindEngine {
		return nil, fmt.Errorf("cannot repair Docker on %s: %s", h.Name(), n.Detail)
	}
	if n.ConfigErr != nil {
		note("%v", n.ConfigErr)
	}
	sshHost := plan.TargetHost(d.Target)
	port := 2376
	for _, hst := range n.Hosts() {
		if a, err := netaddr.ParseListen(hst); err == nil && strings.HasPrefix(hst, "tcp://") {
			pl.Daemon.Listen = a.String()
			port = a.Port
			note("the daemon listens on %s", hst)
			break
		}
	}
	if pl.Daemon.Listen == "" {
		note("the daemon does not listen on TCP yet: the plan uses %s", f.Listen)
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
			note("the daemon's certificate %s is %q for %s, issued by %q, valid until %s", certPath, c.Subject.CommonName, strings.Join(certNames(c), ", "), c.Issuer.CommonName, c.NotAfter.UTC().Format("2006-01-02"))
		} else {
			note("the daemon's certificate %s cannot be read", certPath)
		}
		if c, err := pki.ParseCertPEM(found[roleCA].snap.data); found[roleCA].exists && err == nil {
			daemonCA = c
			note("the daemon trusts the CA %q (%s)", c.Subject.CommonName, caPath)
		}
	} else {
		note("the daemon has no TLS certificate configured: the plan puts one in %s", f.CertDir)
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
	if err := discoverCA(pl, d.CADir, daemonCA, note); err != nil {
		return nil, err
	}
	discoverClient(pl, daemonCA, sshHost, note)
	if err := pl.Validate(); err != nil {
		return nil, fmt.Errorf("the plan made from %s does not validate (%v); write one by hand: dockertls wizard", h.Name(), err)
	}
	return out, nil
}

// discoverCA points the plan at the local CA, when the user named its
// directory, and says whether the daemon trusts it.
func discoverCA(pl *plan.Plan, dir string, daemonCA *x509.Certificate, note func(string, ...any)) error {
	if dir == "" {
		pl.Dir = "./pki"
		if daemonCA != nil {
			note("no --ca-dir: without the CA %q's key, doctor --fix can only make a new CA in ./pki and issue every certificate again (the old files are backed up); point --ca-dir at the directory with its ca.pem and ca-key.pem to keep it", daemonCA.Subject.CommonName)
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
		return fmt.Errorf("--ca-dir %s: %w (it should hold the CA's %s and %s)", dir, err, pki.FileCA, pki.FileCAKey)
	}
	ca, err := pki.ParseCertPEM(caPEM)
	if err != nil {
		return fmt.Errorf("--ca-dir %s: %s: %w", dir, pki.FileCA, err)
	}
	pl.CA.CommonName = ca.Subject.CommonName
	if kt, _ := pki.KeyTypeOf(ca.PublicKey); kt != "" {
		pl.CA.Key = string(kt)
	}
	if key, err := os.ReadFile(filepath.Join(abs, pki.FileCAKey)); err == nil && bytes.Contains(key, []byte("ENCRYPTED")) {
		pl.CA.PassphraseEnv = "DOCKERTLS_CA_PASSPHRASE"
		note("%s is encrypted: export DOCKERTLS_CA_PASSPHRASE with its passphrase before doctor --fix (the plan names that variable)", filepath.Join(abs, pki.FileCAKey))
	}
	switch {
	case daemonCA == nil:
	case daemonCA.Equal(ca) || bytes.Equal(daemonCA.RawSubjectPublicKeyInfo, ca.RawSubjectPublicKeyInfo):
		note("the daemon trusts your CA in %s", abs)
	default:
		note("the daemon trusts the CA %q, but %s holds the CA %q: doctor --fix replaces the daemon's files with ones from yours (backed up first)", daemonCA.Subject.CommonName, abs, ca.Subject.CommonName)
	}
	return nil
}

// discoverClient puts the client files where the user keeps them for this
// daemon: ~/.docker when its ca.pem is the daemon's CA (the tutorial's
// layout), else a directory of their own (~/.docker/HOST), so the files of
// another daemon in ~/.docker are never replaced.
func discoverClient(pl *plan.Plan, daemonCA *x509.Certificate, host string, note func(string, ...any)) {
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
		note("~/.docker on this machine holds the daemon's CA: the plan uses the client files there")
	}
}
