package testlab

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strings"
	"syscall"
	"testing"
)

// Login users the tests may add to a disposable machine.
const (
	UserSudoNoPassword = "dtls-nopw"   // sudo without a password
	UserSudoPassword   = "dtls-pw"     // sudo that asks for SudoPassword
	UserNoSudo         = "dtls-nosudo" // no sudo at all (password SudoPassword)
	// UserSudoShOnly needs its password (SudoPassword) for sudo, except for
	// sh, which a NOPASSWD rule lets it run without one.
	UserSudoShOnly = "dtls-shonly"
	// SudoPassword is the login password of dtls-pw and dtls-nosudo. It has a space
	// and shell characters, so quoting mistakes show.
	SudoPassword = "pw with spaces $(id) 'q'"
)

const (
	sudoersFile = "/etc/sudoers.d/dockertls-test"
	usersLock   = "/run/lock/dockertls-test-users.lock"
)

// EnsureUsers makes sure the test users exist: UserSudoNoPassword,
// UserSudoPassword (password SudoPassword), UserNoSudo and UserSudoShOnly. It needs root
// and a disposable machine (CI=true or DOCKERTLS_TEST_USERS=1) — users are
// never added to a person's machine by surprise; otherwise the test stops
// via Unavailable. The users stay (other packages' tests reuse them).
func EnsureUsers(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Unavailable(t, "test users", "run the tests as root with CI=true or DOCKERTLS_TEST_USERS=1")
	}
	if !Disposable() {
		Unavailable(t, "test users", "they are added only on a disposable machine: set DOCKERTLS_TEST_USERS=1 (or CI=true) to allow adding "+
			strings.Join([]string{UserSudoNoPassword, UserSudoPassword, UserNoSudo, UserSudoShOnly}, ", "))
	}
	RequireBinary(t, "useradd", "passwd")
	RequireBinary(t, "sudo", "sudo")

	// Test binaries of several packages run at once: one at a time here.
	if err := os.MkdirAll("/run/lock", 0o755); err != nil {
		t.Fatal(err)
	}
	lock, err := os.OpenFile(usersLock, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) }()

	for _, name := range []string{UserSudoNoPassword, UserSudoPassword, UserNoSudo, UserSudoShOnly} {
		if _, err := user.Lookup(name); err != nil {
			run(t, "useradd", "-m", "-s", "/bin/sh", "-U", name)
		}
	}
	// "*": no password login, but not locked (sshd without PAM refuses
	// key logins of locked accounts, "!").
	run(t, "usermod", "-p", "*", UserSudoNoPassword)
	// UserNoSudo has a password like a real user: sudo tells "not in the
	// sudoers file" only after a correct one.
	chpasswd := exec.Command("chpasswd")
	chpasswd.Stdin = strings.NewReader(UserSudoPassword + ":" + SudoPassword + "\n" + UserNoSudo + ":" + SudoPassword + "\n" +
		UserSudoShOnly + ":" + SudoPassword + "\n")
	if out, err := chpasswd.CombinedOutput(); err != nil {
		t.Fatalf("chpasswd: %v: %s", err, out)
	}
	// The last matching rule wins: sh (either path) needs no password.
	sudoers := fmt.Sprintf("# dockertls tests (disposable machine)\n%s ALL=(ALL:ALL) NOPASSWD: ALL\n%s ALL=(ALL:ALL) ALL\n"+
		"%s ALL=(ALL:ALL) ALL\n%s ALL=(ALL:ALL) NOPASSWD: /bin/sh, /usr/bin/sh\n",
		UserSudoNoPassword, UserSudoPassword, UserSudoShOnly, UserSudoShOnly)
	if cur, err := os.ReadFile(sudoersFile); err != nil || string(cur) != sudoers {
		tmp := sudoersFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(sudoers), 0o440); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("visudo", "-c", "-f", tmp).CombinedOutput(); err != nil {
			_ = os.Remove(tmp)
			t.Fatalf("visudo -c rejects the test sudoers file: %v: %s", err, out)
		}
		if err := os.Rename(tmp, sudoersFile); err != nil {
			t.Fatal(err)
		}
	}
}

func run(t testing.TB, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
}
