package probe

import (
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
)

// The context checks read what the real docker CLI wrote: a context made
// current with `docker context use` that points elsewhere is reported when
// DOCKER_HOST is unset, and DOCKER_HOST shadowing it when it is set.
func TestCheckClientSideReadsTheDockerCLIsContext(t *testing.T) {
	docker := testlab.RequireBinary(t, "docker", "docker.io")
	home := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(docker, args...)
		cmd.Env = []string{"HOME=" + home}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("docker %v: %v\n%s", args, err, out)
		}
	}
	run("context", "create", "other", "--docker", "host=tcp://node4:2376")
	run("context", "use", "other")
	want := ClientWant{Address: "tcp://node3:2376", CertDir: filepath.Join(home, ".docker"), Context: "node3"}
	codes := func(env map[string]string) []string {
		var out []string
		for _, p := range CheckClientSide(func(k string) string { return env[k] }, want) {
			if !p.Warn || p.Fix.IsZero() {
				t.Errorf("%s: want a warning with a fix: %+v", p.Code, p)
			}
			out = append(out, p.Code)
		}
		return out
	}
	if got := codes(map[string]string{"HOME": home}); !slices.Equal(got, []string{EnvContextElsewhere}) {
		t.Errorf("current context elsewhere: got %v", got)
	}
	if got := codes(map[string]string{"HOME": home, "DOCKER_HOST": "tcp://node3:2376"}); !slices.Equal(got, []string{EnvHostShadowsCtx}) {
		t.Errorf("DOCKER_HOST with a current context: got %v", got)
	}
	run("context", "use", "default")
	if got := codes(map[string]string{"HOME": home, "DOCKER_HOST": "tcp://node3:2376"}); len(got) != 0 {
		t.Errorf("default context: got %v", got)
	}
	run("context", "create", "node3", "--docker", "host=tcp://node3:2376")
	if got := codes(map[string]string{"HOME": home, "DOCKER_CONTEXT": "node3"}); len(got) != 0 {
		t.Errorf("DOCKER_CONTEXT names the plan's context: got %v", got)
	}
}
