package ui

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/plan"
)

// The topology picture, like the figures of the tutorials: this machine
// holds the CA and issues both certificates, the daemon node receives its
// certificate and is configured, the client receives its certificate and
// environment, and the client talks to the daemon over mutual TLS. Each
// line carries the mark of the step that produces it.

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return v
}

// daemonHostName is how the picture names the daemon node: the host part
// of daemon.ssh.
func daemonHostName(l *i18n.Localizer, p *plan.Plan) string {
	s := strings.TrimPrefix(p.Daemon.SSH, "ssh://")
	if s == "" {
		return l.T("tui.topology.not_chosen")
	}
	if s == plan.TargetLocal {
		return l.T("tui.topology.this_machine")
	}
	if _, h, ok := strings.Cut(s, "@"); ok {
		s = h
	}
	if i := strings.LastIndex(s, ":"); i > 0 && !strings.HasSuffix(s, "]") {
		s = s[:i]
	}
	return s
}

// clientIsLocal reports whether the client is this machine (the default).
func clientIsLocal(p *plan.Plan) bool {
	return p.Client.Target == "" || p.Client.Target == plan.TargetLocal
}

func clientHostName(l *i18n.Localizer, p *plan.Plan) string {
	if clientIsLocal(p) {
		return l.T("tui.topology.this_machine")
	}
	return daemonHostName(l, &plan.Plan{Daemon: plan.Daemon{SSH: p.Client.Target}})
}

func topologyView(st Styles, l *i18n.Localizer, p *plan.Plan, marks map[wizard.StepName]mark, width int) string {
	if p == nil {
		p = &plan.Plan{}
	}
	m := func(s wizard.StepName) string { return st.mark(marks[s]) + " " }
	boxW := max(30, min(40, (width-8)/2))
	box := func(title string, lines ...string) string {
		body := st.Accent.Render(title) + "\n" + strings.Join(lines, "\n")
		return st.Box.Width(boxW).Render(body)
	}
	ca := box(l.T("tui.topology.ca_box"),
		st.Subtle.Render(orDefault(p.Dir, "./pki")),
		m(wizard.StepCA)+"ca.pem ca-key.pem",
		m(wizard.StepDaemonCert)+"daemon-{cert,key}.pem",
		m(wizard.StepClientCert)+"client-{cert,key}.pem",
	)
	daemon := box(l.T("tui.topology.daemon_box", "Host", daemonHostName(l, p)),
		st.Subtle.Render(orDefault(p.Daemon.CertDir, "/etc/docker/tls")),
		m(wizard.StepDistribute)+wizard.DaemonCAFile+" "+wizard.DaemonCertFile,
		"  "+wizard.DaemonKeyFile,
		m(wizard.StepDaemonConfig)+"daemon.json tlsverify",
		"  "+l.T("tui.topology.listens", "Address", orDefault(p.Daemon.Listen, "tcp://0.0.0.0:2376")),
	)
	client := box(l.T("tui.topology.client_box", "Host", clientHostName(l, p)),
		st.Subtle.Render(orDefault(p.Client.CertDir, "~/.docker")),
		m(wizard.StepDistribute)+wizard.ClientCAFile+" "+wizard.ClientCertFile+" "+wizard.ClientKeyFile,
		m(wizard.StepClientEnv)+"DOCKER_HOST DOCKER_TLS_VERIFY",
		"  "+l.T("tui.topology.dials", "Address", orDefault(p.Daemon.Address, "tcp://…:2376")),
	)
	via := "ssh"
	if p.Daemon.SSH == plan.TargetLocal {
		via = l.T("tui.topology.copy") // the daemon is this machine: files are copied, no SSH
	}
	arrow := lipgloss.NewStyle().Width(width - 2*boxW).Align(lipgloss.Center).Render("\n\n" + via + "\n───▶\n")
	top := lipgloss.JoinHorizontal(lipgloss.Top, ca, arrow, daemon)
	caW := lipgloss.Width(ca)
	how := l.T("tui.topology.distribute_ssh")
	if clientIsLocal(p) {
		how = l.T("tui.topology.distribute_local")
	}
	link := strings.Repeat(" ", caW/2) + "│ " + st.Subtle.Render(how)
	down := strings.Repeat(" ", caW/2) + "▼"
	port := strconv.Itoa(p.ListenPort())
	if a := p.DaemonAddress(); a.Port != 0 {
		port = strconv.Itoa(a.Port) // the port clients dial, as the plan says
	}
	mtls := lipgloss.NewStyle().Width(width - 2*boxW).Align(lipgloss.Center).Render("\n\nmTLS\n───▶\n:" + port)
	verify := "\n\n" + m(wizard.StepVerify) + st.Subtle.Render(l.T("tui.topology.verify"))
	bottom := lipgloss.JoinHorizontal(lipgloss.Top, client, mtls, verify)
	return lipgloss.JoinVertical(lipgloss.Left, top, link, down, bottom)
}
