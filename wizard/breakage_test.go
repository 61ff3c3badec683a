package wizard

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/wizard/plan"
)

// brokenLab is a healthy dockertls setup on a real dockerd, which the
// faults below break by hand (openssl, an editor's writes), never with
// dockertls.
type brokenLab struct {
	t      *testing.T
	d      *testlab.Dockerd
	dir    string
	pki    string // the plan's PKI directory
	node   string // daemon.cert_dir
	client string // client.cert_dir
	plan   *plan.Plan
}

func newBrokenLab(t *testing.T) *brokenLab {
	t.Helper()
	d := testlab.NewDockerd(t, testlab.DockerdOptions{NoHostFlags: true})
	if err := os.WriteFile(d.ConfigPath, []byte(`{"hosts": ["unix://`+d.Socket+`"]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, port, _ := strings.Cut(d.TCPAddr, ":")
	l := &brokenLab{t: t, d: d, dir: dir, pki: filepath.Join(dir, "pki"), node: filepath.Join(dir, "daemon-tls"), client: filepath.Join(dir, "client")}
	l.plan = loadPlanText(t, dir, fmt.Sprintf(`ca: {common_name: Lab CA, key: rsa-2048, days: 365}
daemon:
  ssh: local
  sans: [localhost, 127.0.0.1]
  listen: tcp://127.0.0.1:%[1]s
  address: tcp://127.0.0.1:%[1]s
  cert_dir: %[2]s
  config: %[3]s
  restart: %[4]q
client:
  cert_dir: %[5]s
`, port, l.node, d.ConfigPath, d.RestartCommand(), l.client))
	var out bytes.Buffer
	r := l.runner()
	defer r.Close()
	if err := r.Run(context.Background(), nil, NewPrinter(&out, nil)); err != nil {
		t.Fatalf("apply: %v\n%s", err, out.String())
	}
	return l
}

func (l *brokenLab) runner() *Runner {
	return NewRunner(l.plan, headlessYes{}, Options{Yes: true, HealthTimeout: 60 * time.Second, Getenv: func(string) string { return "" }})
}

// write writes a file as an editor or cp would (removing a read-only one
// first, as `cp -f` does).
func (l *brokenLab) write(p string, data []byte, mode os.FileMode) {
	l.t.Helper()
	_ = os.Remove(p)
	if err := os.WriteFile(p, data, mode); err != nil {
		l.t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		l.t.Fatal(err)
	}
}

func (l *brokenLab) read(p string) []byte {
	l.t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		l.t.Fatal(err)
	}
	return b
}

// leaf makes key + certificate files in a scratch directory with the
// tutorial's commands, signed by caDir's ca.pem/ca-key.pem, and returns
// their contents. extra goes on the `openssl x509 -req` line.
func (l *brokenLab) leaf(caDir, cn, ext string, bits int, extra ...string) (cert, key []byte) {
	l.t.Helper()
	w := l.t.TempDir()
	openssl(l.t, w, "genrsa", "-out", "key.pem", fmt.Sprint(bits))
	openssl(l.t, w, "req", "-subj", "/CN="+cn, "-new", "-key", "key.pem", "-out", "x.csr")
	l.write(filepath.Join(w, "extfile.cnf"), []byte(ext), 0o644)
	args := []string{"x509", "-req", "-days", "365", "-sha256", "-in", "x.csr", "-CA", filepath.Join(caDir, "ca.pem"), "-CAkey", filepath.Join(caDir, "ca-key.pem"),
		"-CAcreateserial", "-CAserial", filepath.Join(w, "ca.srl"), "-out", "cert.pem", "-extfile", "extfile.cnf"}
	openssl(l.t, w, append(args, extra...)...)
	return l.read(filepath.Join(w, "cert.pem")), l.read(filepath.Join(w, "key.pem"))
}

// expiredLeaf is a certificate whose validity ended, made with `openssl ca`
// (the only openssl 3.0 command that takes explicit dates).
func (l *brokenLab) expiredLeaf(caDir, cn, ext string) (cert, key []byte) {
	l.t.Helper()
	w := l.t.TempDir()
	openssl(l.t, w, "genrsa", "-out", "key.pem", "2048")
	openssl(l.t, w, "req", "-subj", "/CN="+cn, "-new", "-key", "key.pem", "-out", "x.csr")
	l.write(filepath.Join(w, "extfile.cnf"), []byte(ext), 0o644)
	l.write(filepath.Join(w, "index.txt"), nil, 0o644)
	l.write(filepath.Join(w, "serial"), []byte("1000\n"), 0o644)
	l.write(filepath.Join(w, "ca.cnf"), []byte("[ca]\ndefault_ca = x\n[x]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\npolicy = p\ndefault_md = sha256\n[p]\ncommonName = supplied\n"), 0o644)
	openssl(l.t, w, "ca", "-batch", "-notext", "-config", "ca.cnf", "-cert", filepath.Join(caDir, "ca.pem"), "-keyfile", filepath.Join(caDir, "ca-key.pem"),
		"-in", "x.csr", "-out", "cert.pem", "-startdate", "20240101000000Z", "-enddate", "20240201000000Z", "-extfile", "extfile.cnf")
	return l.read(filepath.Join(w, "cert.pem")), l.read(filepath.Join(w, "key.pem"))
}

// otherCA makes another CA with the tutorial's commands and returns its
// directory.
func (l *brokenLab) otherCA(cn string) string {
	l.t.Helper()
	w := l.t.TempDir()
	openssl(l.t, w, "genrsa", "-out", "ca-key.pem", "2048")
	openssl(l.t, w, "req", "-new", "-x509", "-days", "365", "-key", "ca-key.pem", "-sha256", "-out", "ca.pem", "-subj", "/CN="+cn)
	return w
}

const (
	serverExt = "subjectAltName = DNS:localhost,IP:127.0.0.1\nextendedKeyUsage = serverAuth\n"
	clientExt = "extendedKeyUsage = clientAuth\n"
)

// breakage is one fault: how it is made, what doctor must say, and what
// must hold after doctor --fix --yes.
type breakage struct {
	name    string
	inject  func(l *brokenLab)
	step    StepName       // doctor must name this step …
	status  Status         // … with this status
	says    *regexp.Regexp // … in these words
	restart bool           // the admin restarted the daemon after the change
	after   func(l *brokenLab)
	fixSays *regexp.Regexp // optional: doctor --fix's output says this
}

// TestDoctorFixRepairsBreakages breaks a healthy setup one fault at a time,
// as an admin would, and checks that doctor names the exact cause and that
// doctor --fix (with --yes) repairs it with nothing lost: every file it
// replaces is backed up, and the backups are listed in the output.
func TestDoctorFixRepairsBreakages(t *testing.T) {
	if testing.Short() {
		t.Skip("a real dockerd, restarted many times")
	}
	l := newBrokenLab(t)
	var nodeCA, pkiClient string
	nodeCA = filepath.Join(l.node, DaemonCAFile)
	pkiClient = filepath.Join(l.pki, "client-cert.pem")
	faults := []breakage{
		{name: "client certificate from another CA in the client dir", inject: func(l *brokenLab) {
			other := l.otherCA("Someone Else CA")
			c, k := l.leaf(other, "client", clientExt, 2048)
			l.write(filepath.Join(l.client, ClientCertFile), c, 0o644)
			l.write(filepath.Join(l.client, ClientKeyFile), k, 0o600)
		}, step: StepDistribute, status: StatusFail, says: regexp.MustCompile(`was issued by "Someone Else CA", not by the plan's CA "Lab CA"`),
			fixSays: regexp.MustCompile(`replacing because .*cert.pem: "client" was issued by "Someone Else CA".* \(not written by dockertls\)`)},
		{name: "the daemon's tlscacert replaced by another CA's", inject: func(l *brokenLab) {
			other := l.otherCA("Someone Else CA")
			l.write(nodeCA, l.read(filepath.Join(other, "ca.pem")), 0o444)
		}, restart: true, step: StepDistribute, status: StatusFail, says: regexp.MustCompile(`is the CA "Someone Else CA" \(SHA256 .*\), not the plan's CA "Lab CA"`)},
		{name: "daemon certificate signed by our own CA with SHA-1", inject: func(l *brokenLab) {
			c, k := l.leaf(l.pki, "localhost", serverExt, 2048, "-sha1")
			for _, dir := range []struct{ d, cert, key string }{{l.pki, "daemon-cert.pem", "daemon-key.pem"}, {l.node, DaemonCertFile, DaemonKeyFile}} {
				l.write(filepath.Join(dir.d, dir.cert), c, 0o444)
				l.write(filepath.Join(dir.d, dir.key), k, 0o400)
			}
		}, restart: true, step: StepDaemonCert, status: StatusFail, says: regexp.MustCompile(`is signed with SHA1-RSA`)},
		{name: "client certificate expiring in 9 days", inject: func(l *brokenLab) {
			c, k := l.leaf(l.pki, "client", clientExt, 2048, "-days", "9")
			l.write(pkiClient, c, 0o444)
			l.write(filepath.Join(l.pki, "client-key.pem"), k, 0o400)
			l.write(filepath.Join(l.client, ClientCertFile), c, 0o444)
			l.write(filepath.Join(l.client, ClientKeyFile), k, 0o400)
		}, step: StepClientCert, status: StatusWarn, says: regexp.MustCompile(`expires in [89] days`), after: func(l *brokenLab) {
			c, err := loadCertFile(pkiClient)
			if err != nil || time.Until(c.NotAfter) < 300*24*time.Hour {
				l.t.Errorf("the client certificate was not renewed: %v %v", c.NotAfter, err)
			}
		}},
		{name: "CA certificate expiring in 10 days (made again by hand with its key)", inject: func(l *brokenLab) {
			openssl(l.t, l.pki, "req", "-new", "-x509", "-days", "10", "-key", "ca-key.pem", "-sha256", "-out", "ca-new.pem", "-subj", "/CN=Lab CA")
			l.write(filepath.Join(l.pki, "ca.pem"), l.read(filepath.Join(l.pki, "ca-new.pem")), 0o444)
			if err := os.Remove(filepath.Join(l.pki, "ca-new.pem")); err != nil {
				l.t.Fatal(err)
			}
		}, step: StepCA, status: StatusWarn, says: regexp.MustCompile(`expires in (9|10) days`), after: func(l *brokenLab) {
			c, err := loadCertFile(filepath.Join(l.pki, "ca.pem"))
			if err != nil || time.Until(c.NotAfter) < 300*24*time.Hour {
				l.t.Errorf("the CA was not renewed: %v %v", c.NotAfter, err)
			}
		}},
		{name: "client certificate expired", inject: func(l *brokenLab) {
			c, k := l.expiredLeaf(l.pki, "client", clientExt)
			l.write(pkiClient, c, 0o444)
			l.write(filepath.Join(l.pki, "client-key.pem"), k, 0o400)
			l.write(filepath.Join(l.client, ClientCertFile), c, 0o444)
			l.write(filepath.Join(l.client, ClientKeyFile), k, 0o400)
		}, step: StepClientCert, status: StatusFail, says: regexp.MustCompile(`expired on 2024-02-01`)},
		{name: "daemon certificate expired on the node", inject: func(l *brokenLab) {
			c, k := l.expiredLeaf(l.pki, "localhost", serverExt)
			l.write(filepath.Join(l.node, DaemonCertFile), c, 0o444)
			l.write(filepath.Join(l.node, DaemonKeyFile), k, 0o400)
		}, restart: true, step: StepDistribute, status: StatusFail, says: regexp.MustCompile(`expired on 2024-02-01`)},
		{name: "daemon certificate deleted on the node", inject: func(l *brokenLab) {
			if err := os.Remove(filepath.Join(l.node, DaemonCertFile)); err != nil {
				l.t.Fatal(err)
			}
		}, step: StepDistribute, status: StatusFail, says: regexp.MustCompile(`server-cert.pem is missing`)},
		{name: "daemon certificate whose SANs do not cover the address", inject: func(l *brokenLab) {
			c, k := l.leaf(l.pki, "localhost", "subjectAltName = DNS:elsewhere.example\nextendedKeyUsage = serverAuth\n", 2048)
			l.write(filepath.Join(l.node, DaemonCertFile), c, 0o444)
			l.write(filepath.Join(l.node, DaemonKeyFile), k, 0o400)
		}, restart: true, step: StepDistribute, status: StatusFail, says: regexp.MustCompile(`does not cover 127.0.0.1`)},
		{name: "daemon certificate with the client's EKU", inject: func(l *brokenLab) {
			c, k := l.leaf(l.pki, "localhost", "subjectAltName = DNS:localhost,IP:127.0.0.1\nextendedKeyUsage = clientAuth\n", 2048)
			l.write(filepath.Join(l.node, DaemonCertFile), c, 0o444)
			l.write(filepath.Join(l.node, DaemonKeyFile), k, 0o400)
		}, restart: true, step: StepDistribute, status: StatusFail, says: regexp.MustCompile(`is for clientAuth, not serverAuth`)},
		{name: "daemon key that does not belong to its certificate", inject: func(l *brokenLab) {
			_, k := l.leaf(l.pki, "localhost", serverExt, 2048)
			l.write(filepath.Join(l.node, DaemonKeyFile), k, 0o400)
		}, step: StepDistribute, status: StatusFail, says: regexp.MustCompile(`server-key.pem does not belong to .*server-cert.pem`)},
		{name: "daemon key readable by everyone", inject: func(l *brokenLab) {
			if err := os.Chmod(filepath.Join(l.node, DaemonKeyFile), 0o644); err != nil {
				l.t.Fatal(err)
			}
		}, step: StepDistribute, status: StatusFail, says: regexp.MustCompile(`server-key.pem has mode 0644: others can read it`),
			fixSays: regexp.MustCompile(`setting the mode because .*server-key.pem has mode 0644: others can read it \(written by dockertls \d{8}T\d{6}Z\)`), after: func(l *brokenLab) {
				if fi, err := os.Stat(filepath.Join(l.node, DaemonKeyFile)); err != nil || fi.Mode().Perm() != 0o400 {
					l.t.Errorf("server-key.pem after the fix: %v %v", fi.Mode(), err)
				}
			}},
		{name: "client files deleted", inject: func(l *brokenLab) {
			for _, f := range []string{ClientCertFile, ClientKeyFile} {
				if err := os.Remove(filepath.Join(l.client, f)); err != nil {
					l.t.Fatal(err)
				}
			}
		}, step: StepDistribute, status: StatusFail, says: regexp.MustCompile(`cert.pem is missing`)},
		{name: "client certificate with a weak key (RSA-1024) from our CA", inject: func(l *brokenLab) {
			c, k := l.leaf(l.pki, "client", clientExt, 1024)
			l.write(pkiClient, c, 0o444)
			l.write(filepath.Join(l.pki, "client-key.pem"), k, 0o400)
			l.write(filepath.Join(l.client, ClientCertFile), c, 0o444)
			l.write(filepath.Join(l.client, ClientKeyFile), k, 0o400)
		}, step: StepClientCert, status: StatusFail, says: regexp.MustCompile(`has a weak key: RSA 1024 bits`)},
		{name: "tlsverify off in daemon.json", inject: func(l *brokenLab) {
			cfg := string(l.read(l.d.ConfigPath))
			l.write(l.d.ConfigPath, []byte(strings.Replace(cfg, `"tlsverify": true`, `"tlsverify": false`, 1)), 0o644)
		}, restart: true, step: StepDaemonConfig, status: StatusFail, says: regexp.MustCompile(`tlsverify is false`)},
		{name: "TLS off: a plain TCP listener", inject: func(l *brokenLab) {
			l.write(l.d.ConfigPath, []byte(fmt.Sprintf(`{"hosts": ["unix://%s", "tcp://%s"]}`+"\n", l.d.Socket, l.d.TCPAddr)), 0o644)
		}, restart: true, step: StepDaemonConfig, status: StatusFail, says: regexp.MustCompile(`serves the Docker API without client certificates`)},
		{name: "the daemon does not listen on TCP", inject: func(l *brokenLab) {
			cfg := string(l.read(l.d.ConfigPath))
			l.write(l.d.ConfigPath, []byte(strings.Replace(cfg, `, "tcp://`+l.d.TCPAddr+`"`, "", 1)), 0o644)
		}, restart: true, step: StepDaemonConfig, status: StatusFail, says: regexp.MustCompile(`not configured to listen on`)},
	}
	faults = append(faults, daemonJSONBreakages()...)
	named, repaired := 0, 0
	var report []string
	for _, f := range faults {
		ok := t.Run(f.name, func(t *testing.T) {
			l.t = t
			f.inject(l)
			if f.restart {
				_ = l.d.Restart() // the admin restarts; the daemon may not come back
			}
			ctx := context.Background()
			r := l.runner()
			defer r.Close()
			findings := r.Doctor(ctx)
			found := false
			for _, fd := range findings {
				if fd.Status != StatusOK {
					t.Logf("doctor: %s %s %s: %s | fix: %s", fd.Step, fd.Status, fd.Code, fd.Message, fd.Fix)
				}
				if fd.Step == f.step && fd.Status == f.status && f.says.MatchString(fd.Message) {
					found = true
				}
			}
			if !found {
				t.Fatalf("doctor did not name %s %s with %q", f.step, f.status, f.says)
			}
			named++
			var out bytes.Buffer
			if err := r.Fix(ctx, findings, NewPrinter(&out, nil)); err != nil {
				t.Fatalf("doctor --fix: %v\n%s\ndockerd log:\n%s", err, out.String(), l.d.LogTail(20))
			}
			t.Logf("doctor --fix:\n%s", out.String())
			if f.fixSays != nil && !f.fixSays.MatchString(out.String()) {
				t.Errorf("doctor --fix does not say %q", f.fixSays)
			}
			for _, m := range regexp.MustCompile(`backed up (\S+?)(?: to (\S+))?\n`).FindAllStringSubmatch(out.String(), -1) {
				b := m[1]
				if m[2] != "" {
					b = m[2]
				}
				if _, err := os.Stat(b); err != nil {
					t.Errorf("the listed backup %s is not there: %v", b, err)
				}
			}
			r2 := l.runner()
			defer r2.Close()
			for _, fd := range r2.Doctor(ctx) {
				if fd.Status == StatusFail || Renewable(fd) {
					t.Errorf("after the fix: %s %s %s: %s", fd.Step, fd.Status, fd.Code, fd.Message)
				}
			}
			if f.after != nil {
				f.after(l)
			}
			if !t.Failed() {
				repaired++
			}
		})
		report = append(report, fmt.Sprintf("%-60s %v", f.name, ok))
	}
	l.t = t
	t.Logf("faults: %d, named %d, repaired %d\n%s", len(faults), named, repaired, strings.Join(report, "\n"))
}

