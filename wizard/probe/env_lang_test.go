package probe

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
)

// TestCheckEnvInEveryLanguage: DOCKER_CERT_PATH naming a directory that
// does not exist is reported in Chinese and German with the variable, the
// path and the dockertls commands of the fix unchanged (still read as
// commands), and no English sentence left.
func TestCheckEnvInEveryLanguage(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir")
	env := map[string]string{"DOCKER_HOST": "tcp://node3:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": missing}
	for _, c := range []struct {
		lang       i18n.Lang
		msg, fixed string
	}{
		{i18n.Chinese, "在本机上不是目录", "重新设置这些变量"},
		{i18n.German, "ist auf diesem Rechner kein Verzeichnis", "Setzen Sie die Variablen neu"},
	} {
		got := CheckEnvIn(i18n.New(c.lang), func(k string) string { return env[k] }, "tcp://node3:2376")
		if len(got) != 1 || got[0].Code != EnvCertPathMissing {
			t.Fatalf("%s: %+v, want one %s", c.lang, got, EnvCertPathMissing)
		}
		p := got[0]
		text := p.Message + "\n" + p.Fix.String()
		for _, want := range []string{c.msg, c.fixed, "DOCKER_CERT_PATH=" + missing, `eval "$(dockertls env -f PLAN)"`, "dockertls env -f PLAN --persist", "ca.pem", "key.pem"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q:\n%s", c.lang, want, text)
			}
		}
		for _, english := range []string{"is not a directory", "finds no certificates", "Set the variables again", "persist them"} {
			if strings.Contains(text, english) {
				t.Errorf("%s still says %q:\n%s", c.lang, english, text)
			}
		}
		if cmds := p.Fix.Commands(); len(cmds) != 2 || cmds[0].Sub != "env" || len(cmds[1].Flags) != 1 || cmds[1].Flags[0] != "--persist" {
			t.Errorf("%s: the fix's commands are %+v, want dockertls env and dockertls env --persist", c.lang, cmds)
		}
	}
}
