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
	bd := startBenchDaemon(b)
	target := Target{Address: "tcp://" + bd.addr, CA: bd.ca, Cert: bd.cert, Key: bd.key, PlainPort: closedPort(b)}
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
	bd := startBenchDaemon(b)
	addr, err := ParseAddress("tcp://" + bd.addr)
	if err != nil {
		b.Fatal(err)
	}
	cf, bad := loadClientFiles(nil, bd.ca, bd.cert, bd.key)
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
	bd := startBenchDaemon(b)
	dir := bd.dir
	writeFile(b, dir, "cert.pem", bd.cert)
	writeFile(b, dir, "key.pem", bd.key)
	for b.Loop() {
		cmd := exec.Command(newCLI, "-H", "tcp://"+bd.addr, "version")
		cmd.Env = []string{"HOME=" + dir, "DOCKER_CONFIG=" + dir, "DOCKER_TLS_VERIFY=1", "DOCKER_CERT_PATH=" + dir}
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("docker version: %v\n%s", err, out)
		}
	}
}

// benchDaemon is a real dockerd that wants mutual TLS, with a client
// certificate its CA issued.
type benchDaemon struct {
	dir           string // the server's files; free for the client's
	addr          string // host:port of the TLS listener
	ca, cert, key []byte // CA and client PEM
}

// startBenchDaemon starts the dockerd every benchmark measures against; its
// server files are named so that cert.pem/key.pem stay free for a client.
func startBenchDaemon(b *testing.B) benchDaemon {
	b.Helper()
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
	return benchDaemon{dir: dir, addr: d.TCPAddr, ca: ca.pem, cert: cc, key: ck}
}
