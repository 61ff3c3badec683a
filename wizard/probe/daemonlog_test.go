package probe

import (
	"strings"
	"testing"
)

// Lines as dockerd 20.10 writes them, and as journalctl shows them.
const sampleLog = `time="2026-11-22T04:47:27.260677566Z" level=info msg="API listen on 127.0.0.1:23761"
2026-11-22 04:47:32.319367 I | http: TLS handshake error from 127.0.0.1:57858: tls: client didn't provide a certificate
Nov 22 04:48:01 node3 dockerd[812]: 2026/11/22 04:48:01 http: TLS handshake error from 10.0.0.5:40112: tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage
Nov 22 04:48:02 node3 dockerd[812]: 2026/11/22 04:48:02 http: TLS handshake error from [fd00::5]:40113: remote error: tls: bad certificate
garbage line with TLS handshake error from nothing
`

func TestParseDaemonLog(t *testing.T) {
	lines := ParseDaemonLog(sampleLog)
	if len(lines) != 3 {
		t.Fatalf("got %d lines: %+v", len(lines), lines)
	}
	want := []HandshakeLogLine{
		{Remote: "127.0.0.1:57858", Reason: "tls: client didn't provide a certificate"},
		{Remote: "10.0.0.5:40112", Reason: "tls: failed to verify client certificate: x509: certificate specifies an incompatible key usage"},
		{Remote: "[fd00::5]:40113", Reason: "remote error: tls: bad certificate"},
	}
	for i, w := range want {
		if lines[i].Remote != w.Remote || lines[i].Reason != w.Reason {
			t.Errorf("line %d = %+v, want %+v", i, lines[i], w)
		}
	}
}

func TestLineFor(t *testing.T) {
	lines := ParseDaemonLog(sampleLog)
	if got := lineFor(lines, "10.0.0.5:40112"); !strings.HasSuffix(got, "incompatible key usage") {
		t.Errorf("matched line: %q", got)
	}
	// Behind NAT our own address never shows up: take the latest, say so.
	got := lineFor(lines, "192.168.1.9:5555")
	if !strings.HasPrefix(got, "remote error: tls: bad certificate") || !strings.Contains(got, "most recent") {
		t.Errorf("fallback line: %q", got)
	}
	if got := lineFor(nil, "x"); got != "" {
		t.Errorf("empty log gave %q", got)
	}
}

func FuzzParseDaemonLog(f *testing.F) {
	f.Add(sampleLog)
	f.Add("TLS handshake error from : \n")
	f.Fuzz(func(t *testing.T, log string) {
		for _, l := range ParseDaemonLog(log) {
			if !strings.Contains(l.Line, handshakeMarker) || strings.Contains(l.Remote, ": ") {
				t.Fatalf("bad line %+v", l)
			}
		}
	})
}
