package probe

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/fix"
)

// Codes of CheckClientSide.
const (
	EnvCABundle         = "env-ca-bundle"       // REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE
	EnvSSLCert          = "env-ssl-cert"        // SSL_CERT_FILE / SSL_CERT_DIR
	EnvCertPathOther    = "env-cert-path-other" // DOCKER_CERT_PATH names another directory
	EnvHostShadowsCtx   = "env-host-shadows-context"
	EnvContextElsewhere = "env-context-elsewhere" // the current context points elsewhere
)

// ClientWant is what the plan sets up on this machine.
type ClientWant struct {
	Address string // tcp://node3:2376
	CertDir string // the plan's client cert_dir, expanded
	Context string // client.context ("" none)
}

// CheckClientSide warns about what else on a client machine decides where
// clients connect and which CA they trust, beyond the docker CLI's own
// variables (CheckEnv): the CA bundle variables that make Python clients
// (docker-py, docker-compose v1, Ansible's docker modules) ignore
// DOCKER_CERT_PATH's ca.pem (docker/docker-py#2433), DOCKER_CERT_PATH
// naming another directory than the plan's, and a docker context that
// DOCKER_HOST shadows, or one that sends plain `docker` elsewhere. Every
// finding is a warning: the docker CLI itself may still work. Its words are
// English; CheckClientSideIn says them in a language.
func CheckClientSide(getenv func(string) string, want ClientWant) []EnvProblem {
	return CheckClientSideIn(nil, getenv, want)
}

// CheckClientSideIn is CheckClientSide in loc's language.
func CheckClientSideIn(loc *i18n.Localizer, getenv func(string) string, want ClientWant) []EnvProblem {
	var out []EnvProblem
	add := func(code, msg, fx string) {
		out = append(out, EnvProblem{Code: code, Message: msg, Fix: fix.Parse(fx), Warn: true})
	}
	ca := filepath.Join(want.CertDir, "ca.pem")
	for _, v := range []string{"REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"} {
		val := getenv(v)
		if val == "" || (want.CertDir != "" && sameFile(val, ca)) {
			continue
		}
		add(EnvCABundle, loc.T("probe.side.ca_bundle", "Var", v, "Value", val), loc.T("probe.side.ca_bundle_fix", "Var", v, "CA", ca, "Value", val))
	}
	for _, v := range []string{"SSL_CERT_FILE", "SSL_CERT_DIR"} {
		if val := getenv(v); val != "" {
			add(EnvSSLCert, loc.T("probe.side.ssl_cert", "Var", v, "Value", val), loc.T("probe.side.ssl_cert_fix", "CA", ca, "Var", v))
		}
	}
	if p := getenv("DOCKER_CERT_PATH"); p != "" && want.CertDir != "" && filepath.Clean(p) != filepath.Clean(want.CertDir) {
		add(EnvCertPathOther, loc.T("probe.side.cert_path_other", "Path", p, "Dir", want.CertDir), loc.T("probe.side.cert_path_other_fix"))
	}
	cur, from := currentContext(loc, getenv)
	host := getenv("DOCKER_HOST")
	switch {
	case cur == "" || cur == "default":
	case host != "":
		add(EnvHostShadowsCtx, loc.T("probe.side.host_shadows_context", "Host", host, "Context", strconv.Quote(cur), "From", from),
			loc.T("probe.side.host_shadows_context_fix", "Context", cur))
	default:
		if ep := contextHost(getenv, cur); ep != "" && want.Address != "" && !sameAddress(ep, want.Address) {
			add(EnvContextElsewhere, loc.T("probe.side.context_elsewhere", "Context", strconv.Quote(cur), "From", from, "Endpoint", ep, "Address", want.Address),
				contextFix(loc, want))
		}
	}
	return out
}

func contextFix(loc *i18n.Localizer, want ClientWant) string {
	if want.Context != "" {
		return loc.T("probe.side.context_use", "Context", want.Context)
	}
	return loc.T("probe.side.context_default")
}

// currentContext is the docker CLI's current context, when DOCKER_HOST is
// not considered: DOCKER_CONTEXT, else config.json's currentContext.
func currentContext(loc *i18n.Localizer, getenv func(string) string) (name, from string) {
	if c := getenv("DOCKER_CONTEXT"); c != "" {
		return c, loc.T("probe.side.from_docker_context")
	}
	data, err := fsread.ReadFile(filepath.Join(configDir(getenv), "config.json"), fsread.MaxPEM)
	if err != nil {
		return "", ""
	}
	var cfg struct {
		CurrentContext string `json:"currentContext"`
	}
	if json.Unmarshal(data, &cfg) != nil {
		return "", ""
	}
	return cfg.CurrentContext, "docker context use"
}

// contextHost is the docker endpoint of a context from its meta.json
// (~/.docker/contexts/meta/<sha256 of the name>/meta.json), or "".
func contextHost(getenv func(string) string, name string) string {
	sum := sha256.Sum256([]byte(name))
	data, err := fsread.ReadFile(filepath.Join(configDir(getenv), "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json"), fsread.MaxPEM)
	if err != nil {
		return ""
	}
	var meta struct {
		Endpoints map[string]struct {
			Host string `json:"Host"`
		} `json:"Endpoints"`
	}
	if json.Unmarshal(data, &meta) != nil {
		return ""
	}
	return meta.Endpoints["docker"].Host
}

func configDir(getenv func(string) string) string {
	if d := getenv("DOCKER_CONFIG"); d != "" {
		return d
	}
	return filepath.Join(getenv("HOME"), ".docker")
}

func sameFile(a, b string) bool {
	x, err1 := os.Stat(a)
	y, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(x, y)
}
