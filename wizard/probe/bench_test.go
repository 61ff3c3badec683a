package probe

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
)

// BenchmarkRun measures a full verify (mutual-TLS call plus the four
// probes) against a real local dockerd.
func BenchmarkRun(b *testing.B) {
	ca := newTestCA(b, "bench CA")
	dir := b.TempDir()
	sc, sk := ca.issue(b, "localhost", serverAuth(), withSANs([]string{"localhost"}, "127.0.0.1"))
	cc, ck := ca.issue(b, "client", clientAuth())
	d := testlab.StartDockerd(b, testlab.DockerdOptions{TLS: &testlab.DockerdTLS{
		CACert: writeFile(b, dir, "ca.pem", ca.pem), Verify: true,
		Cert: writeFile(b, dir, "cert.pem", sc), Key: writeFile(b, dir, "key.pem", sk)}})
	if err := waitTCP(d.TCPAddr); err != nil {
		b.Fatal(err)
	}
	target := Target{Address: "tcp://" + d.TCPAddr, CA: ca.pem, Cert: cc, Key: ck, PlainPort: closedPort(b)}
	for b.Loop() {
		r, err := Run(context.Background(), target)
		if err != nil || !r.Secure() {
			b.Fatalf("Run: %v\n%s", err, r)
		}
	}
}

// BenchmarkMutualTLSOnly is the client call alone (no probes): what
// `docker version` costs, for comparison.
func BenchmarkMutualTLSOnly(b *testing.B) {
	ca := newTestCA(b, "bench CA")
	dir := b.TempDir()
	sc, sk := ca.issue(b, "localhost", serverAuth(), withSANs([]string{"localhost"}, "127.0.0.1"))
	cc, ck := ca.issue(b, "client", clientAuth())
	d := testlab.StartDockerd(b, testlab.DockerdOptions{TLS: &testlab.DockerdTLS{
		CACert: writeFile(b, dir, "ca.pem", ca.pem), Verify: true,
		Cert: writeFile(b, dir, "cert.pem", sc), Key: writeFile(b, dir, "key.pem", sk)}})
	if err := waitTCP(d.TCPAddr); err != nil {
		b.Fatal(err)
	}
	addr, err := ParseAddress("tcp://" + d.TCPAddr)
	if err != nil {
		b.Fatal(err)
	}
	cf, bad := loadClientFiles(ca.pem, cc, ck)
	if bad != nil {
		b.Fatal(bad)
	}
	t := Target{Timeout: DefaultTimeout}
	for b.Loop() {
		if _, _, p := mutualTLS(context.Background(), addr, cf, t); p != nil {
			b.Fatal(p)
		}
	}
}

// BenchmarkDockerCLIVersion is `docker version` (the 28.x CLI) against the
// same kind of daemon: the yardstick for BenchmarkRun.
func BenchmarkDockerCLIVersion(b *testing.B) {
	if _, err := os.Stat(newCLI); err != nil {
		testlab.Unavailable(b, newCLI, "install docker-ce-cli 28 at /usr/local/bin/docker")
	}
	ca := newTestCA(b, "bench CA")
	dir := b.TempDir()
	sc, sk := ca.issue(b, "localhost", serverAuth(), withSANs([]string{"localhost"}, "127.0.0.1"))
	cc, ck := ca.issue(b, "client", clientAuth())
	d := testlab.StartDockerd(b, testlab.DockerdOptions{TLS: &testlab.DockerdTLS{
		CACert: writeFile(b, dir, "ca.pem", ca.pem), Verify: true,
		Cert: writeFile(b, dir, "server-cert.pem", sc), Key: writeFile(b, dir, "server-key.pem", sk)}})
	if err := waitTCP(d.TCPAddr); err != nil {
		b.Fatal(err)
	}
	writeFile(b, dir, "cert.pem", cc)
	writeFile(b, dir, "key.pem", ck)
	for b.Loop() {
		cmd := exec.Command(newCLI, "-H", "tcp://"+d.TCPAddr, "version")
		cmd.Env = []string{"HOME=" + dir, "DOCKER_CONFIG=" + dir, "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=" + dir}
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("docker version: %v\n%s", err, out)
		}
	}
}
