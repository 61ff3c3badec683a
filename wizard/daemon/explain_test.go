package daemon

import (
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
)

func TestExplain(t *testing.T) {
	cases := []struct{ log, cause, fix string }{
		{`dockerd[812]: unable to configure the Docker daemon with file /etc/docker/daemon.json: the following directives are specified both as a flag and in the configuration file: hosts: (from flag: [fd://], from file: [tcp://0.0.0.0:2376])
systemd[1]: docker.service: Start request repeated too quickly.`, "command-line flag", "drop-in"},
		{`failed to start daemon: failed to load listeners: listen tcp 0.0.0.0:2376: bind: address already in use`, "already listens", "ss -ltnp"},
		{`could not load x509 key pair: tls: failed to parse private key. Make sure the key is not encrypted.`, "encrypted", "unencrypted"},
		{`open /etc/docker/tls/server-key.pem: no such file or directory`, "/etc/docker/tls/server-key.pem", "distribute"},
		{`open /etc/docker/tls/ca.pem: permission denied`, "cannot read", "readable"},
		{`unable to configure the Docker daemon with file /etc/docker/daemon.json: the following directives don't match any configuration option: tls-verify`, "tls-verify", "remove"},
		{`unable to configure the Docker daemon with file /etc/docker/daemon.json: invalid character '}' looking for beginning of object key string`, "invalid character", "JSON"},
		{`tls: private key does not match public key`, "not the key", "pair"},
		{`docker.service: Start request repeated too quickly.`, "start limit", "reset-failed"},
		{`systemd[1]: docker-tcp.socket: Failed to create listening socket ([::]:2376): Address already in use`, "[::]:2376", "ss -ltnp"},
	}
	for _, c := range cases {
		cause, fix := Explain(nil, c.log)
		if !strings.Contains(cause, c.cause) || !strings.Contains(fix, c.fix) {
			t.Errorf("log %q\n got cause %q fix %q", c.log, cause, fix)
		}
	}
	if cause, _ := Explain(nil, "all is well\n"); cause != "" {
		t.Errorf("unknown log explained as %q", cause)
	}
	if cause, _ := Explain(nil, `time="x" level=fatal msg="something new"`); !strings.Contains(cause, "something new") {
		t.Errorf("fatal line not reported: %q", cause)
	}
}

// TestExplanationsInEveryLanguage: each known start-up error has its words
// in every language (a wrong message id would show the id itself), and the
// commands in the fix stay as they are.
func TestExplanationsInEveryLanguage(t *testing.T) {
	for _, lang := range i18n.Langs() {
		l := i18n.New(lang)
		for _, e := range explanations() {
			cause, fix := e.words(l, []string{"", "x", "y"})
			if cause == "" || fix == "" || strings.HasPrefix(cause, "daemon.explain.") || strings.HasPrefix(fix, "daemon.explain.") {
				t.Errorf("%s %s: cause %q, fix %q", lang, e.id, cause, fix)
			}
		}
	}
	cause, fix := Explain(i18n.New(i18n.Chinese), "Start request repeated too quickly for docker.service")
	if !strings.Contains(cause, "docker.service 连续失败") || !strings.HasPrefix(fix, "sudo systemctl reset-failed docker.service docker.socket") {
		t.Errorf("zh start limit: %q / %q", cause, fix)
	}
}
