package daemon

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/fix"
)

// Issue statuses (the wizard maps them to its own Status).
const (
	IssueOK   = "ok"
	IssueWarn = "warn"
	IssueFail = "fail"
)

// Issue is one finding of Check, in plain words with the fix. Code is
// stable and machine-readable.
type Issue struct {
	Code    string
	Status  string // ok | warn | fail
	Message string
	Fix     fix.Text
}

// Check inspects the node and reports what is wrong with its daemon's TLS
// configuration (for `dockertls doctor`), in s.Localizer's language. It
// changes nothing.
func Check(ctx context.Context, h remote.Host, s Settings) []Issue {
	n, err := Inspect(ctx, h, s)
	if err != nil {
		l := s.Localizer
		return []Issue{{Code: "daemon-inspect-failed", Status: IssueFail, Message: l.T("daemon.check.inspect_failed", "Host", h.Name(), "Err", err), Fix: fix.Words(l.T("daemon.check.inspect_failed.fix"))}}
	}
	return CheckNode(ctx, h, n, s)
}

// CheckNode judges an inspected node, in s.Localizer's language. h is used
// only to read the daemon log when it is down (nil: not read).
func CheckNode(ctx context.Context, h remote.Host, n *Node, s Settings) []Issue {
	l := s.Localizer
	s, err := s.withDefaults()
	if err != nil {
		return []Issue{{Code: "daemon-settings-invalid", Status: IssueFail, Message: l.Error(err), Fix: fix.Words(l.T("daemon.check.settings_invalid.fix"))}}
	}
	var issues []Issue
	add := func(code, status, msg string, fx fix.Text) {
		issues = append(issues, Issue{Code: code, Status: status, Message: msg, Fix: fx})
	}
	if n.Kind != KindEngine {
		add("daemon-unsupported-install", IssueFail, n.Detail, fix.Words(l.T("daemon.check.unsupported.fix")))
		return issues
	}
	if n.ConfigErr != nil {
		if n.ConfigNormalized != nil {
			add("daemon-json-invalid", IssueFail, l.Error(n.ConfigErr), fix.Parse(l.T("daemon.check.json_normalizable.fix")))
		} else {
			add("daemon-json-invalid", IssueFail, l.Error(n.ConfigErr), fix.Parse(l.T("daemon.check.json_invalid.fix")))
		}
		return issues
	}
	doc := n.configDoc()
	args := n.expandedArgs()
	fileKeys := map[string]json.RawMessage{}
	if doc != nil {
		for _, m := range doc.Members {
			fileKeys[m.Key] = m.Raw
		}
	}
	var conflicts []string
	for k := range flagConfigKeys(args) {
		if _, ok := fileKeys[k]; ok {
			conflicts = append(conflicts, k)
		}
	}
	slices.Sort(conflicts)
	if len(conflicts) > 0 {
		add("daemon-flag-file-conflict", IssueFail,
			l.T("daemon.check.flag_file_conflict", "Keys", strings.Join(conflicts, ", "), "Config", s.ConfigPath),
			fix.Parse(l.T("daemon.check.flag_file_conflict.fix")))
	}
	// TLS settings, from the file and from flags.
	get := n.Setting
	tlsOn, tlsSet := get("tls")
	verify, verifySet := get("tlsverify")
	reconfigure := fix.Parse(l.T("daemon.check.reconfigure"))
	switch {
	case verifySet && verify == "false":
		add("daemon-tlsverify-off", IssueFail, l.T("daemon.check.tlsverify_off"), reconfigure)
	case !verifySet && !(tlsSet && tlsOn == "true"):
		add("daemon-tls-off", IssueFail, l.T("daemon.check.tls_off", "Config", s.ConfigPath), reconfigure)
	}
	for _, k := range []string{"tlscacert", "tlscert", "tlskey"} {
		v, ok := get(k)
		switch {
		case ok && v == "" && k == "tlscacert":
			add("daemon-tlscacert-empty", IssueFail, l.T("daemon.check.tlscacert_empty"), reconfigure)
		case !ok || v == "":
			if verifySet || tlsSet {
				add("daemon-"+k+"-missing", IssueFail, l.T("daemon.check.tls_key_missing", "Key", k), reconfigure)
			}
		default:
			if st, seen := n.TLSFiles[v]; seen && !st.Exists {
				add("daemon-tls-file-missing", IssueFail, l.T("daemon.check.tls_file_missing", "Key", k, "Path", v, "Host", n.Host), fix.Parse(l.T("daemon.check.tls_file_missing.fix")))
			} else if want := map[string]string{"tlscacert": s.CACert, "tlscert": s.Cert, "tlskey": s.Key}[k]; v != want {
				add("daemon-tls-path-differs", IssueWarn, l.T("daemon.check.tls_path_differs", "Key", k, "Path", v, "Want", want), reconfigure)
			}
		}
	}
	// Listeners.
	hosts := n.Hosts()
	secure := verify != "false" && (verifySet || (tlsSet && tlsOn == "true"))
	for _, hst := range hosts {
		if !strings.HasPrefix(hst, "tcp://") {
			continue
		}
		port := listenPort(hst)
		switch {
		case !secure:
			add("daemon-plain-tcp", IssueFail, l.T("daemon.check.plain_tcp", "Listen", hst), reconfigure)
		case port == "2375":
			add("daemon-tls-on-2375", IssueWarn, l.T("daemon.check.tls_on_2375", "Listen", hst), fix.Words(l.T("daemon.check.tls_on_2375.fix")))
		}
	}
	configured := slices.ContainsFunc(hosts, func(h string) bool { return sameTCP(h, normalizeListen(s.Listen)) })
	if s.Mode == ModeSocket {
		configured = n.TCPSocket.Exists
	}
	if !configured {
		add("daemon-not-listening-configured", IssueFail, l.T("daemon.check.not_listening_configured", "Listen", s.Listen), reconfigure)
	}
	// The running daemon.
	running := n.Answers && (n.Init != InitSystemd || n.ActiveState == "active")
	switch {
	case !running:
		msg, fx := notRunning(l, n)
		if h != nil && n.Init == InitSystemd {
			if out, _, _, err := run(ctx, h, "journalctl", "-u", "docker.service", "-n", "50", "--no-pager"); err == nil {
				if cause, f := Explain(l, out); cause != "" {
					msg = l.T("daemon.check.down_because", "Msg", msg, "Cause", cause)
					fx = fix.Words(f)
				}
			}
		}
		add("daemon-down", IssueFail, msg, fx)
	case configured && n.ListenOwner == "":
		add("daemon-not-listening", IssueFail, l.T("daemon.check.not_listening", "Listen", s.Listen), reconfigure)
	case n.ListenOwner != "" && !ownListener(n, s):
		add("daemon-port-taken", IssueFail, l.T("daemon.check.port_taken", "Listen", s.Listen, "Owner", ownerText(l, n)), fix.Words(l.T("daemon.check.port_taken.fix")))
	}
	if len(issues) == 0 {
		add("daemon-config-ok", IssueOK, l.T("daemon.check.ok", "Host", n.Host, "Listen", s.Listen), fix.Text{})
	}
	return issues
}

