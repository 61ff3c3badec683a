package wizard

import (
	"context"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/plan"
)

// Doctor runs every step's Check in order, the live connection test
// included. A step that reports nothing is listed as ok, so the result has
// at least one line per step.
func (r *Runner) Doctor(ctx context.Context) []Finding {
	var out []Finding
	for _, n := range StepNames() {
		fs := r.Check(ctx, n)
		if len(fs) == 0 {
			fs = []Finding{{Step: n, Status: StatusOK, Code: "ok", Message: r.session.T("step.done")}}
		}
		out = append(out, fs...)
	}
	return out
}

// Failing lists the steps with a failing finding, in run order.
func Failing(findings []Finding) []StepName {
	var names []StepName
	for _, f := range findings {
		if f.Status == StatusFail {
			names = append(names, f.Step)
		}
	}
	if len(names) == 0 {
		return nil // OrderSteps(nil) would mean every step
	}
	return OrderSteps(uniqueSteps(names))
}

func uniqueSteps(names []StepName) []StepName {
	seen := map[StepName]bool{}
	var out []StepName
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// Renewable reports a finding that works today but that apply and
// doctor --fix act on: a certificate inside the renewal window
// (renew_before_days), issued again under the same CA.
func Renewable(f Finding) bool {
	return f.Status == StatusWarn && strings.HasSuffix(f.Code, "expiring-soon")
}

// ToRepair lists the steps doctor --fix runs for: the failing ones and
// those with a certificate to renew, in run order.
func ToRepair(findings []Finding) []StepName {
	var names []StepName
	for _, f := range findings {
		if f.Status == StatusFail || Renewable(f) {
			names = append(names, f.Step)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return OrderSteps(uniqueSteps(names))
}

// Fix re-runs the failing steps of a doctor run in order, and every step
// after the first of them: a certificate issued again must be distributed
// again and the daemon restarted to load it, and every step is a no-op when
// it is already done. Remote changes still need --yes or a confirmation.
// It returns nil without running anything when nothing fails.
func (r *Runner) Fix(ctx context.Context, findings []Finding, emit func(Event)) error {
	failing := ToRepair(findings)
	if len(failing) == 0 {
		return nil
	}
	var run []StepName
	started := false
	for _, n := range StepNames() {
		if n == failing[0] {
			started = true
		}
		if started {
			run = append(run, n)
		}
	}
	return r.Run(ctx, run, emit)
}

// SuggestSANs gathers the daemon node's names and addresses (over SSH when it
// is remote) as suggestions for daemon.sans: its host name, its fully
// qualified name, its addresses, and the SSH target's host.
func (r *Runner) SuggestSANs(ctx context.Context) ([]string, error) {
	h, err := r.session.DaemonHost(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	add := func(v string) {
		v = strings.TrimSpace(v)
		if v == "" || v == "(none)" || plan.CheckSAN(v) != nil {
			return
		}
		for _, have := range out {
			if strings.EqualFold(have, v) {
				return
			}
		}
		out = append(out, v)
	}
	if t := plan.TargetHost(r.session.Filled().Daemon.SSH); t != "" {
		add(t)
	}
	for _, args := range [][]string{{"hostname"}, {"hostname", "-f"}, {"hostname", "-I"}} {
		res, err := h.Run(ctx, cmdOf(args...))
		if err != nil {
			return out, i18n.Errorf("wizard.doctor.names", "Host", h.Name(), "Err", err)
		}
		if res.ExitCode != 0 {
			continue
		}
		for _, f := range strings.Fields(string(res.Stdout)) {
			if !strings.HasPrefix(f, "fe80:") && !strings.HasPrefix(f, "172.17.") {
				add(f)
			}
		}
	}
	if r.session.DaemonIsLocal() {
		add("localhost")
		add("127.0.0.1")
	}
	return out, nil
}
