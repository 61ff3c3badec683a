package wizard

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/pki"
)

// The distribute step's "by hand" commands run as shown, with the real ssh
// and scp against a real sshd: the files arrive with their modes, through a
// private directory (mktemp -d) on the node that is gone afterwards, never
// through fixed names in the shared /tmp.
func TestDistributeManualCommandsRunAsShown(t *testing.T) {
	if os.Geteuid() != 0 {
		testlab.Unavailable(t, "the distribute commands' sudo install -o root", "run the tests as root")
	}
	for _, bin := range []string{"ssh", "scp", "sudo", "sh"} {
		testlab.RequireBinary(t, bin, "openssh-client")
	}
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	pkiDir := filepath.Join(work, "pki")
	daemonDir := filepath.Join(work, "node", "etc docker", "tls")
	clientDir := filepath.Join(work, "client certs")
	if err := os.Mkdir(pkiDir, 0o700); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{pki.FileCA: "CA\n", pki.FileDaemonCert: "daemon cert\n", pki.FileDaemonKey: "daemon key\n",
		pki.FileClientCert: "client cert\n", pki.FileClientKey: "client key\n"}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(pkiDir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := loadPlanText(t, work, fmt.Sprintf("dir: ./pki\ndaemon:\n  ssh: ssh://%s@%s\n  cert_dir: %q\n  common_name: node3\n  sans: [node3]\n  address: tcp://node3:2376\nclient:\n  target: local\n  cert_dir: %q\n",
		u.Username, s.Addr, daemonDir, clientDir))
	d, err := distributeStep{}.Describe(context.Background(), NewSession(p, nil, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	script := strings.Join(d.Commands, "\n")
	if strings.Contains(strings.ReplaceAll(script, work, "WORK"), "/tmp") {
		t.Errorf("the commands use fixed names in /tmp:\n%s", script)
	}

	// ssh and scp as the user has them, pointed at the test's key and
	// known_hosts by a config file (the commands themselves are unchanged).
	bin := filepath.Join(work, "bin")
	cfg := filepath.Join(work, "ssh_config")
	config := fmt.Sprintf("Host *\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  BatchMode yes\n  LogLevel ERROR\n", s.ClientKey, s.KnownHosts)
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tool := range []string{"ssh", "scp"} {
		real, _ := exec.LookPath(tool)
		wrapper := fmt.Sprintf("#!/bin/sh\nexec %s -F %s \"$@\"\n", real, cfg)
		if err := os.WriteFile(filepath.Join(bin, tool), []byte(wrapper), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tmpFile := filepath.Join(work, "tmpname")
	cmd := exec.Command("sh", "-e", "-c", script+"\nprintf '%s' \"$tmp\" > "+tmpFile)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the commands failed: %v\n%s\nscript:\n%s", err, out, script)
	}
	for dir, want := range map[string]map[string]string{
		daemonDir: {DaemonCAFile: "CA\n", DaemonCertFile: "daemon cert\n", DaemonKeyFile: "daemon key\n"},
		clientDir: {ClientCAFile: "CA\n", ClientCertFile: "client cert\n", ClientKeyFile: "client key\n"},
	} {
		for name, data := range want {
			f := filepath.Join(dir, name)
			got, err := os.ReadFile(f)
			if err != nil || string(got) != data {
				t.Errorf("%s: %q, %v; want %q", f, got, err, data)
				continue
			}
			fi, _ := os.Stat(f)
			wantMode := os.FileMode(0o444)
			if strings.HasSuffix(name, "key.pem") {
				wantMode = 0o400
			}
			if fi.Mode().Perm() != wantMode {
				t.Errorf("%s: mode %v, want %v", f, fi.Mode().Perm(), wantMode)
			}
		}
	}
	tmp, _ := os.ReadFile(tmpFile)
	if len(tmp) == 0 {
		t.Fatal("the commands made no temp directory")
	}
	if _, err := os.Stat(string(tmp)); !os.IsNotExist(err) {
		t.Errorf("the temp directory %s on the node is still there (%v)", tmp, err)
	}
}
