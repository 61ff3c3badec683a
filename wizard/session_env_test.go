package wizard

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/plan"
)

// The programs a run starts on this machine (docker context inspect and
// create, ssh -G) inherit neither the CA passphrase, whatever variable
// ca.passphrase_env names, nor the other secrets. A real child shows its
// own environment.
func TestLocalChildrenOfARunInheritNoSecret(t *testing.T) {
	secrets := map[string]string{
		"MY_CA_PW":              "ca-pw-1", // the plan's ca.passphrase_env
		remote.EnvSSHPassword:   "ssh-pw-2",
		remote.EnvSudoPassword:  "sudo-pw-3",
		"SOME_DB_PASSWORD":      "db-pw-4",
		"OTHER_TOOL_PASSPHRASE": "tool-pw-5",
	}
	for k, v := range secrets {
		t.Setenv(k, v)
	}
	t.Setenv("DOCKERTLS_TEST_HARMLESS", "kept")
	p := plan.New()
	p.CA.PassphraseEnv = "MY_CA_PW"
	p.Client.Target = plan.TargetLocal
	s := NewSession(p, nil, Options{})
	defer s.Close()
	h, err := s.ClientHost(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.Run(context.Background(), remote.Command{Args: []string{"cat", "/proc/self/environ"}})
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("cat /proc/self/environ: %v, exit %d: %s", err, res.ExitCode, res.Stderr)
	}
	env := strings.Split(string(res.Stdout), "\x00")
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		if _, secret := secrets[name]; secret || slices.Contains(mapValues(secrets), value) {
			t.Errorf("a program the run started sees %s", name)
		}
	}
	if !slices.Contains(env, "DOCKERTLS_TEST_HARMLESS=kept") {
		t.Error("the rest of the environment was not passed on")
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
