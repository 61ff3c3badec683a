// Package testlab starts the real things the tests talk to: an OpenSSH sshd
// on loopback, a dockerd with its own config and state, and a systemd-managed
// Docker node. Nothing here is a fake.
package testlab

import (
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run in CI (CI=true), where a missing tool
// or privilege is a failure rather than a reason to skip.
func InCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "0" && v != "false"
}

// Unavailable stops a test that cannot run here: it fails in CI (so a missing
// install step cannot hide behind a skip) and skips elsewhere, saying what to
// install or how to run it.
func Unavailable(t testing.TB, what, hint string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s is not available in CI: %s", what, hint)
	}
	t.Skipf("skipping: %s is not available (%s)", what, hint)
}

// RequireBinary returns the path of a program, or stops the test with a hint
// naming the Debian package that provides it.
func RequireBinary(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
			if _, statErr := os.Stat(dir + "/" + name); statErr == nil {
				return dir + "/" + name
			}
		}
		Unavailable(t, name, "apt-get install "+debianPackage)
	}
	return p
}

// RequireRoot stops a test that needs root.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Unavailable(t, "root", "run the tests as root (sudo -E make test)")
	}
}

// Disposable reports whether this machine may be changed by tests beyond
// their temp dirs (adding users, for instance): in CI, or when the person
// running the tests says so with DOCKERTLS_TEST_USERS=1.
func Disposable() bool {
	return InCI() || os.Getenv("DOCKERTLS_TEST_USERS") == "1"
}
