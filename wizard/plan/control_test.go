package plan

import (
	"errors"
	"strings"
	"testing"
)

// A control character in any string of the plan is refused at its field
// and line: in a path, a name or a command it would end a line of the
// commands dockertls shows and runs (a newline in client.cert_dir became a
// command under cmd's FOR /f).
func TestPlanRefusesControlCharactersInEveryString(t *testing.T) {
	base := "dir: ./pki\nca:\n  common_name: CA\ndaemon:\n  ssh: ubuntu@node3\n  sans: [node3]\n  address: tcp://node3:2376\n  cert_dir: /etc/docker/tls\n  restart: auto\nclient:\n  cert_dir: /home/me/.docker\n  common_name: client\n"
	for _, c := range []struct{ field, old, new string }{
		{"client.cert_dir", "cert_dir: /home/me/.docker", `cert_dir: "/home/me/.docker\r\nDEL /Q C:\\x"`},
		{"daemon.cert_dir", "cert_dir: /etc/docker/tls", `cert_dir: "/etc/docker/tls\nrm -rf /"`},
		{"ca.common_name", "common_name: CA", `common_name: "CA\e[2J"`},
		{"client.common_name", "common_name: client", `common_name: "cli\x00ent"`},
		{"daemon.sans", "sans: [node3]", `sans: [node3, "evil\tname"]`},
		{"daemon.restart", "restart: auto", `restart: "systemctl restart docker\nreboot"`},
		{"dir", "dir: ./pki", `dir: "./pki\u0085"`},
	} {
		yaml := strings.Replace(base, c.old, c.new, 1)
		if yaml == base {
			t.Fatalf("%s: test plan not changed", c.field)
		}
		err := parseAndValidate(t, yaml)
		var errs Errors
		if !errors.As(err, &errs) {
			t.Fatalf("%s: %v, want plan errors", c.field, err)
		}
		found := false
		for _, e := range errs {
			if e.Field == c.field && strings.Contains(e.Message.String(), "control character") {
				found = true
				if e.Line == 0 {
					t.Errorf("%s: no line", c.field)
				}
				if strings.ContainsAny(e.Error(), "\n\r\x00\x1b") {
					t.Errorf("%s: the error prints the control character raw: %q", c.field, e.Error())
				}
			}
		}
		if !found {
			t.Errorf("%s: no control-character error in %v", c.field, err)
		}
	}
	if err := parseAndValidate(t, base); err != nil {
		t.Fatalf("the clean plan: %v", err)
	}
}

// A remote path with ".." names another directory than it seems to.
func TestPlanRefusesDotDotInRemotePaths(t *testing.T) {
	for field, yaml := range map[string]string{
		"daemon.cert_dir": "daemon:\n  ssh: ubuntu@node3\n  cert_dir: /etc/docker/../../root/.ssh\n",
		"daemon.config":   "daemon:\n  ssh: ubuntu@node3\n  config: /etc/docker/../sudoers.d/x\n",
		"client.cert_dir": "daemon:\n  ssh: ubuntu@node3\nclient:\n  target: ssh://me@laptop\n  cert_dir: ~/../other/.docker\n",
	} {
		err := parseAndValidate(t, yaml)
		if err == nil || !strings.Contains(err.Error(), field) || !strings.Contains(err.Error(), "climbs out of a directory with ..") {
			t.Errorf("%s: %v, want a refusal of ..", field, err)
		}
	}
	if err := parseAndValidate(t, "daemon:\n  ssh: ubuntu@node3\n  cert_dir: /etc/docker/tls..d\n"); err != nil {
		t.Errorf("a name that merely contains two dots: %v", err)
	}
}
