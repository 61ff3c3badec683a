package daemon

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/netaddr"
)

// pollInterval is the pause between two health checks: short, because a
// restarted dockerd answers within a second or two and every tenth of a
// second waited is the user's; each check is a round trip anyway (a ping
// through the node's shell), so this is no busy loop.
const pollInterval = 100 * time.Millisecond

// progressEvery is how often the health check tells progress it waits.
const progressEvery = time.Second

// PingTLS calls /_ping on addr (tcp://host:port) over TLS with the client
// certificate in cfg, from this machine. TLS 1.3 reports a rejected client
// certificate only on the first read, so a real request is made.
func PingTLS(ctx context.Context, addr string, cfg *tls.Config) error {
	a, err := netaddr.Parse(addr)
	if err != nil || a.Port == 0 {
		return i18n.Errorf("daemon.health.bad_address", "Address", fmt.Sprintf("%q", addr))
	}
	hostport := a.HostPort()
	tr := &http.Transport{TLSClientConfig: cfg.Clone(), DisableKeepAlives: true, TLSHandshakeTimeout: 5 * time.Second}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 5 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+hostport+"/_ping", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64))
	if resp.StatusCode != http.StatusOK {
		return i18n.Errorf("daemon.health.ping_status", "Address", addr, "Status", resp.Status, "Body", string(body))
	}
	return nil
}

// waitHealthy waits until the local socket answers /_ping on the node and,
// when tcp is set and a health address is configured, the TLS port answers
// with the client certificate. progress hears about it once a second.
func waitHealthy(ctx context.Context, h remote.Host, c *Change, tcp bool, timeout time.Duration, progress func(string)) error {
	s := c.Settings
	deadline := time.Now().Add(timeout)
	start := time.Now()
	var last i18n.Message
	told := start
	for {
		ok, msg, err := pingLocal(ctx, h, c.LocalSocket)
		if err != nil {
			return err
		}
		if ok && (!tcp || s.HealthAddress == "" || s.HealthTLS == nil) {
			return nil
		}
		if ok {
			err := PingTLS(ctx, s.HealthAddress, s.HealthTLS)
			if err == nil {
				return nil
			}
			last = i18n.M("daemon.health.tcp_not_yet", "Address", s.HealthAddress, "Err", err)
		} else {
			last = i18n.M("daemon.health.socket_not_yet", "Socket", c.LocalSocket, "Host", c.Host, "Output", strings.TrimSpace(msg))
		}
		if time.Now().After(deadline) {
			return i18n.Errorf("daemon.health.timeout", "Timeout", timeout.String(), "Last", last)
		}
		if progress != nil && time.Since(told) >= progressEvery {
			told = time.Now()
			progress(c.Localizer.T("daemon.health.waiting", "Waited", int(time.Since(start).Seconds()), "Timeout", int(timeout.Seconds()), "Last", last))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollInterval):
		}
	}
}
