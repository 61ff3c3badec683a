package ui

import (
	"github.com/dockertls/dockertls/wizard/plan"
)

// Inline checks of what the user types. Each is the plan's own check of
// that field (plan.CheckField), so a field is refused here exactly when the
// plan would refuse it, in the plan's words; the TUI has no rules of its own.

func checkDays(s string) error         { return plan.CheckField("ca.days", s) }
func checkSSHTarget(s string) error    { return plan.CheckField("daemon.ssh", s) }
func checkClientTarget(s string) error { return plan.CheckField("client.target", s) }
func checkSANs(s string) error         { return plan.CheckField("daemon.sans", s) }
func checkTCPAddress(s string) error   { return plan.CheckField("daemon.address", s) }
func checkListen(s string) error       { return plan.CheckField("daemon.listen", s) }
func checkContextName(s string) error  { return plan.CheckField("client.context", s) }
func checkIdentityFile(s string) error { return plan.CheckField("daemon.identity", s) }

// checkCovered is the plan's rule across two fields: the daemon
// certificate must name the host clients dial.
func checkCovered(address, sans string) error {
	p := &plan.Plan{Daemon: plan.Daemon{SANs: plan.SplitList(sans)}}
	return p.CheckField("daemon.address", address)
}
