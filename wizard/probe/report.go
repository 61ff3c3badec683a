package probe

import (
	"fmt"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// String is the report as the headless `verify` prints it: the Server block
// in `docker version`'s layout, the handshake, the probes (✓ refused, ✗
// INSECURE), the problem with its fix, and a one-line verdict.
func (r *Report) String() string {
	if r == nil {
		return ""
	}
	l := r.lang
	var b strings.Builder
	if v := r.Server; v != nil {
		b.WriteString(serverBlock(*v)) // docker version's own words, as the tutorials show them
	}
	if h := r.Handshake; h != nil {
		b.WriteString("TLS:\n")
		rows := [][2]string{
			{l.T("report.protocol"), h.Version},
			{l.T("report.cipher"), h.CipherSuite},
			{l.T("report.server_cert"), h.ServerSubject},
			{l.T("report.issued_by"), h.ServerIssuer},
			{"SANs", strings.Join(h.SANs, ", ")},
			{l.T("report.expires"), fmt.Sprintf("%s (%s)", day(h.NotAfter), inDays(l, h.ExpiresIn))},
		}
		client := [2]string{l.T("report.client_cert"), l.T("report.client_accepted")}
		switch {
		case !h.CertRequested:
			client[1] = l.T("report.client_not_requested")
		case h.ClientSubject != "":
			client[1] = l.T("report.client_subject_accepted", "Subject", h.ClientSubject)
		}
		rows = append(rows, client)
		if len(h.AcceptableCAs) > 0 {
			rows = append(rows, [2]string{l.T("report.accepted_cas"), strings.Join(h.AcceptableCAs, ", ")})
		}
		for _, r := range rows {
			b.WriteString("  " + i18n.PadRight(r[0]+":", 18) + r[1] + "\n")
		}
	}
	for _, w := range r.Warnings {
		b.WriteString(l.T("report.warning", "Warning", w.Render(r.Renderer())) + "\n")
	}
	if r.Problem != nil {
		b.WriteString(l.T("report.failed_with_cert", "Address", r.Address, "Code", r.Problem.Code) + "\n")
		for line := range strings.Lines(r.Problem.Text(l, r.Renderer())) {
			b.WriteString(" " + line)
		}
	}
	if len(r.Probes) > 0 {
		b.WriteString(l.T("report.closed_to_others") + "\n")
		for _, p := range r.Probes {
			switch p.Outcome {
			case Refused:
				b.WriteString(" ✓ " + l.T("report.probe_refused", "Title", p.Title, "Detail", p.Detail) + "\n")
			case Accepted:
				b.WriteString(" ✗ " + l.T("report.probe_accepted", "Title", p.Title, "Detail", p.Detail) + "\n")
				if !p.Fix.IsZero() {
					b.WriteString("   " + l.T("report.probe_fix", "Fix", p.Fix.Render(r.Renderer())) + "\n")
				}
			default:
				b.WriteString(" ? " + l.T("report.probe_unknown", "Title", p.Title, "Detail", p.Detail) + "\n")
			}
		}
	}
	b.WriteString(r.Verdict() + "\n")
	return b.String()
}

// Verdict is the one-line summary.
func (r *Report) Verdict() string {
	l := r.lang
	switch {
	case r.Insecure():
		return l.T("report.verdict.insecure", "Address", r.Address)
	case r.Problem != nil:
		return l.T("report.verdict.failed", "Address", r.Address, "Code", r.Problem.Code)
	case r.Secure():
		return l.T("report.verdict.ok", "Address", r.Address)
	default:
		return l.T("report.verdict.unsure", "Address", r.Address)
	}
}

// serverBlock is the Server/Engine part of `docker version`, same layout.
func serverBlock(v ServerVersion) string {
	var b strings.Builder
	b.WriteString("Server:\n Engine:\n")
	eng := func(label, value string) { fmt.Fprintf(&b, "  %-18s%s\n", label+":", value) }
	eng("Version", v.Version)
	eng("API version", fmt.Sprintf("%s (minimum version %s)", v.APIVersion, v.MinAPIVersion))
	eng("Go version", v.GoVersion)
	eng("Git commit", v.GitCommit)
	eng("Built", v.Built())
	eng("OS/Arch", v.Os+"/"+v.Arch)
	eng("Experimental", fmt.Sprintf("%t", v.Experimental))
	return b.String()
}
