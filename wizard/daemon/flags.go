package daemon

import "strings"

// dockerdArg is one flag (or other word) of a dockerd command line.
type dockerdArg struct {
	Words []string // the original word(s): ["-H", "fd://"] or ["--containerd=/run/..."]
	Name  string   // canonical long name without dashes ("host", "tlsverify"); "" for a non-flag word
	Value string   // the flag's value ("" for a bare bool flag)
}

// shortFlags maps dockerd's one-letter flags to their long names.
var shortFlags = map[string]string{
	"H": "host", "D": "debug", "G": "group", "l": "log-level", "b": "bridge",
	"g": "graph", "p": "pidfile", "s": "storage-driver", "h": "help", "v": "version",
}

// boolFlags are dockerd flags that take no separate value word.
var boolFlags = map[string]bool{
	"debug": true, "tls": true, "tlsverify": true, "live-restore": true, "experimental": true,
	"icc": true, "ip-forward": true, "ip-masq": true, "iptables": true, "ip6tables": true,
	"ipv6": true, "userland-proxy": true, "selinux-enabled": true, "no-new-privileges": true,
	"init": true, "raw-logs": true, "validate": true, "rootless": true, "help": true,
	"version": true, "disable-legacy-registry": true, "ip-forward-no-drop": true,
}

// flagKeys maps flag names whose daemon.json key is spelled differently.
var flagKeys = map[string]string{
	"host": "hosts", "label": "labels", "insecure-registry": "insecure-registries",
	"registry-mirror": "registry-mirrors", "storage-opt": "storage-opts", "log-opt": "log-opts",
	"exec-opt": "exec-opts", "add-runtime": "runtimes", "authorization-plugin": "authorization-plugins",
	"default-ulimit": "default-ulimits", "dns-opt": "dns-opts", "default-address-pool": "default-address-pools",
	"node-generic-resource": "node-generic-resources", "cluster-store-opt": "cluster-store-opts",
	"feature": "features", "cdi-spec-dir": "cdi-spec-dirs",
}

// notConfigKeys are flags that have no daemon.json counterpart.
var notConfigKeys = map[string]bool{"config-file": true, "validate": true, "help": true, "version": true}

// tlsFlags are the flags dockertls owns once it writes the TLS keys to daemon.json.
var tlsFlags = map[string]bool{"tls": true, "tlsverify": true, "tlscacert": true, "tlscert": true, "tlskey": true}

// configKey is the daemon.json key a flag sets, or "" when it has none.
func configKey(name string) string {
	if name == "" || notConfigKeys[name] {
		return ""
	}
	if k, ok := flagKeys[name]; ok {
		return k
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
			} else if !boolFlags[name] && i+1 < len(args) {
				i++
				a.Words = append(a.Words, args[i])
				a.Value = args[i]
			}
		case strings.HasPrefix(w, "-") && len(w) > 1 && w != "-":
			letter := w[1:2]
			name, known := shortFlags[letter]
			if !known {
				name = letter
			}
			a.Name = name
			rest := w[2:]
			rest = strings.TrimPrefix(rest, "=")
			switch {
			case rest != "":
				a.Value = rest
			case !boolFlags[name] && i+1 < len(args):
				i++
				a.Words = append(a.Words, args[i])
				a.Value = args[i]
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
	return name == "host" || tlsFlags[name]
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
