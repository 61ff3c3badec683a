package probe

import (
	"fmt"
	"strings"
)

// String is the report as the headless `verify` prints it: the Server block
// in `docker version`'s layout, the handshake, the probes (✓ refused, ✗
// INSECURE), the problem with its fix, and a one-line verdict.
func (r *Report) String() string {
	if r == nil {
		return ""
	}
	var b strings.Builder
	if v := r.Server; v != nil {
		b.WriteString(serverBlock(*v))
	}
	if h := r.Handshake; h != nil {
		fmt.Fprintf(&b, "TLS:\n")
		row(&b, "Protocol", h.Version)
		row(&b, "Cipher suite", h.CipherSuite)
		row(&b, "Server cert", h.ServerSubject)
		row(&b, "Issued by", h.ServerIssuer)
		row(&b, "SANs", strings.Join(h.SANs, ", "))
		row(&b, "Expires", fmt.Sprintf("%s (%s)", day(h.NotAfter), inDays(h.ExpiresIn)))
		switch {
		case !h.CertRequested:
			row(&b, "Client cert", "NOT REQUESTED by the daemon (tlsverify is off)")
		case h.ClientSubject != "":
			row(&b, "Client cert", h.ClientSubject+", accepted")
		default:
			row(&b, "Client cert", "accepted")
		}
		if len(h.AcceptableCAs) > 0 {
			row(&b, "Accepted CAs", strings.Join(h.AcceptableCAs, ", "))
		}
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "WARNING: %s\n", w)
	}
	if r.Problem != nil {
		fmt.Fprintf(&b, "Connection with the client certificate to %s FAILED [%s]\n", r.Address, r.Problem.Code)
		for line := range strings.Lines(r.Problem.String()) {
			b.WriteString(" " + line)
		}
	}
	if len(r.Probes) > 0 {
		b.WriteString("Closed to others:\n")
		for _, p := range r.Probes {
			switch p.Outcome {
			case Refused:
				fmt.Fprintf(&b, " ✓ %s: refused — %s\n", p.Title, p.Detail)
			case Accepted:
				fmt.Fprintf(&b, " ✗ INSECURE: %s: accepted — %s\n", p.Title, p.Detail)
				if p.Fix != "" {
					fmt.Fprintf(&b, "   Fix: %s\n", p.Fix)
				}
			default:
				fmt.Fprintf(&b, " ? %s: could not tell — %s\n", p.Title, p.Detail)
			}
		}
	}
	b.WriteString(r.Verdict() + "\n")
	return b.String()
}

// Verdict is the one-line summary.
func (r *Report) Verdict() string {
	switch {
	case r.Insecure():
		return fmt.Sprintf("INSECURE: %s accepts connections without a valid client certificate", r.Address)
	case r.Problem != nil:
		return fmt.Sprintf("FAILED: no mutual-TLS connection to %s (%s)", r.Address, r.Problem.Code)
	case r.Secure():
		return fmt.Sprintf("OK: %s answers with your client certificate and refuses everyone else", r.Address)
	default:
		return fmt.Sprintf("UNSURE: %s answers with your client certificate, but not every probe could tell whether others are refused", r.Address)
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

func row(b *strings.Builder, label, value string) {
	fmt.Fprintf(b, "  %-18s%s\n", label+":", value)
}
