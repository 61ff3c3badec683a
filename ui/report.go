package ui

import (
	"fmt"
	"strings"

	"github.com/dockertls/dockertls/wizard/probe"
)

// reportView renders verify's report for the final screen, compact enough
// that the Server block, the probes and the shell variables fit in 80x24:
// the Server block in three lines, one line per probe (their details are
// in `dockertls verify`).
func reportView(st Styles, r *probe.Report, width int) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(hang(wrap(s, width), 2) + "\n") }
	if v := r.Server; v != nil {
		line(st.Title.Render("Server: Docker Engine "+v.Version) + fmt.Sprintf(" (API %s, minimum %s)", v.APIVersion, v.MinAPIVersion))
		var parts []string
		for _, p := range []string{v.GoVersion, v.Os + "/" + v.Arch} {
			if strings.Trim(p, "/") != "" {
				parts = append(parts, p)
			}
		}
		if v.GitCommit != "" {
			parts = append(parts, "commit "+v.GitCommit)
		}
		if built := v.Built(); built != "" {
			parts = append(parts, "built "+built)
		}
		line("  " + strings.Join(parts, " · "))
	}
	if h := r.Handshake; h != nil {
		cert := h.ServerSubject
		if !h.NotAfter.IsZero() {
			cert += fmt.Sprintf(", expires %s (%d days)", h.NotAfter.UTC().Format("2006-01-02"), h.DaysLeft)
		}
		line("  " + strings.Join([]string{h.Version, h.CipherSuite, cert}, " · "))
		if !h.CertRequested {
			line(st.Fail.Render("  the daemon did not ask for a client certificate (tlsverify is off)"))
		}
	}
	for _, w := range r.Warnings {
		line(st.Warn.Render("! " + w))
	}
	if r.Problem != nil {
		line(st.Fail.Render("✗ " + strings.TrimSpace(r.Problem.String())))
	}
	if len(r.Probes) > 0 {
		b.WriteString(st.Title.Render("Closed to others:") + "\n")
		for _, p := range r.Probes {
			switch p.Outcome {
			case probe.Refused:
				line(" " + st.OK.Render("✓") + " " + p.Title + ": refused")
			case probe.Accepted:
				line(" " + st.Fail.Render("✗ INSECURE") + " " + p.Title + ": accepted — " + p.Detail)
				if p.Fix != "" {
					line("   fix: " + p.Fix)
				}
			default:
				line(" " + st.Warn.Render("?") + " " + p.Title + ": could not tell — " + p.Detail)
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
