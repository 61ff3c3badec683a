package probe

import (
	"strings"
)

// HandshakeLogLine is one "http: TLS handshake error" line of the daemon's
// log: Go's HTTP server writes one for every TLS connection it refuses.
type HandshakeLogLine struct {
	Remote string // the client's address as the daemon saw it: "10.0.0.5:51234"
	Reason string // "tls: client didn't provide a certificate"
	Line   string // the whole line, trimmed
}

const handshakeMarker = "TLS handshake error from "

// ParseDaemonLog picks the TLS handshake errors out of a daemon log
// (dockerd's own output or `journalctl -u docker`), oldest first.
func ParseDaemonLog(log string) []HandshakeLogLine {
	var out []HandshakeLogLine
	for line := range strings.Lines(log) {
		_, rest, ok := strings.Cut(line, handshakeMarker)
		if !ok {
			continue
		}
		remote, reason, ok := strings.Cut(rest, ": ")
		if !ok {
			continue
		}
		out = append(out, HandshakeLogLine{
			Remote: remote,
			Reason: strings.TrimSpace(reason),
			Line:   strings.TrimSpace(line),
		})
	}
	return out
}

// lineFor returns the reason logged for the connection from local (the
// client's own address), else, when no line names it (NAT, a proxy), the
// most recent handshake error, marked as such.
func lineFor(lines []HandshakeLogLine, local string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i].Remote == local {
			return lines[i].Reason
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return lines[len(lines)-1].Reason + " (the most recent handshake error; no line names this connection's address " + local + ")"
}
