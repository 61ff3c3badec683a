package pki_test

// Interop with the real Docker: for every key type, certificates made by
// this package secure a real dockerd (Debian docker.io, --tlsverify on a
// loopback port) and the real docker CLIs connect with the client
// certificate, while a client certificate from another CA is refused. The
// docker CLI is the oracle here, not curl (see docker-tls-facts.md).

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/pki"
)

// dockerCLIs are the docker clients on these machines: Debian's 20.10 and,
// when installed, a current one.
func dockerCLIs(t *testing.T) []string {
	t.Helper()
	var clis []string
	if _, err := os.Stat("/usr/bin/docker"); err == nil {
		clis = append(clis, "/usr/bin/docker")
	} else {
		testlab.Unavailable(t, "the docker CLI (/usr/bin/docker)", "apt-get install docker.io")
	}
	if _, err := os.Stat("/usr/local/bin/docker"); err == nil {
		clis = append(clis, "/usr/local/bin/docker")
	}
	return clis
}

// makePKI writes a CA named caName, a daemon certificate for localhost/127.0.0.1 and a
// client certificate of the given key type into a new PKI directory.
func makePKI(t *testing.T, caName string, kt pki.KeyType) *pki.Dir {
	t.Helper()
	dir, err := pki.OpenDir(filepath.Join(t.TempDir(), "pki"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := pki.GenerateKeys(kt, kt, kt)
	if err != nil {
		t.Fatalf("generating %s keys: %v", kt, err)
	}
	ca, err := pki.NewCA(pki.CAOptions{CommonName: caName, Key: keys[0], Days: 30})
	if err != nil {
		t.Fatalf("NewCA: %v", err)
	}
	if err := dir.SaveCA(ca, "", false); err != nil {
		t.Fatalf("SaveCA: %v", err)
	}
	daemon, err := ca.IssueDaemon(pki.LeafOptions{SANs: []string{"localhost", "127.0.0.1"}, Key: keys[1], Days: 30})
	if err != nil {
		t.Fatalf("IssueDaemon: %v", err)
	}
	if err := dir.SaveLeaf(pki.FileDaemonCert, pki.FileDaemonKey, daemon, keys[1]); err != nil {
		t.Fatalf("SaveLeaf daemon: %v", err)
	}
	client, err := ca.IssueClient(pki.LeafOptions{CommonName: "client", Key: keys[2], Days: 30})
	if err != nil {
		t.Fatalf("IssueClient: %v", err)
	}
	if err := dir.SaveLeaf(pki.FileClientCert, pki.FileClientKey, client, keys[2]); err != nil {
		t.Fatalf("SaveLeaf client: %v", err)
	}
	return dir
}

// dockerVersion runs `docker --tlsverify ... version` against addr with
// the given files, in a clean environment (no DOCKER_* variables, an empty
// config directory so no context interferes).
func dockerVersion(t *testing.T, cli, addr, ca, cert, key string) (string, error) {
	t.Helper()
	cmd := exec.Command(cli, "--tlsverify", "--tlscacert", ca, "--tlscert", cert, "--tlskey", key,
		"-H", "tcp://"+addr, "version")
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "DOCKER_CONFIG=" + t.TempDir()}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestDockerAcceptsOurCertificates(t *testing.T) {
	testlab.RequireRoot(t)
	clis := dockerCLIs(t)
	// Another CA's client certificate: the CLI sees that the daemon asks
	// for a different CA and sends none.
	foreign := makePKI(t, "Foreign CA", pki.ECDSAP256)
	for _, kt := range pki.KeyTypes() {
		t.Run(string(kt), func(t *testing.T) {
			cn := "Interop CA " + string(kt)
			dir := makePKI(t, cn, kt)
			// An impostor CA with the same name but its own key: the CLI
			// sends its certificate and the daemon's signature check must
			// refuse it.
			impostor := makePKI(t, cn, kt)
			d := testlab.StartDockerd(t, testlab.DockerdOptions{TLS: &testlab.DockerdTLS{
				CACert: dir.Path(pki.FileCA), Cert: dir.Path(pki.FileDaemonCert), Key: dir.Path(pki.FileDaemonKey), Verify: true,
			}})
			for _, cli := range clis {
				out, err := dockerVersion(t, cli, d.TCPAddr, dir.Path(pki.FileCA), dir.Path(pki.FileClientCert), dir.Path(pki.FileClientKey))
				if err != nil || !strings.Contains(out, "Server:") || !strings.Contains(out, "Engine:") {
					t.Errorf("%s version with our %s client certificate: %v\n%s\ndockerd log:\n%s", cli, kt, err, out, d.LogTail(15))
				}
				for _, other := range []struct {
					name string
					dir  *pki.Dir
				}{{"another CA's", foreign}, {"a same-named impostor CA's", impostor}} {
					out, err = dockerVersion(t, cli, d.TCPAddr, dir.Path(pki.FileCA), other.dir.Path(pki.FileClientCert), other.dir.Path(pki.FileClientKey))
					if err == nil || strings.Contains(out, "Engine:") {
						t.Errorf("%s version with %s client certificate was accepted:\n%s", cli, other.name, out)
					} else if _, refused := d.CertificateRefused(out); !refused {
						t.Errorf("%s with %s client certificate failed, but not because the daemon refused it:\n%s", cli, other.name, out)
					}
				}
			}
			logs := d.Logs()
			for _, want := range []string{"client didn't provide a certificate", "certificate signed by unknown authority"} {
				if !strings.Contains(logs, want) {
					t.Errorf("the daemon's log does not say %q:\n%s", want, d.LogTail(20))
				}
			}
		})
	}
}
