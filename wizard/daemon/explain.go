package daemon

import (
	"regexp"
	"strings"
)

// explanation maps one known dockerd startup error to plain words.
type explanation struct {
	re    *regexp.Regexp
	cause func(m []string) string
	fix   string
}

// explanations are tried in order on each log line, newest line first; the
// first match wins. The patterns are the messages dockerd 20.10–28 print.
// The start limit comes last: it is reported only when nothing more
// specific is in the log.
func explanations() []explanation {
	return []explanation{
		{regexp.MustCompile(`directives are specified both as a flag and in the configuration file: (.*)`),
			func(m []string) string {
				return "dockerd got the same setting from a command-line flag (docker.service or DOCKER_OPTS) and from daemon.json, and refuses to start even when the values are equal: " + strings.TrimSpace(m[1])
			},
			"keep the setting in one place: for hosts, a systemd drop-in must clear ExecStart= and start dockerd without -H (dockertls writes /etc/systemd/system/docker.service.d/dockertls.conf), or remove the key from daemon.json"},
		{regexp.MustCompile(`directives don't match any configuration option: (.*)`),
			func(m []string) string {
				return "daemon.json contains a key dockerd does not know: " + strings.TrimSpace(m[1]) + " (a typo such as tls-verify for tlsverify, or a key of a newer Docker)"
			},
			"correct or remove that key in daemon.json"},
		{regexp.MustCompile(`(?i)(?:listen tcp ([^ ]*?):? ?bind: |listening socket \(([^)]*)\): )?address already in use`),
			func(m []string) string {
				if addr := m[1] + m[2]; addr != "" {
					return "another program already listens on " + addr + ", so the Docker API's TLS port could not be opened"
				}
				return "another program already listens on the TCP address, so the Docker API's TLS port could not be opened"
			},
			"find it with `sudo ss -ltnp 'sport = :PORT'` (the port of daemon.listen), stop it or choose another daemon.listen"},
		{regexp.MustCompile(`failed to parse private key|Make sure the key is not encrypted`),
			func([]string) string {
				return "the daemon's private key is encrypted (or not a key); dockerd cannot ask for a passphrase"
			},
			"give the daemon an unencrypted key (0600, root-owned); only the CA key may be encrypted"},
		{regexp.MustCompile(`private key does not match public key`),
			func([]string) string {
				return "tlskey is not the key of the certificate in tlscert"
			},
			"pair server-cert.pem with the key it was issued for (re-run the daemon-cert and distribute steps)"},
		{regexp.MustCompile(`(?:open|read) ([^:]+): no such file or directory`),
			func(m []string) string { return "a file dockerd needs is missing: " + strings.TrimSpace(m[1]) },
			"copy the certificates to the daemon node first (the distribute step) or fix the path in daemon.json"},
		{regexp.MustCompile(`(?:open|read) ([^:]+): permission denied`),
			func(m []string) string { return "dockerd cannot read " + strings.TrimSpace(m[1]) },
			"make the file readable by root (and check SELinux/AppArmor labels)"},
		{regexp.MustCompile(`Could not read CA certificate|failed to append certificates from PEM|unable to load CA`),
			func([]string) string { return "tlscacert does not hold a readable PEM CA certificate" },
			"point tlscacert at the CA's ca.pem"},
		{regexp.MustCompile(`Could not load X509 key pair|could not load x509 key pair|failed to find any PEM data`),
			func([]string) string { return "tlscert or tlskey is not a readable PEM certificate/key" },
			"check that tlscert is server-cert.pem and tlskey server-key.pem"},
		{regexp.MustCompile(`unable to configure the Docker daemon with file ([^:]+): (.*)`),
			func(m []string) string {
				return "dockerd cannot use " + m[1] + ": " + strings.TrimSpace(m[2])
			},
			"fix daemon.json (dockerd refuses invalid JSON and wrong value types)"},
		{regexp.MustCompile(`no sockets found via socket activation`),
			func([]string) string {
				return "hosts names fd:// but dockerd was not started by systemd with sockets (docker.socket / docker-tcp.socket)"
			},
			"start docker through systemd (systemctl start docker.socket docker.service), or use unix:// instead of fd://"},
		{regexp.MustCompile(`failed to dial "?([^" ]*containerd[^" ]*)"?|containerd: connection refused`),
			func([]string) string { return "containerd is not running, and dockerd cannot start without it" },
			"start it: sudo systemctl start containerd"},
		{regexp.MustCompile(`Start request repeated too quickly|start of the service was attempted too often|start-limit-hit`),
			func([]string) string {
				return "docker.service failed several times in a row and systemd's start limit now blocks it"
			},
			"sudo systemctl reset-failed docker.service docker.socket, then fix the cause shown before it and restart"},
	}
}

// Explain maps a dockerd log (journalctl output or the daemon's own log)
// to the cause in plain words and the fix. Unknown logs give the last error
// line as the cause and a generic fix. The start-limit message is only
// reported when nothing more specific is in the log.
func Explain(log string) (cause, fix string) {
	lines := strings.Split(strings.TrimSpace(log), "\n")
	explanations := explanations()
	limit := -1
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		for k, e := range explanations {
			m := e.re.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			if k == len(explanations)-1 {
				if limit < 0 {
					limit = k
				}
				break
			}
			return e.cause(m), e.fix
		}
	}
	if limit >= 0 {
		e := explanations[limit]
		return e.cause(nil), e.fix
	}
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.ToLower(lines[i])
		if strings.Contains(l, "level=fatal") || strings.Contains(l, "failed to start") || strings.Contains(l, "level=error") {
			return "dockerd did not start: " + strings.TrimSpace(lines[i]), "read the full log (sudo journalctl -u docker -n 100 --no-pager) for the reason"
		}
	}
	return "", ""
}
