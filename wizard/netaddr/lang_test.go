package netaddr

import (
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
)

// A refused address is explained in Chinese and German with the address
// and the advice's tcp://… unchanged; the cause inside ("address X: the
// port …") is in the same language.
func TestRefusalsInTheUsersLanguage(t *testing.T) {
	for _, tc := range []struct {
		in      string
		zh, de  string
		english string
		listen  bool
	}{
		{"tcp://[fd00::2", `地址 "tcp://[fd00::2"：IPv6 地址缺少右方括号 ']'`, `Adresse "tcp://[fd00::2": der IPv6-Adresse fehlt die schließende ']'`, "has no closing", false},
		{"tcp://fd00::2:2376", "IPv6 地址要写在方括号中：tcp://[fd00::2:2376]:2376", "schreiben Sie eine IPv6-Adresse in eckigen Klammern: tcp://[fd00::2:2376]:2376", "write an IPv6", false},
		{"tcp://root@node3:2376", `地址 "tcp://root@node3:2376" 含有用户名（root@），而守护进程地址不带用户：请写 tcp://node3:2376`, `nennt einen Benutzer (root@)`, "names a user", false},
		{"tcp://0.0.0.0", `地址 "tcp://0.0.0.0" 没有端口：请写 tcp://0.0.0.0:2376（没有端口时 docker CLI 默认使用 2375）`, "hat keinen Port: schreiben Sie tcp://0.0.0.0:2376", "has no port", true},
	} {
		parse := Parse
		if tc.listen {
			parse = ParseListen
		}
		_, err := parse(tc.in)
		if err == nil {
			t.Fatalf("%s accepted", tc.in)
		}
		if !strings.Contains(err.Error(), tc.english) {
			t.Errorf("%s: English %q, want %q", tc.in, err, tc.english)
		}
		zh, de := i18n.New(i18n.Chinese).Error(err), i18n.New(i18n.German).Error(err)
		if !strings.Contains(zh, tc.zh) || strings.Contains(zh, tc.english) {
			t.Errorf("%s: zh %q, want %q", tc.in, zh, tc.zh)
		}
		if !strings.Contains(de, tc.de) || strings.Contains(de, tc.english) {
			t.Errorf("%s: de %q, want %q", tc.in, de, tc.de)
		}
	}
}
