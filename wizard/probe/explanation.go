package probe

import (
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/fix"
)

// Explanation says, in plain words, why the connection failed and what to do.
type Explanation struct {
	Code     string   // stable, machine-readable (doctor --json), e.g. "client-cert-wrong-ca"
	Cause    string   // what happened and why
	Fix      fix.Text // what to do next
	Evidence []string // what the diagnosis rests on: error texts, certificate facts, daemon log lines
}

// Codes of Explanation. They are stable: doctor prints them and tests match them.
const (
	CodeAddress            = "bad-address"
	CodeDNS                = "dns"
	CodeRefused            = "refused"
	CodeUnreachable        = "unreachable"
	CodeTimeoutConnect     = "timeout-connect"
	CodeTimeoutHandshake   = "timeout-handshake"
	CodeTimeoutAnswer      = "timeout-answer"
	CodeClosed             = "connection-closed"
	CodeTLSOff             = "tls-off"
	CodeClientNoTLS        = "client-not-using-tls"
	CodeNotDocker          = "not-docker"
	CodeAPIError           = "api-error"
	CodeClientCAMissing    = "client-ca-missing"
	CodeClientCAInvalid    = "client-ca-invalid"
	CodeClientCertMissing  = "client-cert-missing"
	CodeClientCertInvalid  = "client-cert-invalid"
	CodeClientKeyEncrypted = "client-key-encrypted"
	CodeClientKeyMismatch  = "client-key-mismatch"
	CodeClientWrongCA      = "client-cert-wrong-ca"
	CodeClientExpired      = "client-cert-expired"
	CodeClientNotYetValid  = "client-cert-not-yet-valid"
	CodeClientEKU          = "client-cert-eku"
	CodeDaemonNoClientCA   = "daemon-no-client-ca"
	CodeClientRejected     = "client-cert-rejected"
	CodeServerUnknownCA    = "server-cert-unknown-ca"
	CodeServerSAN          = "server-cert-san"
	CodeServerCNOnly       = "server-cert-cn-only"
	CodeServerEKU          = "server-cert-eku"
	CodeServerExpired      = "server-cert-expired"
	CodeCAExpired          = "ca-expired"
	CodeServerWeakSig      = "server-cert-weak-signature"
	CodeServerCertInvalid  = "server-cert-invalid"
	CodeUnknown            = "unknown"
)

func explanation(code, cause, fx string) *Explanation {
	return &Explanation{Code: code, Cause: cause, Fix: fix.Parse(fx)}
}

// String is the explanation as a few lines of plain text, in English, the
// plan named by the placeholder PLAN.
func (e Explanation) String() string { return e.Text(nil, fix.Renderer{Plan: "PLAN"}) }

// Text is the explanation as a few lines of plain text in l's language,
// its fix's commands shown by rd.
func (e Explanation) Text(l *i18n.Localizer, rd fix.Renderer) string {
	var b strings.Builder
	problem, fixLabel := l.T("probe.label.problem"), l.T("probe.label.fix")
	pad := max(i18n.Width(problem), i18n.Width(fixLabel)) + 1
	b.WriteString(i18n.PadRight(problem, pad) + e.Cause + "\n")
	b.WriteString(i18n.PadRight(fixLabel, pad) + e.Fix.Render(rd) + "\n")
	for _, ev := range e.Evidence {
		b.WriteString("  - " + ev + "\n")
	}
	return b.String()
}
