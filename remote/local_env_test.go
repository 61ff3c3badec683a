package remote_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/remote"
)

// Programs run on this machine do not inherit the variables that answer
// secrets headless: /proc/PID/environ would show them to every process of
// the user for as long as the program runs.
func TestLocalChildrenDoNotInheritSecrets(t *testing.T) {
	secrets := map[string]string{
		remote.EnvSSHPassword:   "ssh-secret-1",
		remote.EnvSudoPassword:  "sudo-secret-2",
		remote.EnvKeyPassphrase: "key-secret-3",
		"MY_CA_PASSPHRASE":      "ca-secret-4", // a plan's ca.passphrase_env
	}
	for name, v := range secrets {
		t.Setenv(name, v)
	}
	t.Setenv("DOCKERTLS_TEST_HARMLESS", "kept")
	h := remote.NewLocal(nil)
	res, err := h.Run(context.Background(), remote.Command{Args: []string{"env"}})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("env: %v, exit %d: %s", err, res.ExitCode, res.Stderr)
	}
	out := string(res.Stdout)
	for name, v := range secrets {
		if strings.Contains(out, name) || strings.Contains(out, v) {
			t.Errorf("a local program sees %s", name)
		}
	}
	if !strings.Contains(out, "DOCKERTLS_TEST_HARMLESS=kept") {
		t.Error("the rest of the environment was not passed on")
	}
}

// The plan's ca.passphrase_env may have any name (MY_CA_PW matches no
// pattern): Config.SecretEnv keeps it from local programs too. A real
// child shows its own environment (/proc/self/environ).
func TestLocalChildrenDoNotInheritNamedSecret(t *testing.T) {
	t.Setenv("MY_CA_PW", "ca-secret-5")
	t.Setenv("DOCKERTLS_TEST_HARMLESS", "kept")
	h, err := remote.Open(context.Background(), remote.Config{Target: "local", SecretEnv: []string{"MY_CA_PW"}})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	res, err := h.Run(context.Background(), remote.Command{Args: []string{"cat", "/proc/self/environ"}})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("cat /proc/self/environ: %v, exit %d: %s", err, res.ExitCode, res.Stderr)
	}
	env := strings.Split(string(res.Stdout), "\x00")
	for _, kv := range env {
		if strings.HasPrefix(kv, "MY_CA_PW=") || strings.Contains(kv, "ca-secret-5") {
			t.Errorf("a local program sees the CA passphrase: %q", kv)
		}
	}
	if !slices.Contains(env, "DOCKERTLS_TEST_HARMLESS=kept") {
		t.Error("the rest of the environment was not passed on")
	}
}
