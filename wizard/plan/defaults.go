package plan

import (
	"cmp"
	"slices"
	"strings"

	"github.com/dockertls/dockertls/wizard/netaddr"
)

// Defaults of the plan file (README, "The plan file").
const (
	DefaultDir           = "./pki"
	DefaultCACommonName  = "Docker TLS CA"
	DefaultKey           = "rsa-4096"
	DefaultDays          = 730
	DefaultRenewBefore   = 30 // days
	DefaultListen        = "tcp://0.0.0.0:2376"
	DefaultDaemonCertDir = "/etc/docker/tls"
	DefaultDaemonConfig  = "/etc/docker/daemon.json"
	DefaultRestart       = "auto"
	DefaultMode          = "hosts"
	DefaultClientCertDir = "~/.docker"
	DefaultClientCN      = "client"
	DefaultKnownHosts    = "~/.ssh/known_hosts"
	TargetLocal          = "local"
)

// New is a plan with every default filled: a daemon on this machine
// listening on 2376, RSA-4096 keys valid 730 days, client files in ~/.docker.
func New() *Plan {
	return (&Plan{}).WithDefaults()
}

// WithDefaults returns a copy of the plan with every empty value replaced by
// its default. Derived values follow the plan's own answers: the daemon's
// address from its SANs or SSH host, its SANs from the address, leaf key
// types and validity from the CA's. The receiver is not changed, so saving
// it keeps the user's plan as sparse as they wrote it.
func (p *Plan) WithDefaults() *Plan {
	q := *p
	q.Daemon.SANs = slices.Clone(p.Daemon.SANs)
	q.Dir = cmp.Or(q.Dir, DefaultDir)
	q.RenewBeforeDays = cmp.Or(q.RenewBeforeDays, DefaultRenewBefore)
	ca := &q.CA
	ca.CommonName = cmp.Or(ca.CommonName, DefaultCACommonName)
	ca.Key = cmp.Or(ca.Key, DefaultKey)
	ca.Days = cmp.Or(ca.Days, DefaultDays)

	d := &q.Daemon
	d.SSH = cmp.Or(d.SSH, TargetLocal)
	if d.SSH != TargetLocal && d.KnownHosts == "" {
		d.KnownHosts = DefaultKnownHosts
	}
	d.Listen = cmp.Or(d.Listen, DefaultListen)
	if d.Address == "" {
		host := ""
		switch {
		case len(d.SANs) > 0:
			host = d.SANs[0]
		case d.CommonName != "":
			host = d.CommonName
		case d.SSH == TargetLocal:
			host = "localhost"
		default:
			host = TargetHost(d.SSH)
		}
		d.Address = q.AddressFor(host)
	}
	if len(d.SANs) == 0 {
		if a, err := netaddr.Parse(d.Address); err == nil {
			host := a.Host
			d.SANs = append(d.SANs, host)
			if d.CommonName != "" && !strings.EqualFold(d.CommonName, host) {
				d.SANs = append(d.SANs, d.CommonName)
			}
			if d.SSH == TargetLocal && host == "localhost" {
				d.SANs = append(d.SANs, "127.0.0.1")
			}
		}
	}
	if d.CommonName == "" {
		d.CommonName = firstDNSName(d.SANs)
		if d.CommonName == "" {
			if a, err := netaddr.Parse(d.Address); err == nil {
				d.CommonName = a.Host
			}
		}
	}
	d.CertDir = cmp.Or(d.CertDir, DefaultDaemonCertDir)
	d.Config = cmp.Or(d.Config, DefaultDaemonConfig)
	d.Restart = cmp.Or(d.Restart, DefaultRestart)
	d.Mode = cmp.Or(d.Mode, DefaultMode)
	d.Key = cmp.Or(d.Key, ca.Key)
	d.Days = cmp.Or(d.Days, ca.Days)

	c := &q.Client
	c.Target = cmp.Or(c.Target, TargetLocal)
	if c.Target != TargetLocal && c.KnownHosts == "" {
		c.KnownHosts = DefaultKnownHosts
	}
	c.CertDir = cmp.Or(c.CertDir, DefaultClientCertDir)
	c.CommonName = cmp.Or(c.CommonName, DefaultClientCN)
	c.Key = cmp.Or(c.Key, ca.Key)
	c.Days = cmp.Or(c.Days, ca.Days)
	return &q
}

// firstDNSName is the first SAN that is not an IP address.
func firstDNSName(sans []string) string {
	for _, s := range sans {
		if !netaddr.IsIP(s) {
			return s
		}
	}
	return ""
}
