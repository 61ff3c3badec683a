package probe

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dockertls/dockertls/internal/fsread"
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
// finding is a warning: the docker CLI itself may still work.
func CheckClientSide(getenv func(string) string, want ClientWant) []EnvProblem {
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
		add(EnvCABundle,
			fmt.Sprintf("%s=%s is set: Python clients (docker-py, docker-compose v1, Ansible's docker modules) then trust that bundle instead of the ca.pem in DOCKER_CERT_PATH and fail with \"unable to get local issuer certificate\" (docker/docker-py#2433); the docker CLI is not affected.", v, val),
			fmt.Sprintf("run Python Docker clients without it (env -u %s docker-compose ...), or add the CA to the bundle: cat %s >> %s", v, ca, val))
	}
	for _, v := range []string{"SSL_CERT_FILE", "SSL_CERT_DIR"} {
		if val := getenv(v); val != "" {
			add(EnvSSLCert,
				fmt.Sprintf("%s=%s is set: OpenSSL-based clients (Python's ssl, curl) trust only what it names unless they are given ca.pem explicitly, so a tool that does not read DOCKER_CERT_PATH refuses the daemon with \"unable to get local issuer certificate\".", v, val),
				fmt.Sprintf("give such tools the CA explicitly (curl --cacert %s), or unset %s for them", ca, v))
		}
	}
	if p := getenv("DOCKER_CERT_PATH"); p != "" && want.CertDir != "" && filepath.Clean(p) != filepath.Clean(want.CertDir) {
		add(EnvCertPathOther,
			fmt.Sprintf("DOCKER_CERT_PATH=%s, but the plan's client files are in %s: the docker CLI presents the files in %s.", p, want.CertDir, p),
			"set the variables again: eval \"$(dockertls env -f PLAN)\"")
	}
	cur, from := currentContext(getenv)
	host := getenv("DOCKER_HOST")
	switch {
	case cur == "" || cur == "default":
	case host != "":
		add(EnvHostShadowsCtx,
			fmt.Sprintf("DOCKER_HOST=%s is set, so the docker CLI ignores the docker context %q (%s): DOCKER_HOST always wins.", host, cur, from),
			"unset DOCKER_HOST to use the context, or pass --context "+cur+" explicitly")
	default:
		if ep := contextHost(getenv, cur); ep != "" && want.Address != "" && !sameAddress(ep, want.Address) {
			add(EnvContextElsewhere,
				fmt.Sprintf("the current docker context %q (%s) points at %s, not at %s: plain `docker` commands go there.", cur, from, ep, want.Address),
				contextFix(want))
		}
	}
	return out
}

func contextFix(want ClientWant) string {
	if want.Context != "" {
		return "docker context use " + want.Context + " (or docker --context " + want.Context + " ...)"
	}
	return "docker context use default, then eval \"$(dockertls env -f PLAN)\""
}

// currentContext is the docker CLI's current context, when DOCKER_HOST is
// not considered: DOCKER_CONTEXT, else config.json's currentContext.
func currentContext(getenv func(string) string) (name, from string) {
	if c := getenv("DOCKER_CONTEXT"); c != "" {
		return c, "from DOCKER_CONTEXT"
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
