package ui

import (
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
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

// fieldsFor lists the answers each step asks for, in the order shown, their
// words in l's language.
func fieldsFor(l *i18n.Localizer, step wizard.StepName) []fieldSpec {
	switch step {
	case wizard.StepCA:
		return []fieldSpec{
			{key: "dir", label: l.T("field.dir.label"), def: plan.DefaultDir,
				hint: l.T("field.dir.hint"),
				get:  func(p *plan.Plan) string { return p.Dir }, set: func(p *plan.Plan, v string) { p.Dir = v }},
			{key: "ca.common_name", label: l.T("field.ca.common_name.label"), def: plan.DefaultCACommonName,
				get: func(p *plan.Plan) string { return p.CA.CommonName }, set: func(p *plan.Plan, v string) { p.CA.CommonName = v }},
			{key: "ca.key", label: l.T("field.ca.key.label"), options: plan.KeyTypes(), def: plan.DefaultKey,
				hint: l.T("field.ca.key.hint"),
				get:  func(p *plan.Plan) string { return p.CA.Key }, set: func(p *plan.Plan, v string) { p.CA.Key = v }},
			{key: "ca.days", label: l.T("field.ca.days.label"), def: "730", check: checkDays,
				get: func(p *plan.Plan) string { return itoa(p.CA.Days) }, set: func(p *plan.Plan, v string) { p.CA.Days = atoi(v) }},
		}
	case wizard.StepDaemonCert:
		return []fieldSpec{
			{key: "daemon.ssh", label: l.T("field.daemon.ssh.label"), def: l.T("field.daemon.ssh.def"), check: checkSSHTarget,
				hint: l.T("field.daemon.ssh.hint"),
				get:  func(p *plan.Plan) string { return p.Daemon.SSH }, set: func(p *plan.Plan, v string) { p.Daemon.SSH = v }},
			{key: "daemon.identity", label: l.T("field.daemon.identity.label"), def: l.T("field.daemon.identity.def"), check: checkIdentityFile,
				get: func(p *plan.Plan) string { return p.Daemon.Identity }, set: func(p *plan.Plan, v string) { p.Daemon.Identity = v }},
			{key: "daemon.sans", label: l.T("field.daemon.sans.label"), def: "node3, 10.0.0.12", check: checkSANs, suggests: true,
				hint: l.T("field.daemon.sans.hint"),
				get:  func(p *plan.Plan) string { return strings.Join(p.Daemon.SANs, ", ") },
				set:  func(p *plan.Plan, v string) { p.Daemon.SANs = plan.SplitList(v) }},
			{key: "daemon.address", label: l.T("field.daemon.address.label"), def: "tcp://node3:2376", check: checkTCPAddress,
				hint: l.T("field.daemon.address.hint"),
				get:  func(p *plan.Plan) string { return p.Daemon.Address }, set: func(p *plan.Plan, v string) { p.Daemon.Address = v }},
		}
	case wizard.StepClientCert:
		return []fieldSpec{
			{key: "client.common_name", label: l.T("field.client.common_name.label"), def: plan.DefaultClientCN,
				get: func(p *plan.Plan) string { return p.Client.CommonName }, set: func(p *plan.Plan, v string) { p.Client.CommonName = v }},
			{key: "client.target", label: l.T("field.client.target.label"), def: plan.TargetLocal, check: checkClientTarget,
				hint: l.T("field.client.target.hint"),
				get:  func(p *plan.Plan) string { return p.Client.Target }, set: func(p *plan.Plan, v string) { p.Client.Target = v }},
		}
	case wizard.StepDistribute:
		return []fieldSpec{
			{key: "daemon.cert_dir", label: l.T("field.daemon.cert_dir.label"), def: plan.DefaultDaemonCertDir,
				get: func(p *plan.Plan) string { return p.Daemon.CertDir }, set: func(p *plan.Plan, v string) { p.Daemon.CertDir = v }},
			{key: "client.cert_dir", label: l.T("field.client.cert_dir.label"), def: plan.DefaultClientCertDir,
				hint: l.T("field.client.cert_dir.hint"),
				get:  func(p *plan.Plan) string { return p.Client.CertDir }, set: func(p *plan.Plan, v string) { p.Client.CertDir = v }},
		}
	case wizard.StepDaemonConfig:
		return []fieldSpec{
			{key: "daemon.listen", label: l.T("field.daemon.listen.label"), def: plan.DefaultListen, check: checkListen,
				get: func(p *plan.Plan) string { return p.Daemon.Listen }, set: func(p *plan.Plan, v string) { p.Daemon.Listen = v }},
			{key: "daemon.config", label: l.T("field.daemon.config.label"), def: plan.DefaultDaemonConfig,
				get: func(p *plan.Plan) string { return p.Daemon.Config }, set: func(p *plan.Plan, v string) { p.Daemon.Config = v }},
			{key: "daemon.restart", label: l.T("field.daemon.restart.label"), def: plan.DefaultRestart,
				hint: l.T("field.daemon.restart.hint"),
				get:  func(p *plan.Plan) string { return p.Daemon.Restart }, set: func(p *plan.Plan, v string) { p.Daemon.Restart = v }},
		}
	case wizard.StepClientEnv:
		return []fieldSpec{
			{key: "client.context", label: l.T("field.client.context.label"), def: l.T("field.client.context.def"), check: checkContextName,
				hint: l.T("field.client.context.hint"),
				get:  func(p *plan.Plan) string { return p.Client.Context }, set: func(p *plan.Plan, v string) { p.Client.Context = v }},
		}
	}
	return nil
}
