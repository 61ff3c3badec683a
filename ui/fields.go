package ui

import (
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// fieldSpec is one answer a step needs: where it lives in the plan, how it
// is shown, and how it is checked. An empty answer keeps the plan's zero
// value, which the wizard reads as its default (shown as the placeholder).
type fieldSpec struct {
	key      string // the plan key, as in the plan file: "daemon.sans"
	label    string
	hint     string   // shown under the focused field
	def      string   // placeholder: the default, or an example
	options  []string // a choice among these instead of free text
	check    func(string) error
	get      func(*plan.Plan) string
	set      func(*plan.Plan, string)
	suggests bool // daemon.sans: filled from Engine.SuggestSANs
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// fieldsFor lists the answers each step asks for, in the order shown.
func fieldsFor(step wizard.StepName) []fieldSpec {
	switch step {
	case wizard.StepCA:
		return []fieldSpec{
			{key: "dir", label: "PKI directory on this machine", def: plan.DefaultDir,
				hint: "the CA key stays here and never leaves this machine",
				get:  func(p *plan.Plan) string { return p.Dir }, set: func(p *plan.Plan, v string) { p.Dir = v }},
			{key: "ca.common_name", label: "CA name (common name)", def: plan.DefaultCACommonName,
				get: func(p *plan.Plan) string { return p.CA.CommonName }, set: func(p *plan.Plan, v string) { p.CA.CommonName = v }},
			{key: "ca.key", label: "Key type", options: plan.KeyTypes(), def: plan.DefaultKey,
				hint: "←/→ to change; the certificates use the same type unless the plan says otherwise",
				get:  func(p *plan.Plan) string { return p.CA.Key }, set: func(p *plan.Plan, v string) { p.CA.Key = v }},
			{key: "ca.days", label: "Valid for (days)", def: "730", check: checkDays,
				get: func(p *plan.Plan) string { return itoa(p.CA.Days) }, set: func(p *plan.Plan, v string) { p.CA.Days = atoi(v) }},
		}
	case wizard.StepDaemonCert:
		return []fieldSpec{
			{key: "daemon.ssh", label: "Daemon node (SSH)", def: "root@node3:22 or local", check: checkSSHTarget,
				hint: "where dockerd runs; its names and addresses are gathered from it",
				get:  func(p *plan.Plan) string { return p.Daemon.SSH }, set: func(p *plan.Plan, v string) { p.Daemon.SSH = v }},
			{key: "daemon.identity", label: "SSH key (optional)", def: "ssh-agent, ~/.ssh/id_*, or a password", check: checkIdentityFile,
				get: func(p *plan.Plan) string { return p.Daemon.Identity }, set: func(p *plan.Plan, v string) { p.Daemon.Identity = v }},
			{key: "daemon.sans", label: "Names clients dial (SANs)", def: "node3, 10.0.0.12", check: checkSANs, suggests: true,
				hint: "DNS names and IP addresses, comma separated; the certificate is valid only for these",
				get:  func(p *plan.Plan) string { return strings.Join(p.Daemon.SANs, ", ") },
				set:  func(p *plan.Plan, v string) { p.Daemon.SANs = splitList(v) }},
			{key: "daemon.address", label: "Address clients dial", def: "tcp://node3:2376", check: checkTCPAddress,
				hint: "DOCKER_HOST for the client; always with the port",
				get:  func(p *plan.Plan) string { return p.Daemon.Address }, set: func(p *plan.Plan, v string) { p.Daemon.Address = v }},
		}
	case wizard.StepClientCert:
		return []fieldSpec{
			{key: "client.common_name", label: "Client name (common name)", def: plan.DefaultClientCN,
				get: func(p *plan.Plan) string { return p.Client.CommonName }, set: func(p *plan.Plan, v string) { p.Client.CommonName = v }},
			{key: "client.target", label: "Client machine", def: plan.TargetLocal, check: checkClientTarget,
				hint: "local (this machine) or ssh://user@host[:port]",
				get:  func(p *plan.Plan) string { return p.Client.Target }, set: func(p *plan.Plan, v string) { p.Client.Target = v }},
		}
	case wizard.StepDistribute:
		return []fieldSpec{
			{key: "daemon.cert_dir", label: "Daemon certificate directory", def: plan.DefaultDaemonCertDir,
				get: func(p *plan.Plan) string { return p.Daemon.CertDir }, set: func(p *plan.Plan, v string) { p.Daemon.CertDir = v }},
			{key: "client.cert_dir", label: "Client certificate directory", def: plan.DefaultClientCertDir,
				hint: "~/.docker is where docker looks without DOCKER_CERT_PATH",
				get:  func(p *plan.Plan) string { return p.Client.CertDir }, set: func(p *plan.Plan, v string) { p.Client.CertDir = v }},
		}
	case wizard.StepDaemonConfig:
		return []fieldSpec{
			{key: "daemon.listen", label: "Daemon listens on", def: plan.DefaultListen, check: checkTCPAddress,
				get: func(p *plan.Plan) string { return p.Daemon.Listen }, set: func(p *plan.Plan, v string) { p.Daemon.Listen = v }},
			{key: "daemon.config", label: "daemon.json path", def: plan.DefaultDaemonConfig,
				get: func(p *plan.Plan) string { return p.Daemon.Config }, set: func(p *plan.Plan, v string) { p.Daemon.Config = v }},
			{key: "daemon.restart", label: "Restart with", def: plan.DefaultRestart,
				hint: "auto | systemd | service | none | a command run with sudo",
				get:  func(p *plan.Plan) string { return p.Daemon.Restart }, set: func(p *plan.Plan, v string) { p.Daemon.Restart = v }},
		}
	case wizard.StepClientEnv:
		return []fieldSpec{
			{key: "client.context", label: "docker context (optional)", def: "none", check: checkContextName,
				hint: "a named context lets you run docker --context NAME without variables",
				get:  func(p *plan.Plan) string { return p.Client.Context }, set: func(p *plan.Plan, v string) { p.Client.Context = v }},
		}
	}
	return nil
}
