package daemon

import (
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// parseShow reads `systemctl show -p A -p B` output into a map.
func parseShow(out string) map[string]string {
	props := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\r"), "=")
		if ok {
			if _, dup := props[k]; !dup {
				props[k] = v
			}
		}
	}
	return props
}

// ParseExecStart extracts the command line from a `systemctl show -p
// ExecStart` value: "{ path=/usr/sbin/dockerd ; argv[]=/usr/sbin/dockerd -H
// fd:// ... ; ignore_errors=no ; ... }". Only the first command counts
// (docker.service has one). Environment references such as $DOCKER_OPTS are
// kept as words, unexpanded.
func ParseExecStart(value string) ([]string, error) {
	value = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(value), "ExecStart="))
	if value == "" {
		return nil, i18n.Errorf("daemon.execstart.none")
	}
	const argvTag = "argv[]="
	i := strings.Index(value, argvTag)
	if i < 0 {
		return nil, i18n.Errorf("daemon.execstart.unreadable", "Value", strconv.Quote(value))
	}
	rest := value[i+len(argvTag):]
	end := strings.Index(rest, " ; ignore_errors=")
	if end < 0 {
		end = strings.Index(rest, " ; ")
	}
	if end < 0 {
		end = strings.Index(rest, " }")
	}
	if end >= 0 {
		rest = rest[:end]
	}
	words, err := splitWords(rest)
	if err != nil {
		return nil, i18n.Errorf("daemon.execstart.split", "Err", err)
	}
	if len(words) == 0 {
		return nil, i18n.Errorf("daemon.execstart.empty", "Value", strconv.Quote(value))
	}
	return words, nil
}

// parseCmdline splits /proc/PID/cmdline (NUL-separated) into arguments.
func parseCmdline(data []byte) []string {
	s := strings.TrimRight(string(data), "\x00")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}
