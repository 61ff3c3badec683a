package probe

import (
	"strings"
	"syscall"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
)

// TestExplanationsSpeakTheLanguage: an explanation and a report come in the
// Localizer's language, with the commands and the stable code unchanged.
func TestExplanationsSpeakTheLanguage(t *testing.T) {
	err := &PhaseError{Phase: PhaseDial, Err: syscall.ECONNREFUSED}
	for _, c := range []struct {
		lang  i18n.Lang
		words string
	}{
		{i18n.English, "Nothing accepts connections on tcp://node3:2376"},
		{i18n.Chinese, "tcp://node3:2376 上没有程序接受连接"},
		{i18n.German, "Auf tcp://node3:2376 nimmt niemand Verbindungen an"},
	} {
		l := i18n.New(c.lang)
		e := Explain(err, Evidence{Address: "tcp://node3:2376", Localizer: l})
		if e.Code != CodeRefused || !strings.Contains(e.Cause, c.words) || !strings.Contains(e.Fix.String(), "`journalctl -u docker -n 50`") {
			t.Errorf("%s: %+v", c.lang, e)
		}
		addr, _ := ParseAddress("tcp://node3:2376")
		r := &Report{Address: addr, Problem: &e, lang: l}
		out := r.String()
		if !strings.Contains(out, "[refused]") || !strings.Contains(out, e.Cause) || !strings.Contains(out, r.Verdict()) {
			t.Errorf("%s report:\n%s", c.lang, out)
		}
	}
	if got := (&Report{lang: i18n.New(i18n.German)}).Verdict(); !strings.HasPrefix(got, "UNSURE (unklar): ") {
		t.Errorf("de verdict = %q", got)
	}
}
