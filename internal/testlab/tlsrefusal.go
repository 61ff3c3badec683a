package testlab

import (
	"regexp"
	"strings"
	"time"
)

// resetFrom finds the client's own address in a reset the docker CLI
// reports: "write tcp 127.0.0.1:35386->127.0.0.1:36685: write: connection
// reset by peer" (or "read tcp …", "broken pipe").
var resetFrom = regexp.MustCompile(`(?:read|write) tcp ([0-9.]+:[0-9]+|\[[0-9a-fA-F:]+\]:[0-9]+)->[^ ]+: (?:read|write): (?:connection reset by peer|broken pipe)`)

// CertificateRefused reports whether out, what the docker CLI printed, is
// this daemon refusing the client's certificate, and returns the daemon's
// reason when its log names it.
//
// Under TLS 1.3 the client finishes its half of the handshake and sends its
// request before the daemon has checked the client's certificate. The
// daemon's "bad certificate" alert then races the reset of the connection
// whose request it never read, so the CLI says either "remote error: tls:
// bad certificate" or "connection reset by peer". Both are the same
// refusal; for a reset, the daemon's log line for the CLI's own connection
// is what tells it from any other reset, so it is waited for (the daemon
// writes it just after the alert).
func (d *Dockerd) CertificateRefused(out string) (reason string, refused bool) {
	if strings.Contains(out, "bad certificate") || strings.Contains(out, "certificate required") {
		return "", true
	}
	return RefusalInLog(out, d.Logs)
}

// RefusalInLog is CertificateRefused's reset case for any daemon log
// (a test dockerd's file, `journalctl -u docker` on a node): when out is a
// reset, it waits for the log line of the CLI's own connection and returns
// its reason.
func RefusalInLog(out string, logs func() string) (reason string, refused bool) {
	m := resetFrom.FindStringSubmatch(out)
	if m == nil {
		return "", false
	}
	marker := "TLS handshake error from " + m[1] + ": "
	// A hang guard sized for a loaded machine: the line comes at once.
	for deadline := time.Now().Add(30 * time.Second); ; {
		for line := range strings.Lines(logs()) {
			if _, reason, ok := strings.Cut(line, marker); ok {
				return strings.TrimRight(strings.TrimSpace(reason), `"`), true
			}
		}
		if time.Now().After(deadline) {
			return "", false
		}
		time.Sleep(50 * time.Millisecond)
	}
}
