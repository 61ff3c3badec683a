package probe

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/fix"
	"github.com/dockertls/dockertls/wizard/netaddr"
)

// EnvProblem is a DOCKER_* variable in the environment that will not work.
type EnvProblem struct {
	Code    string   // stable: "env-host-no-port", ...
	Message string   // what is wrong, in plain words
	Fix     fix.Text // what to do
	Warn    bool     // true: works, but probably not as meant; false: docker will fail or go unencrypted
}

// Codes of EnvProblem.
const (
	EnvHostUnset       = "env-host-unset"
	EnvHostInvalid     = "env-host-invalid"
	EnvHostNoPort      = "env-host-no-port"
	EnvHostPlainPort   = "env-host-plain-port"
	EnvHostOther       = "env-host-other-address"
	EnvTLSVerifyUnset  = "env-tls-verify-unset"
	EnvTLSVerifyZero   = "env-tls-verify-zero"
	EnvTLSNoVerify     = "env-tls-no-verify"
	EnvCertPathMissing = "env-cert-path-missing"
	EnvCAMissing       = "env-ca-missing"
	EnvClientMissing   = "env-client-cert-missing"
)

// CheckEnv reads DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_TLS, DOCKER_CERT_PATH
// (else DOCKER_CONFIG, else ~/.docker) the way the docker CLI does and says
// what will not work for reaching wantAddress (tcp://host:port; empty: any).
// It looks at the certificate files on this machine. Its words are English;
// CheckEnvIn says them in a language.
func CheckEnv(getenv func(string) string, wantAddress string) []EnvProblem {
	return CheckEnvIn(nil, getenv, wantAddress)
}

// CheckEnvIn is CheckEnv with its messages and fixes in loc's language.
func CheckEnvIn(loc *i18n.Localizer, getenv func(string) string, wantAddress string) []EnvProblem {
	var out []EnvProblem
	add := func(code, msg, fx string, warn bool) {
		out = append(out, EnvProblem{Code: code, Message: msg, Fix: fix.Parse(fx), Warn: warn})
	}
	want, wantErr := ParseAddress(wantAddress)
	host := strings.TrimSpace(getenv("DOCKER_HOST"))
	if host == "" {
		if wantAddress != "" && wantErr == nil {
			add(EnvHostUnset, loc.T("probe.env.host_unset", "Address", want), loc.T("probe.env.fix_again_or_context"), true)
		}
		return out
	}
	got, err := ParseAddress(host)
	if err != nil {
		add(EnvHostInvalid, loc.T("probe.env.host_invalid", "Host", host, "Err", err), loc.T("probe.env.fix_again"), strings.HasPrefix(host, "unix://") || strings.HasPrefix(host, "ssh://") || strings.HasPrefix(host, "npipe://"))
		return out
	}
	switch {
	case got.PortDefault:
		add(EnvHostNoPort, loc.T("probe.env.host_no_port", "Host", host), loc.T("probe.env.host_no_port_fix", "Address", netaddr.New(got.Host, portOr(want, wantErr, 2376)).String()), false)
	case got.Port == DefaultPlainPort && (wantErr != nil || want.Port != DefaultPlainPort):
		add(EnvHostPlainPort, loc.T("probe.env.host_plain_port", "Host", host), "export DOCKER_HOST="+netaddr.New(got.Host, portOr(want, wantErr, 2376)).String(), false)
	}
	if len(out) == 0 && wantErr == nil && wantAddress != "" && (!netaddr.SameHost(got.Host, want.Host) || got.Port != want.Port) {
		add(EnvHostOther, loc.T("probe.env.host_other", "Host", host, "Address", want), loc.T("probe.env.fix_again"), true)
	}

	verify := getenv("DOCKER_TLS_VERIFY")
	switch {
	case verify == "" && getenv("DOCKER_TLS") != "":
		add(EnvTLSNoVerify, loc.T("probe.env.tls_no_verify"), "export DOCKER_TLS_VERIFY=1", false)
	case verify == "":
		add(EnvTLSVerifyUnset, loc.T("probe.env.tls_verify_unset"), "export DOCKER_TLS_VERIFY=1", false)
	case verify == "0" || strings.EqualFold(verify, "false"):
		add(EnvTLSVerifyZero, loc.T("probe.env.tls_verify_zero", "Value", verify), loc.T("probe.env.tls_verify_zero_fix"), true)
	}
	if verify == "" && getenv("DOCKER_TLS") == "" {
		return out
	}

	dir, from := certDir(loc, getenv)
	if dir == "" {
		add(EnvCertPathMissing, loc.T("probe.env.cert_path_nowhere"), "export DOCKER_CERT_PATH=/path/to/the/client/certificates", false)
		return out
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		add(EnvCertPathMissing, loc.T("probe.env.cert_path_missing", "From", from, "Dir", dir), loc.T("probe.env.cert_path_missing_fix"), false)
		return out
	}
	if !exists(filepath.Join(dir, "ca.pem")) {
		add(EnvCAMissing, loc.T("probe.env.ca_missing", "Dir", dir, "From", from), loc.T("probe.env.ca_missing_fix"), false)
	}
	var missing []string
	for _, f := range []string{"cert.pem", "key.pem"} {
		if !exists(filepath.Join(dir, f)) {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		add(EnvClientMissing, loc.T("probe.env.client_missing", "Dir", dir, "Files", strings.Join(missing, loc.T("probe.env.and")), "From", from), loc.T("probe.env.client_missing_fix"), false)
	}
	return out
}

// certDir is where the docker CLI looks for ca.pem/cert.pem/key.pem, and the
// variable that decided it (in loc's words for the default).
func certDir(loc *i18n.Localizer, getenv func(string) string) (dir, from string) {
	if d := getenv("DOCKER_CERT_PATH"); d != "" {
		return d, "DOCKER_CERT_PATH"
	}
	if d := getenv("DOCKER_CONFIG"); d != "" {
		return d, "DOCKER_CONFIG"
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".docker"), loc.T("probe.env.default_dir")
	}
	return "", ""
}

func portOr(a Address, err error, def int) int {
	if err != nil || a.PortDefault || a.Port == 0 {
		return def
	}
	return a.Port
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
