package probe

import (
	"fmt"
	"time"
)

// ExpiryWarning is how long before a certificate's end the report warns.
const ExpiryWarning = 30 * 24 * time.Hour

// expiryWarnings names the certificates that end within ExpiryWarning: the
// one the daemon actually serves (which can differ from the local files
// when the daemon was not restarted), the client's, and the client's CA.
func expiryWarnings(cf *clientFiles, h *TLSInfo, now time.Time) []string {
	var out []string
	soon := func(what string, end time.Time, fix string) {
		if left := end.Sub(now); left > 0 && left <= ExpiryWarning {
			out = append(out, fmt.Sprintf("%s expires on %s (%s): %s", what, day(end), inDays(left), fix))
		}
	}
	if h != nil && !h.NotAfter.IsZero() {
		soon("the daemon's certificate ("+h.ServerSubject+")", h.NotAfter, "renew it with dockertls apply -f PLAN --step daemon-cert --step distribute --step daemon-config")
	}
	if cf == nil {
		return out
	}
	if cf.leaf != nil {
		soon("your client certificate ("+cf.leaf.Subject.String()+")", cf.leaf.NotAfter, "renew it with dockertls apply -f PLAN --step client-cert --step distribute")
	}
	for _, ca := range cf.caPEM {
		soon("the CA "+certName(ca), ca.NotAfter, "every certificate it signed stops working with it; create a new CA and re-issue everything (dockertls apply -f PLAN)")
	}
	return out
}

// inDays says how far away an end is, for people.
func inDays(left time.Duration) string {
	switch d := int(left.Hours() / 24); {
	case left <= 0:
		return "already past"
	case d == 0:
		return "in less than a day"
	case d == 1:
		return "in 1 day"
	default:
		return fmt.Sprintf("in %d days", d)
	}
}
