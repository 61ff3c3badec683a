package daemon

import (
	"strings"
	"testing"
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
		cause, fix := Explain(c.log)
		if !strings.Contains(cause, c.cause) || !strings.Contains(fix, c.fix) {
			t.Errorf("log %q\n got cause %q fix %q", c.log, cause, fix)
		}
	}
	if cause, _ := Explain("all is well\n"); cause != "" {
		t.Errorf("unknown log explained as %q", cause)
	}
	if cause, _ := Explain(`time="x" level=fatal msg="something new"`); !strings.Contains(cause, "something new") {
		t.Errorf("fatal line not reported: %q", cause)
	}
}
