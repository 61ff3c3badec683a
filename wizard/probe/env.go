package probe

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
// It looks at the certificate files on this machine.
func CheckEnv(getenv func(string) string, wantAddress string) []EnvProblem {
	var out []EnvProblem
	add := func(code, msg, fx string, warn bool) {
		out = append(out, EnvProblem{Code: code, Message: msg, Fix: fix.Parse(fx), Warn: warn})
	}
	const envFix = "Set the variables again: eval \"$(dockertls env -f PLAN)\" (or persist them with dockertls env -f PLAN --persist)."
	want, wantErr := ParseAddress(wantAddress)
	host := strings.TrimSpace(getenv("DOCKER_HOST"))
	if host == "" {
		if wantAddress != "" && wantErr == nil {
			add(EnvHostUnset, fmt.Sprintf("DOCKER_HOST is not set, so the docker CLI talks to the local daemon (or the current docker context), not to %s.", want), envFix+" A docker context (docker context use NAME) works too.", true)
		}
		return out
	}
	got, err := ParseAddress(host)
	if err != nil {
		add(EnvHostInvalid, fmt.Sprintf("DOCKER_HOST=%s will not work: %v.", host, err), envFix, strings.HasPrefix(host, "unix://") || strings.HasPrefix(host, "ssh://") || strings.HasPrefix(host, "npipe://"))
		return out
	}
	switch {
	case got.PortDefault:
		add(EnvHostNoPort, fmt.Sprintf("DOCKER_HOST=%s has no port, and the docker CLI then uses port 2375 (the unencrypted API's port), even with TLS on.", host), "Write the port: export DOCKER_HOST="+netaddr.New(got.Host, portOr(want, wantErr, 2376)).String(), false)
	case got.Port == DefaultPlainPort && (wantErr != nil || want.Port != DefaultPlainPort):
		add(EnvHostPlainPort, fmt.Sprintf("DOCKER_HOST=%s uses port 2375, the conventional port of the unencrypted API; the TLS port is usually 2376.", host), "export DOCKER_HOST="+netaddr.New(got.Host, portOr(want, wantErr, 2376)).String(), false)
	}
	if len(out) == 0 && wantErr == nil && wantAddress != "" && (!netaddr.SameHost(got.Host, want.Host) || got.Port != want.Port) {
		add(EnvHostOther, fmt.Sprintf("DOCKER_HOST=%s points at another daemon than the plan's %s.", host, want), envFix, true)
	}

	verify := getenv("DOCKER_TLS_VERIFY")
	switch {
	case verify == "" && getenv("DOCKER_TLS") != "":
		add(EnvTLSNoVerify, "DOCKER_TLS is set but DOCKER_TLS_VERIFY is not: the docker CLI encrypts but does not check the daemon's certificate, so anyone in the middle can pretend to be the daemon.", "export DOCKER_TLS_VERIFY=1", false)
	case verify == "":
		add(EnvTLSVerifyUnset, "DOCKER_TLS_VERIFY is not set, so the docker CLI speaks plain HTTP; a TLS daemon answers \"Client sent an HTTP request to an HTTPS server\".", "export DOCKER_TLS_VERIFY=1", false)
	case verify == "0" || strings.EqualFold(verify, "false"):
		add(EnvTLSVerifyZero, fmt.Sprintf("DOCKER_TLS_VERIFY=%s still turns verification ON: the docker CLI only asks whether the variable is non-empty.", verify), "Write what is meant: export DOCKER_TLS_VERIFY=1 (or unset it, which turns TLS off altogether).", true)
	}
	if verify == "" && getenv("DOCKER_TLS") == "" {
		return out
	}

	dir, from := certDir(getenv)
	if dir == "" {
		add(EnvCertPathMissing, "Neither DOCKER_CERT_PATH, DOCKER_CONFIG nor HOME is set, so the docker CLI cannot find ca.pem, cert.pem and key.pem.", "export DOCKER_CERT_PATH=/path/to/the/client/certificates", false)
		return out
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		add(EnvCertPathMissing, fmt.Sprintf("%s=%s is not a directory on this machine, so the docker CLI finds no certificates.", from, dir), "Point DOCKER_CERT_PATH at the directory with ca.pem, cert.pem and key.pem: "+envFix, false)
		return out
	}
	if !exists(filepath.Join(dir, "ca.pem")) {
		add(EnvCAMissing, fmt.Sprintf("%s has no ca.pem (found through %s): the docker CLI stops with \"could not read CA certificate\".", dir, from), "Copy the CA certificate there: dockertls apply -f PLAN --step distribute.", false)
	}
	var missing []string
	for _, f := range []string{"cert.pem", "key.pem"} {
		if !exists(filepath.Join(dir, f)) {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		add(EnvClientMissing, fmt.Sprintf("%s has no %s (found through %s): the docker CLI then silently connects without a client certificate, and the daemon refuses it (\"client didn't provide a certificate\", \"bad certificate\").", dir, strings.Join(missing, " and "), from), "Put the client certificate and key there: dockertls apply -f PLAN --step client-cert --step distribute.", false)
	}
	return out
}

// certDir is where the docker CLI looks for ca.pem/cert.pem/key.pem, and the
// variable that decided it.
func certDir(getenv func(string) string) (dir, from string) {
	if d := getenv("DOCKER_CERT_PATH"); d != "" {
		return d, "DOCKER_CERT_PATH"
	}
	if d := getenv("DOCKER_CONFIG"); d != "" {
		return d, "DOCKER_CONFIG"
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".docker"), "the default ~/.docker"
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
