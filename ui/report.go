package ui

import (
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/probe"
)

// reportView renders verify's report for the final screen, compact enough
// that the Server block, the probes and the shell variables fit in 80x24:
// the Server block in three lines, one line per probe (their details are
// in `dockertls verify`).
func reportView(st Styles, l *i18n.Localizer, r *probe.Report, width int) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(hang(wrap(s, width), 2) + "\n") }
	if v := r.Server; v != nil {
		line(st.Title.Render(l.T("ui.report.server", "Version", v.Version)) + l.T("ui.report.api", "API", v.APIVersion, "Min", v.MinAPIVersion))
		var parts []string
		for _, p := range []string{v.GoVersion, v.Os + "/" + v.Arch} {
			if strings.Trim(p, "/") != "" {
				parts = append(parts, p)
			}
		}
		if v.GitCommit != "" {
			parts = append(parts, l.T("ui.report.commit", "Commit", v.GitCommit))
		}
		if built := v.Built(); built != "" {
			parts = append(parts, l.T("ui.report.built", "Built", built))
		}
		line("  " + strings.Join(parts, " · "))
	}
	if h := r.Handshake; h != nil {
		cert := h.ServerSubject
		if !h.NotAfter.IsZero() {
			cert += l.T("ui.report.expires", "Date", h.NotAfter.UTC().Format("2006-01-02"), "Days", h.DaysLeft)
		}
		line("  " + strings.Join([]string{h.Version, h.CipherSuite, cert}, " · "))
		if !h.CertRequested {
			line(st.Fail.Render(l.T("ui.report.not_requested")))
		}
	}
	for _, w := range r.Warnings {
		line(st.Warn.Render("! " + w.Render(r.Renderer())))
	}
	if r.Problem != nil {
		line(st.Fail.Render("✗ " + strings.TrimSpace(r.Problem.Text(l, r.Renderer()))))
	}
	if len(r.Probes) > 0 {
		b.WriteString(st.Title.Render(l.T("report.closed_to_others")) + "\n")
		for _, p := range r.Probes {
			switch p.Outcome {
			case probe.Refused:
				line(" " + st.OK.Render("✓") + " " + l.T("ui.report.refused", "Title", p.Title))
			case probe.Accepted:
				line(" " + st.Fail.Render(l.T("tui.report.insecure")) + " " + l.T("ui.report.accepted", "Title", p.Title, "Detail", p.Detail))
				if !p.Fix.IsZero() {
					line(l.T("ui.report.fix", "Fix", p.Fix.Render(r.Renderer())))
				}
			default:
				line(" " + st.Warn.Render("?") + " " + l.T("ui.report.unknown", "Title", p.Title, "Detail", p.Detail))
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
