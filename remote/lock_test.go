package remote_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/holder"
	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/remote"
)

// firstRun is who holds the lock in these tests, as a run on another
// machine would write it.
const firstRun = "root@laptop pid 1234, since 12:01 UTC: dockertls apply --step daemon-config"

// lockOf is a daemon-config-like lock on path.
func lockOf(path string, wait time.Duration, who string) remote.Lock {
	return remote.Lock{Path: path, Wait: wait, Holder: who, Doing: "is configuring the daemon"}
}

// mustBeLocked checks that another LockFile on path gives up with a
// LockedError naming who (and, in its text, what to do).
func mustBeLocked(t *testing.T, h remote.Host, path, who string) {
	t.Helper()
	unlock, err := remote.LockFile(ctxT(t), h, lockOf(path, 100*time.Millisecond, "second run"))
	if err == nil {
		unlock()
		t.Fatalf("a second LockFile on %s got the lock while %q holds it", path, who)
	}
	var locked *remote.LockedError
	if !errors.As(err, &locked) || locked.Holder != who || locked.Host != h.Name() || locked.Path != path {
		t.Fatalf("second LockFile: %#v (%v), want a LockedError naming %q on %s", locked, err, who, h.Name())
	}
	want := fmt.Sprintf("another dockertls run (%s) is configuring the daemon on %s; wait for it to finish, then run the same command again", who, h.Name())
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error:\n%s\nwant it to say:\n%s", err, want)
	}
}

// mustLock takes the lock, waiting as long as it takes: a lock that is
// never released fails the test at ctxT's end instead of hanging.
func mustLock(t *testing.T, h remote.Host, path string) func() {
	t.Helper()
	unlock, err := remote.LockFile(ctxT(t), h, lockOf(path, time.Minute, "third run"))
	if err != nil {
		t.Fatalf("the lock on %s is not free: %v", path, err)
	}
	return unlock
}

// mustBeFree takes the lock without waiting at all.
func mustBeFree(t *testing.T, h remote.Host, path string) {
	t.Helper()
	unlock, err := remote.LockFile(ctxT(t), h, lockOf(path, 0, "third run"))
	if err != nil {
		t.Fatalf("the lock on %s is not free at once: %v", path, err)
	}
	unlock()
}

// A second run on the same lock file, on this machine and over SSH (two
// connections, as two dockertls runs have), waits and then names the
// first; once the first lets go, the lock is free at once.
func TestLockFileNamesTheHolder(t *testing.T) {
	testlab.RequireBinary(t, "flock", "util-linux")
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	for _, tc := range []struct {
		name        string
		first, next func() remote.Host
	}{
		{"local", func() remote.Host { return remote.NewLocal(nil) }, func() remote.Host { return remote.NewLocal(nil) }},
		{"ssh", func() remote.Host { return openSSH(t, s, "root", nil) }, func() remote.Host { return openSSH(t, s, "root", nil) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "run", "lock", "dockertls-test.lock") // its directory is made
			a, b := tc.first(), tc.next()
			unlock, err := remote.LockFile(ctxT(t), a, lockOf(path, 0, firstRun))
			if err != nil {
				t.Fatal(err)
			}
			mustBeLocked(t, b, path, firstRun)
			// An admin's flock(1) sees it held too: it is a real flock.
			if out, err := exec.Command("flock", "-n", path, "true").CombinedOutput(); err == nil {
				t.Errorf("flock -n %s succeeded while LockFile holds it: %s", path, out)
			}
			unlock()
			unlock() // twice is harmless
			mustBeFree(t, b, path)
		})
	}
}