// notRunning says in plain words that the daemon does not answer, and how
// to start it; what the ping printed (curl's or the docker CLI's words) is
// kept only as a trailing detail.
func notRunning(l *i18n.Localizer, n *Node) (msg string, fx fix.Text) {
	fx = fix.Parse(l.T("daemon.check.down.fix_service"))
	if n.Init == InitSystemd {
		fx = fix.Parse(l.T("daemon.check.down.fix_systemd"))
	}
	if n.Init == InitSystemd && n.ActiveState != "" && n.ActiveState != "active" {
		return l.T("daemon.check.down_unit", "Host", n.Host, "State", n.ActiveState), fx
	}
	if d := pingWords(l, n.PingOutput); d != "" {
		return l.T("daemon.check.down_socket_detail", "Host", n.Host, "Socket", localSocket(n), "Detail", d), fx
	}
	return l.T("daemon.check.down_socket", "Host", n.Host, "Socket", localSocket(n)), fx
}

// pingWords says in words why the socket did not answer: curl's exit
// texts ("curl: (7) Failed to connect to localhost port 80") name a port
// that is not involved.
func pingWords(l *i18n.Localizer, out string) string {
	d := strings.Join(strings.Fields(out), " ")
	switch {
	case strings.Contains(d, "curl: (7)"):
		return l.T("daemon.check.ping_refused")
	case strings.Contains(d, "curl: (28)"):
		return l.T("daemon.check.ping_timeout")
	case strings.HasPrefix(d, "curl:"):
		return "" // other curl failures say nothing a user can act on
	}
	return d
}