// loadCertFile reads one PEM certificate.
func loadCertFile(p string) (*x509.Certificate, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return pki.ParseCertPEM(data)
}

// daemonJSONBreakages are daemon.json edits dockerd cannot parse, made as
// an editor would, after which the admin restarts and the daemon stays
// down. doctor names line and column; --fix normalises the file.
func daemonJSONBreakages() []breakage {
	edit := func(from, to string) func(l *brokenLab) {
		return func(l *brokenLab) {
			cfg := string(l.read(l.d.ConfigPath))
			broken := strings.Replace(cfg, from, to, 1)
			if broken == cfg {
				l.t.Fatalf("daemon.json has no %q:\n%s", from, cfg)
			}
			l.write(l.d.ConfigPath, []byte(broken), 0o644)
		}
	}
	kept := func(setting string) func(l *brokenLab) {
		return func(l *brokenLab) {
			cfg := string(l.read(l.d.ConfigPath))
			if !strings.Contains(cfg, setting) {
				l.t.Errorf("the normalised daemon.json lost a setting:\n%s", cfg)
			}
			backups, _ := filepath.Glob(l.d.ConfigPath + ".dockertls-backup-*")
			if len(backups) == 0 {
				l.t.Errorf("no backup of daemon.json")
			}
		}
	}
	return []breakage{
		{name: "daemon.json with a trailing comma (daemon down)", inject: func(l *brokenLab) {
			cfg := strings.TrimRight(string(l.read(l.d.ConfigPath)), "\n }")
			l.write(l.d.ConfigPath, []byte(strings.Replace(cfg, "{", "{\n  \"debug\": true,", 1)+",\n}\n"), 0o644)
		},
			restart: true, step: StepDaemonConfig, status: StatusFail, says: regexp.MustCompile(`not valid JSON at line \d+, column \d+: .*comments or trailing commas`), after: kept(`"debug": true`)},
		{name: "daemon.json with a comment (daemon down)", inject: edit(`"tlsverify": true`, "// TLS on, see the wiki\n  \"log-level\": \"warn\", /* for now */ \"tlsverify\": true"),
			restart: true, step: StepDaemonConfig, status: StatusFail, says: regexp.MustCompile(`not valid JSON at line \d+, column \d+`), after: kept(`"log-level": "warn"`)},
	}
}
