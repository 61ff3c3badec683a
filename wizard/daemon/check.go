package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

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
// configuration (for `dockertls doctor`). It changes nothing.
func Check(ctx context.Context, h remote.Host, s Settings) []Issue {
	n, err := Inspect(ctx, h, s)
	if err != nil {
		return []Issue{{Code: "daemon-inspect-failed", Status: IssueFail, Message: "cannot inspect the Docker daemon on " + h.Name() + ": " + err.Error(), Fix: fix.Words("check the SSH connection and sudo rights on the daemon node")}}
	}
	return CheckNode(ctx, h, n, s)
}

// CheckNode judges an inspected node. h is used only to read the daemon
// log when it is down (nil: not read).
func CheckNode(ctx context.Context, h remote.Host, n *Node, s Settings) []Issue {
	s, err := s.withDefaults()
	if err != nil {
		return []Issue{{Code: "daemon-settings-invalid", Status: IssueFail, Message: err.Error(), Fix: fix.Words("correct the daemon section of the plan")}}
	}
	var issues []Issue
	add := func(code, status, msg string, fx fix.Text) {
		issues = append(issues, Issue{Code: code, Status: status, Message: msg, Fix: fx})
	}
	if n.Kind != KindEngine {
		add("daemon-unsupported-install", IssueFail, n.Detail, fix.Words("see the message; dockertls configures a system Docker Engine on Linux"))
		return issues
	}
	if n.ConfigErr != nil {
		if n.ConfigNormalized != nil {
			add("daemon-json-invalid", IssueFail, n.ConfigErr.Error(), fix.New("run: ", fix.Apply("daemon-config").With("--yes"), " (it backs the file up, writes it as plain JSON, restarts the daemon and restores the old file if the daemon does not come back)"))
		} else {
			add("daemon-json-invalid", IssueFail, n.ConfigErr.Error(), fix.New("fix the JSON at the position shown, then run: ", fix.Apply("daemon-config")))
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
			fmt.Sprintf("%s set both by a dockerd flag (docker.service or DOCKER_OPTS) and in %s: dockerd refuses to start like that, even with equal values", strings.Join(conflicts, ", "), s.ConfigPath),
			fix.New("run: ", fix.Apply("daemon-config"), " (it writes a systemd drop-in without -H and keeps the settings in daemon.json)"))
	}
	// TLS settings, from the file and from flags.
	get := n.Setting
	tlsOn, tlsSet := get("tls")
	verify, verifySet := get("tlsverify")
	reconfigure := fix.New("run: ", fix.Apply("daemon-config"))
	switch {
	case verifySet && verify == "false":
		add("daemon-tlsverify-off", IssueFail, "tlsverify is false: the daemon accepts any client that speaks TLS, without a client certificate", reconfigure)
	case !verifySet && !(tlsSet && tlsOn == "true"):
		add("daemon-tls-off", IssueFail, "TLS is not enabled on the daemon (no tlsverify in "+s.ConfigPath+" or in the flags)", reconfigure)
	}
	for _, k := range []string{"tlscacert", "tlscert", "tlskey"} {
		v, ok := get(k)
		switch {
		case ok && v == "" && k == "tlscacert":
			add("daemon-tlscacert-empty", IssueFail, `"tlscacert" is empty: dockerd then checks client certificates against the system CAs and rejects every client of your CA`, reconfigure)
		case !ok || v == "":
			if verifySet || tlsSet {
				add("daemon-"+k+"-missing", IssueFail, k+" is not set", reconfigure)
			}
		default:
			if st, seen := n.TLSFiles[v]; seen && !st.Exists {
				add("daemon-tls-file-missing", IssueFail, fmt.Sprintf("%s %s does not exist on %s", k, v, n.Host), fix.New("run: ", fix.Apply("distribute")))
			} else if want := map[string]string{"tlscacert": s.CACert, "tlscert": s.Cert, "tlskey": s.Key}[k]; v != want {
				add("daemon-tls-path-differs", IssueWarn, fmt.Sprintf("%s is %s, the plan says %s", k, v, want), reconfigure)
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
			add("daemon-plain-tcp", IssueFail, fmt.Sprintf("%s serves the Docker API without client certificates: anyone who reaches it controls the machine (root)", hst), reconfigure)
		case port == "2375":
			add("daemon-tls-on-2375", IssueWarn, hst+" uses port 2375, which clients assume to be plain HTTP", fix.Words("use 2376 for TLS (daemon.listen: tcp://0.0.0.0:2376)"))
		}
	}
	configured := slices.ContainsFunc(hosts, func(h string) bool { return sameTCP(h, normalizeListen(s.Listen)) })
	if s.Mode == ModeSocket {
		configured = n.TCPSocket.Exists
	}
	if !configured {
		add("daemon-not-listening-configured", IssueFail, fmt.Sprintf("the daemon is not configured to listen on %s", s.Listen), reconfigure)
	}
	// The running daemon.
	running := n.Answers && (n.Init != InitSystemd || n.ActiveState == "active")
	switch {
	case !running:
		msg, fx := notRunning(n)
		if h != nil && n.Init == InitSystemd {
			if out, _, _, err := run(ctx, h, "journalctl", "-u", "docker.service", "-n", "50", "--no-pager"); err == nil {
				if cause, f := Explain(nil, out); cause != "" { // Check's words are English (issue 15: not yet translated)
					msg += ": " + cause
					fx = fix.Words(f)
				}
			}
		}
		add("daemon-down", IssueFail, msg, fx)
	case configured && n.ListenOwner == "":
		add("daemon-not-listening", IssueFail, fmt.Sprintf("nothing listens on %s although the configuration says so: the daemon has not been restarted since", s.Listen), reconfigure)
	case n.ListenOwner != "" && !ownListener(n, s):
		add("daemon-port-taken", IssueFail, fmt.Sprintf("%s is used by %s, not by dockerd", s.Listen, ownerText(n)), fix.Words("stop that program or choose another daemon.listen"))
	}
	if len(issues) == 0 {
		add("daemon-config-ok", IssueOK, fmt.Sprintf("the daemon on %s requires client certificates on %s", n.Host, s.Listen), fix.Text{})
	}
	return issues
}

// notRunning says in plain words that the daemon does not answer, and how
// to start it; what the ping printed (curl's or the docker CLI's words) is
// kept only as a trailing detail.
func notRunning(n *Node) (msg string, fx fix.Text) {
	start, logs := "sudo service docker start", "the daemon's log"
	if n.Init == InitSystemd {
		start, logs = "sudo systemctl start docker", "journalctl -u docker -n 50"
	}
	fx = fix.New(fmt.Sprintf("start it with `%s` (if it stops again, %s says why), then run: ", start, logs), fix.Apply("daemon-config").With("--yes"))
	if n.Init == InitSystemd && n.ActiveState != "" && n.ActiveState != "active" {
		return fmt.Sprintf("the Docker daemon on %s is not running (docker.service is %s)", n.Host, n.ActiveState), fx
	}
	msg = fmt.Sprintf("the Docker daemon on %s is not running: its socket %s does not answer", n.Host, localSocket(n))
	if d := pingWords(n.PingOutput); d != "" {
		msg += " (" + d + ")"
	}
	return msg, fx
}

// pingWords says in words why the socket did not answer: curl's exit
// texts ("curl: (7) Failed to connect to localhost port 80") name a port
// that is not involved.
func pingWords(out string) string {
	d := strings.Join(strings.Fields(out), " ")
	switch {
	case strings.Contains(d, "curl: (7)"):
		return "nothing accepts connections on the socket"
	case strings.Contains(d, "curl: (28)"):
		return "it accepted the connection but did not answer in time"
	case strings.HasPrefix(d, "curl:"):
		return "" // other curl failures say nothing a user can act on
	}
	return d
}
