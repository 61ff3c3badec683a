package wizard

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/remote"
)

// headlessYes answers like `apply --yes` with no terminal.
type headlessYes struct{}

func (headlessYes) TrustHostKey(ctx context.Context, r remote.HostKeyRequest) (bool, error) {
	return false, fmt.Errorf("unexpected host key question for %s", r.Host)
}
func (headlessYes) Secret(ctx context.Context, r remote.SecretRequest) (string, error) {
	return "", fmt.Errorf("unexpected secret question for %s", r.Host)
}
func (headlessYes) Confirm(ctx context.Context, r ConfirmRequest) (bool, error) { return true, nil }
func (headlessYes) CAPassphrase(ctx context.Context, create bool) (string, error) {
	return "", ErrCAPassphraseNotAsked
}

// TestApplyAllStepsAgainstARealDockerd runs the seven steps on this machine
// against a real dockerd (restarted by its own command, as daemon.restart
// allows), checks the real docker CLI gets in with the client files, and
// that a second run changes nothing.
func TestApplyAllStepsAgainstARealDockerd(t *testing.T) {
	d := testlab.NewDockerd(t, testlab.DockerdOptions{NoHostFlags: true})
	if err := os.WriteFile(d.ConfigPath, []byte(`{"hosts": ["unix://`+d.Socket+`"]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	dockerCLI := testlab.RequireBinary(t, "docker", "docker.io")
	dir := t.TempDir()
	_, port, _ := strings.Cut(d.TCPAddr, ":")
	plan := fmt.Sprintf(`ca: {key: ecdsa-p256, days: 365}
daemon:
  ssh: local
  sans: [localhost, 127.0.0.1]
  listen: tcp://127.0.0.1:%[1]s
  address: tcp://127.0.0.1:%[1]s
  cert_dir: %[2]s/daemon-tls
  config: %[3]s
  restart: %[4]q
client:
  cert_dir: %[2]s/client
`, port, dir, d.ConfigPath, d.RestartCommand())
	p := loadPlanText(t, dir, plan)
	ctx := context.Background()
	run := func() string {
		r := NewRunner(p, headlessYes{}, Options{Yes: true, HealthTimeout: 60 * time.Second})
		defer r.Close()
		var out bytes.Buffer
		if err := r.Run(ctx, nil, NewPrinter(&out, nil)); err != nil {
			t.Fatalf("apply failed: %v\n%s\ndockerd log:\n%s", err, out.String(), d.LogTail(30))
		}
		return out.String()
	}
	first := run()
	t.Logf("first run:\n%s", first)
	if !strings.Contains(first, "✓ verify") || !strings.Contains(first, "Docker Engine") {
		t.Fatalf("the first run did not end with the server version:\n%s", first)
	}
	pid := d.Pid()
	second := run()
	t.Logf("second run:\n%s", second)
	for _, step := range []string{"ca", "daemon-cert", "client-cert", "distribute", "daemon-config"} {
		if !strings.Contains(second, "= "+fmt.Sprintf("%-13s", step)) {
			t.Errorf("second run changed step %s:\n%s", step, second)
		}
	}
	if d.Pid() != pid {
		t.Errorf("the second run restarted the daemon (pid %d → %d)", pid, d.Pid())
	}

	cmd := exec.Command(dockerCLI, "version", "--format", "{{.Server.Version}}")
	cmd.Env = append(os.Environ(), "DOCKER_HOST=tcp://127.0.0.1:"+port, "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH="+filepath.Join(dir, "client"))
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Fatalf("the docker CLI with the client files failed: %v\n%s", err, out)
	}

	r := NewRunner(p, headlessYes{}, Options{})
	defer r.Close()
	for _, f := range r.Doctor(ctx) {
		if f.Status == StatusFail {
			t.Errorf("doctor after apply: %+v", f)
		}
	}
}
