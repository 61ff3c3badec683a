package wizard

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/daemon"
)

// holdByHand takes the node lock the way an admin (or a dockertls run on
// another machine) would, with flock(1) in a shell that writes who it is
// into the lock file, and returns the function that lets go (the shell's
// input ends, as when its ssh session closes).
func holdByHand(t *testing.T, lockPath, who string) (release func()) {
	t.Helper()
	testlab.RequireBinary(t, "flock", "util-linux")
	cmd := exec.Command("flock", lockPath, "sh", "-c", `printf '%s\n' "$1" >"$2"; echo held; exec cat >/dev/null`, "sh", who, lockPath)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); strings.TrimSpace(line) != "held" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("flock %s: %q %v", lockPath, line, err)
	}
	released := false
	release = func() {
		if !released {
			released = true
			_ = stdin.Close()
			_ = cmd.Wait()
		}
	}
	t.Cleanup(release)
	return release
}

// While another run holds the node lock, daemon-config waits (LockWait),
// then refuses naming that run and what to do, and changes nothing: the
// same daemon.json, no backup, no restart. Once the other run lets go the
// lock is free at once and the same step configures the daemon. Over SSH
// (root on a real sshd) and on this machine (daemon.ssh: local).
func TestDaemonConfigWaitsForTheNodeLock(t *testing.T) {
	testlab.RequireRoot(t)
	sshd := testlab.StartSSHD(t, testlab.SSHDOptions{})
	for _, target := range []string{"ssh", "local"} {
		t.Run(target, func(t *testing.T) {
			d := testlab.NewDockerd(t, testlab.DockerdOptions{NoHostFlags: true})
			if err := os.WriteFile(d.ConfigPath, []byte(`{"hosts": ["unix://`+d.Socket+`"]}`+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := d.Start(); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			_, port, _ := strings.Cut(d.TCPAddr, ":")
			node := "  ssh: local\n"
			if target == "ssh" {
				node = fmt.Sprintf("  ssh: root@%s\n  identity: %s\n  known_hosts: %s\n", sshd.Addr, sshd.ClientKey, sshd.KnownHosts)
			}
			p := loadPlanText(t, dir, fmt.Sprintf(`ca: {key: ecdsa-p256, days: 365}
daemon:
%[5]s  sans: [localhost, 127.0.0.1]
  listen: tcp://127.0.0.1:%[1]s
  address: tcp://127.0.0.1:%[1]s
  cert_dir: %[2]s/daemon-tls
  config: %[3]s
  restart: %[4]q
client:
  cert_dir: %[2]s/client
`, port, dir, d.ConfigPath, d.RestartCommand(), node))
			ctx := context.Background()
			r := NewRunner(p, headlessYes{}, Options{Yes: true, HealthTimeout: 60 * time.Second, LockWait: 200 * time.Millisecond})
			t.Cleanup(func() { _ = r.Close() })
			var out bytes.Buffer
			if err := r.Run(ctx, []StepName{StepCA, StepDaemonCert, StepClientCert, StepDistribute}, NewPrinter(&out, nil)); err != nil {
				t.Fatalf("apply up to distribute: %v\n%s", err, out.String())
			}

			lockPath := daemon.LockPath(d.ConfigPath)
			t.Cleanup(func() { _ = os.Remove(lockPath) })
			const first = "root@laptop pid 1234, since 12:01 UTC: dockertls apply --step daemon-config"
			release := holdByHand(t, lockPath, first)
			before, err := os.ReadFile(d.ConfigPath)
			if err != nil {
				t.Fatal(err)
			}
			pid := d.Pid()

			out.Reset()
			err = r.Apply(ctx, StepDaemonConfig, NewPrinter(&out, nil))
			var locked *remote.LockedError
			if !errors.As(err, &locked) || locked.Holder != first {
				t.Fatalf("daemon-config under another run's lock: %v, want a LockedError naming %q\n%s", err, first, out.String())
			}
			host, hostDE := "this machine", "diesem Rechner"
			if target == "ssh" {
				host, hostDE = sshd.Addr, sshd.Addr
			}
			want := "another dockertls run (" + first + ") is configuring the daemon on " + host + "; wait for it to finish, then run the same command again"
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error:\n%s\nwant it to say:\n%s", err, want)
			}
			if de := i18n.New(i18n.German).Error(err); !strings.Contains(de, "ein anderer dockertls-Lauf ("+first+") konfiguriert gerade den Daemon auf "+hostDE) {
				t.Errorf("in German: %s", de)
			}
			if after, _ := os.ReadFile(d.ConfigPath); !bytes.Equal(after, before) {
				t.Errorf("daemon.json changed under another run's lock:\n%s", after)
			}
			if backups, _ := filepath.Glob(d.ConfigPath + ".dockertls-backup-*"); len(backups) > 0 {
				t.Errorf("backups made under another run's lock: %v", backups)
			}
			if d.Pid() != pid {
				t.Errorf("the daemon was restarted under another run's lock (pid %d → %d)", pid, d.Pid())
			}

			release()
			out.Reset()
			if err := r.Apply(ctx, StepDaemonConfig, NewPrinter(&out, nil)); err != nil {
				t.Fatalf("daemon-config once the other run let go: %v\n%s\ndockerd log:\n%s", err, out.String(), d.LogTail(30))
			}
			if after, _ := os.ReadFile(d.ConfigPath); bytes.Equal(after, before) || d.Pid() == pid {
				t.Errorf("daemon-config after the lock was free did not configure the daemon (pid %d → %d):\n%s", pid, d.Pid(), out.String())
			}
			// Its own lock is gone with it: an admin's flock gets it at once.
			if b, err := exec.Command("flock", "-n", lockPath, "true").CombinedOutput(); err != nil {
				t.Errorf("the node lock is still held after daemon-config: %v %s", err, b)
			}
		})
	}
}
