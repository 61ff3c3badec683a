package daemon

import (
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// dockerdArg is one flag (or other word) of a dockerd command line.
type dockerdArg struct {
	Words []string // the original word(s): ["-H", "fd://"] or ["--containerd=/run/..."]
	Name  string   // canonical long name without dashes ("host", "tlsverify"); "" for a non-flag word
	Value string   // the flag's value ("" for a bare bool flag)
	// Guessed: a flag dockertls does not know, written without "=", took
	// the next word as its value. dockerd may see it as a bool instead.
	Guessed bool
}

// shortFlag maps dockerd's one-letter flags to their long names.
func shortFlag(letter string) (string, bool) {
	switch letter {
	case "H":
		return "host", true
	case "D":
		return "debug", true
	case "G":
		return "group", true
	case "l":
		return "log-level", true
	case "b":
		return "bridge", true
	case "g":
		return "graph", true
	case "p":
		return "pidfile", true
	case "s":
		return "storage-driver", true
	case "h":
		return "help", true
	case "v":
		return "version", true
	}
	return "", false
}

// isBoolFlag reports whether a dockerd flag takes no separate value word.
func isBoolFlag(name string) bool {
	switch name {
	case "debug", "tls", "tlsverify", "live-restore", "experimental", "icc", "ip-forward", "ip-masq",
		"iptables", "ip6tables", "ipv6", "userland-proxy", "selinux-enabled", "no-new-privileges",
		"init", "raw-logs", "validate", "rootless", "help", "version", "disable-legacy-registry",
		"ip-forward-no-drop", "cri-containerd":
		return true
	}
	return false
}

// isValueFlag reports whether a dockerd flag is known to take a value
// (dockerd 20.10's --help, plus older and newer releases' flags).
func isValueFlag(name string) bool {
	switch name {
	case "add-runtime", "allow-nondistributable-artifacts", "api-cors-header", "authorization-plugin", "bip",
		"bridge", "cgroup-parent", "config-file", "containerd", "containerd-namespace",
		"containerd-plugins-namespace", "cpu-rt-period", "cpu-rt-runtime", "data-root", "default-address-pool",
		"default-cgroupns-mode", "default-gateway", "default-gateway-v6", "default-ipc-mode", "default-runtime",
		"default-shm-size", "default-ulimit", "dns", "dns-opt", "dns-search", "exec-opt", "exec-root",
		"fixed-cidr", "fixed-cidr-v6", "group", "host", "host-gateway-ip", "init-path", "insecure-registry", "ip",
		"label", "log-driver", "log-level", "log-opt", "max-concurrent-downloads", "max-concurrent-uploads",
		"max-download-attempts", "metrics-addr", "mtu", "network-control-plane-mtu", "node-generic-resource",
		"oom-score-adjust", "pidfile", "registry-mirror", "seccomp-profile", "shutdown-timeout", "storage-driver",
		"storage-opt", "swarm-default-advertise-addr", "tlscacert", "tlscert", "tlskey", "userland-proxy-path",
		"userns-remap", "graph", "cluster-store", "cluster-advertise", "cluster-store-opt", "feature",
		"cdi-spec-dir", "http-proxy", "https-proxy", "no-proxy", "default-network-opt", "log-format":
		return true
	}
	return false
}

// isTLSFlag reports whether a flag is one of the TLS settings dockertls owns.
func isTLSFlag(name string) bool {
	switch name {
	case "tls", "tlsverify", "tlscacert", "tlscert", "tlskey":
		return true
	}
	return false
}

// configKey is the daemon.json key a flag sets, or "" when it has none.
// Most keys are spelled like the flag; the list-valued ones are plural.
func configKey(name string) string {
	switch name {
	case "", "config-file", "validate", "help", "version":
		return ""
	case "host":
		return "hosts"
	case "label":
		return "labels"
	case "insecure-registry":
		return "insecure-registries"
	case "registry-mirror":
		return "registry-mirrors"
	case "storage-opt":
		return "storage-opts"
	case "log-opt":
		return "log-opts"
	case "exec-opt":
		return "exec-opts"
	case "add-runtime":
		return "runtimes"
	case "authorization-plugin":
		return "authorization-plugins"
	case "default-ulimit":
		return "default-ulimits"
	case "dns-opt":
		return "dns-opts"
	case "default-address-pool":
		return "default-address-pools"
	case "node-generic-resource":
		return "node-generic-resources"
	case "cluster-store-opt":
		return "cluster-store-opts"
	case "feature":
		return "features"
	case "cdi-spec-dir":
		return "cdi-spec-dirs"
	}
	return name
}

// parseDockerdArgs groups dockerd arguments (without argv[0]) into flags
// with their values. Unknown words (such as "$DOCKER_OPTS") stay as they are.
func parseDockerdArgs(args []string) []dockerdArg {
	var out []dockerdArg
	for i := 0; i < len(args); i++ {
		w := args[i]
		a := dockerdArg{Words: []string{w}}
		switch {
		case strings.HasPrefix(w, "--") && len(w) > 2:
			name, val, hasVal := strings.Cut(w[2:], "=")
			a.Name = name
			if hasVal {
				a.Value = val
			} else if !isBoolFlag(name) && i+1 < len(args) {
				i++
				a.Words = append(a.Words, args[i])
				a.Value = args[i]
				a.Guessed = !isValueFlag(name)
			}
		case strings.HasPrefix(w, "-") && len(w) > 1 && w != "-":
			letter := w[1:2]
			name, known := shortFlag(letter)
			if !known {
				name = letter
			}
			a.Name = name
			rest := w[2:]
			rest = strings.TrimPrefix(rest, "=")
			switch {
			case rest != "":
				a.Value = rest
			case !isBoolFlag(name) && i+1 < len(args):
				i++
				a.Words = append(a.Words, args[i])
				a.Value = args[i]
				a.Guessed = !isValueFlag(name)
			}
		}
		out = append(out, a)
	}
	return out
}

// flagConfigKeys lists the daemon.json keys set by flags on a command line.
func flagConfigKeys(args []dockerdArg) map[string]bool {
	keys := map[string]bool{}
	for _, a := range args {
		if k := configKey(a.Name); k != "" {
			keys[k] = true
		}
	}
	return keys
}

// hostFlags returns the values of every -H/--host flag.
func hostFlags(args []dockerdArg) []string {
	var hosts []string
	for _, a := range args {
		if a.Name == "host" {
			hosts = append(hosts, a.Value)
		}
	}
	return hosts
}

// ownedFlag reports whether dockertls takes this flag over into daemon.json.
func ownedFlag(name string) bool {
	return name == "host" || isTLSFlag(name)
}

// hasOwnedFlag reports whether any argument is a -H or TLS flag.
func hasOwnedFlag(args []dockerdArg) bool {
	for _, a := range args {
		if ownedFlag(a.Name) {
			return true
		}
	}
	return false
}

// refuseGuess fails when a flag dockertls does not know took as its value
// a word that decides what dockertls must change: an environment reference
// ($DOCKER_OPTS) or a -H/TLS flag. If the flag is really a bool, that word
// is dockerd's own, and a -H in it would survive next to daemon.json's
// "hosts" (dockerd then refuses to start); so dockertls does not guess.
// where names the command line: an i18n.Message ("docker.service's
// ExecStart") or a literal ("$DOCKER_OPTS").
func refuseGuess(args []dockerdArg, where any) error {
	for _, a := range args {
		if !a.Guessed {
			continue
		}
		next := a.Words[1]
		if !isEnvRef(next) && !ownedFlag(parseDockerdArgs([]string{next})[0].Name) {
			continue
		}
		flag := a.Words[0]
		return i18n.Errorf("daemon.flags.refuse_guess", "Where", where, "Flag", flag, "Next", next)
	}
	return nil
}
