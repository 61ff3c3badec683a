package daemon

import (
	"fmt"
	"strings"
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
		return nil, fmt.Errorf("docker.service has no ExecStart= line")
	}
	const argvTag = "argv[]="
	i := strings.Index(value, argvTag)
	if i < 0 {
		return nil, fmt.Errorf("cannot read the ExecStart value %q (expected argv[]=...)", value)
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
		return nil, fmt.Errorf("cannot split the ExecStart command line: %w", err)
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("the ExecStart value %q has an empty command", value)
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