// A run that was killed (its process gone, its SSH connection with it)
// leaves no lock behind: the next run gets it as soon as the host notices,
// without anybody removing anything.
func TestLockFileEndsWithItsProcess(t *testing.T) {
	testlab.RequireBinary(t, "flock", "util-linux")
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	for _, over := range []string{"local", "ssh"} {
		t.Run(over, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "dockertls-test.lock")
			helper := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$")
			helper.Env = append(os.Environ(), "DOCKERTLS_LOCK_HELPER="+path)
			if over == "ssh" {
				helper.Env = append(helper.Env, "DOCKERTLS_LOCK_HELPER_SSH="+strings.Join([]string{s.Target("root"), s.ClientKey, s.KnownHosts}, "\n"))
			}
			stdin, err := helper.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			stdout, err := helper.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			helper.Stderr = os.Stderr
			if err := helper.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if strings.TrimSpace(line) != "held" {
				_ = helper.Process.Kill()
				_ = helper.Wait()
				t.Fatalf("helper: %q %v", line, err)
			}
			h := remote.NewLocal(nil)
			unlock, err := remote.LockFile(ctxT(t), h, lockOf(path, 0, "second run"))
			var locked *remote.LockedError
			if err == nil {
				unlock()
			}
			if !errors.As(err, &locked) || !strings.Contains(locked.Holder, fmt.Sprintf(" pid %d, since ", helper.Process.Pid)) {
				t.Errorf("while the helper holds it: %v, want the helper (pid %d) named", err, helper.Process.Pid)
			}
			// SIGKILL: no unlock, no deferred function runs.
			if err := helper.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			_ = helper.Wait()
			mustLock(t, h, path)()
		})
	}
}

// TestLockHelperProcess is the killed run of TestLockFileEndsWithItsProcess:
// it takes the lock (here or over SSH), says "held" and waits to be killed.
func TestLockHelperProcess(t *testing.T) {
	path := os.Getenv("DOCKERTLS_LOCK_HELPER")
	if path == "" {
		t.Skip("only run by TestLockFileEndsWithItsProcess")
	}
	var h remote.Host = remote.NewLocal(nil)
	if ssh := os.Getenv("DOCKERTLS_LOCK_HELPER_SSH"); ssh != "" {
		p := strings.Split(ssh, "\n")
		var err error
		if h, err = remote.Open(context.Background(), remote.Config{Target: p[0], Identity: p[1], KnownHosts: p[2]}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := remote.LockFile(context.Background(), h, lockOf(path, 0, holder.Describe(time.Now()))); err != nil {
		t.Fatal(err)
	}
	fmt.Println("held")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // until killed
	t.Fatal("the helper was not killed")
}

// A run whose SSH connection drops (Close without unlock, as a dead
// network would) leaves no lock behind on the node.
func TestLockFileEndsWithItsConnection(t *testing.T) {
	testlab.RequireBinary(t, "flock", "util-linux")
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	path := filepath.Join(t.TempDir(), "dockertls-test.lock")
	a, b := openSSH(t, s, "root", nil), openSSH(t, s, "root", nil)
	if _, err := remote.LockFile(ctxT(t), a, lockOf(path, 0, firstRun)); err != nil {
		t.Fatal(err)
	}
	mustBeLocked(t, b, path, firstRun)
	_ = a.Close()
	mustLock(t, b, path)()
}

// A lock file in a root-owned directory, taken through sudo with a
// password (the sudo gate passes the lock's input through, so unlock
// still ends it).
func TestLockFileWithSudo(t *testing.T) {
	testlab.RequireBinary(t, "flock", "util-linux")
	s := sudoSSHD(t)
	path := filepath.Join(rootOwnedDir(t), "dockertls-test.lock")
	p := &countingPrompter{secrets: map[remote.SecretKind]string{remote.SecretSudoPassword: testlab.SudoPassword}}
	a, b := openSSH(t, s, testlab.UserSudoPassword, p), openSSH(t, s, testlab.UserSudoPassword, p)
	l := lockOf(path, 0, firstRun)
	l.Sudo = true
	unlock, err := remote.LockFile(ctxT(t), a, l)
	if err != nil {
		t.Fatal(err)
	}
	second := lockOf(path, 0, "second run")
	second.Sudo = true
	var locked *remote.LockedError
	if again, err := remote.LockFile(ctxT(t), b, second); err == nil {
		again()
		t.Fatal("a second run got the lock")
	} else if !errors.As(err, &locked) || locked.Holder != firstRun {
		t.Fatalf("second run: %v", err)
	}
	unlock()
	again, err := remote.LockFile(ctxT(t), b, second)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
}
