package probe

import (
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/fix"
)

// ExpiryWarning is how long before a certificate's end the report warns.
const ExpiryWarning = 30 * 24 * time.Hour

// expiryWarnings names the certificates that end within ExpiryWarning: the
// one the daemon actually serves (which can differ from the local files
// when the daemon was not restarted), the client's, and the client's CA.
func expiryWarnings(l *i18n.Localizer, cf *clientFiles, h *TLSInfo, now time.Time) []fix.Text {
	var out []fix.Text
	soon := func(id, name string, end time.Time) {
		if left := end.Sub(now); left > 0 && left <= ExpiryWarning {
			out = append(out, fix.Parse(l.T(id, "Name", name, "Date", day(end), "In", inDays(l, left))))
		}
	}
	if h != nil && !h.NotAfter.IsZero() {
		soon("probe.expiry.daemon", h.ServerSubject, h.NotAfter)
	}
	if cf == nil {
		return out
	}
	if cf.leaf != nil {
		soon("probe.expiry.client", cf.leaf.Subject.String(), cf.leaf.NotAfter)
	}
	for _, ca := range cf.caPEM {
		soon("probe.expiry.ca", certName(ca), ca.NotAfter)
	}
	return out
}

// inDays says how far away an end is, for people.
func inDays(l *i18n.Localizer, left time.Duration) string {
	switch d := int(left.Hours() / 24); {
	case left <= 0:
		return l.T("probe.in.past")
	case d == 0:
		return l.T("probe.in.less_than_a_day")
	default:
		return l.N("probe.in.days", d)
	}
}
