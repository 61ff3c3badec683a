package wizard

import (
	"fmt"
	"strings"
)

// StepInfo names a step for front ends: its name as typed after --step, and
// its title as shown in lists.
type StepInfo struct {
	Name  StepName
	Title string
}

// Steps lists the seven steps in the order they run, with their titles.
func Steps() []StepInfo {
	out := make([]StepInfo, 0, 7)
	for _, n := range StepNames() {
		out = append(out, StepInfo{Name: n, Title: StepTitle(n)})
	}
	return out
}

// StepTitle is a step's title ("Create the certificate authority").
func StepTitle(n StepName) string {
	switch n {
	case StepCA:
		return "Create the certificate authority"
	case StepDaemonCert:
		return "Issue the daemon certificate"
	case StepClientCert:
		return "Issue the client certificate"
	case StepDistribute:
		return "Copy the certificates to the hosts"
	case StepDaemonConfig:
		return "Configure and restart the daemon"
	case StepClientEnv:
		return "Set up the client environment"
	case StepVerify:
		return "Test the connection"
	}
	return string(n)
}

// ParseStepName reads a step name as typed after --step.
func ParseStepName(s string) (StepName, error) {
	for _, n := range StepNames() {
		if string(n) == s {
			return n, nil
		}
	}
	names := make([]string, 0, 7)
	for _, n := range StepNames() {
		names = append(names, string(n))
	}
	return "", fmt.Errorf("unknown step %q (steps: %s)", s, strings.Join(names, ", "))
}

// allSteps is every step, in order.
func allSteps() []Step {
	return []Step{caStep{}, daemonCertStep{}, clientCertStep{}, distributeStep{}, daemonConfigStep{}, clientEnvStep{}, verifyStep{}}
}
