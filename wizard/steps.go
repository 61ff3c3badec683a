package wizard

import (
	"slices"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
)

// StepInfo names a step for front ends: its name as typed after --step, and
// its title as shown in lists.
type StepInfo struct {
	Name  StepName
	Title string
}

// Steps lists the seven steps in the order they run, with their titles in l's language.
func Steps(l *i18n.Localizer) []StepInfo {
	out := make([]StepInfo, 0, 7)
	for _, n := range StepNames() {
		out = append(out, StepInfo{Name: n, Title: StepTitleIn(l, n)})
	}
	return out
}

// StepTitle is a step's title in English ("Create the certificate authority").
func StepTitle(n StepName) string { return StepTitleIn(nil, n) }

// StepTitleIn is a step's title in l's language; an unknown step is its name.
func StepTitleIn(l *i18n.Localizer, n StepName) string {
	if !slices.Contains(StepNames(), n) {
		return string(n)
	}
	return l.T("step." + string(n) + ".title")
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
	return "", i18n.Errorf("wizard.step.unknown", "Name", echo.Value(s), "Steps", strings.Join(names, ", "))
}

// allSteps is every step, in order.
func allSteps() []Step {
	return []Step{caStep{}, daemonCertStep{}, clientCertStep{}, distributeStep{}, daemonConfigStep{}, clientEnvStep{}, verifyStep{}}
}
