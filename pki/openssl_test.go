package pki

// Interop with the real openssl CLI, the tool the tutorials use: it must
// accept what we write, and we must read and keep issuing from what it
// writes. Passphrases go to openssl through -passin/-passout file:, never
// on the command line.

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
)

type openSSL struct {
	t   *testing.T
	bin string
	dir string
}

func newOpenSSL(t *testing.T, dir string) *openSSL {
	t.Helper()
	return &openSSL{t: t, bin: testlab.RequireBinary(t, "openssl", "openssl"), dir: dir}
}

// run runs openssl in the directory and returns its combined output.
func (o *openSSL) run(args ...string) (string, error) {
	cmd := exec.Command(o.bin, args...)
	cmd.Dir = o.dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func (o *openSSL) must(args ...string) string {
	o.t.Helper()
	out, err := o.run(args...)
	if err != nil {
		o.t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// passFile writes a passphrase to a private file for -passin file:.
func passFile(t *testing.T, dir, pw string) string {
	t.Helper()
	p := filepath.Join(dir, ".pass-"+strings.ReplaceAll(pw, " ", "_"))
	if err := os.WriteFile(p, []byte(pw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// makePKI writes a full PKI of one key type into a new directory, the CA
// key encrypted with pw.
func makePKI(t *testing.T, kt KeyType, pw string) *Dir {
	t.Helper()
	d, err := OpenDir(filepath.Join(t.TempDir(), "pki"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := GenerateKeys(kt, kt, kt)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := NewCA(CAOptions{CommonName: "Docker TLS CA", Key: keys[0], Days: 730})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SaveCA(ca, pw, false); err != nil {
		t.Fatal(err)
	}
	issueInto(t, d, ca, keys[1], keys[2], "")
	return d
}

func issueInto(t *testing.T, d *Dir, ca *CA, dkey, ckey crypto.Signer, client string) {
	t.Helper()
	daemon, err := ca.IssueDaemon(LeafOptions{SANs: []string{"node3", "10.0.0.12", "::1"}, Key: dkey, Days: 365})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SaveLeaf(FileDaemonCert, FileDaemonKey, daemon, dkey); err != nil {
		t.Fatal(err)
	}
	cl, err := ca.IssueClient(LeafOptions{CommonName: "node1", Key: ckey, Days: 365})
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := ClientFiles(client)
	if err := d.SaveLeaf(certFile, keyFile, cl, ckey); err != nil {
		t.Fatal(err)
	}
}

func TestOpenSSLAcceptsWhatWeWrite(t *testing.T) {
	// RSA-2048 stands for every RSA size: the encodings are the same, and
	// RSA-4096 keygen is slow on shared cores (bench/pki-vs-openssl.sh
	// checks RSA-4096 files with openssl).
	for _, kt := range []KeyType{ECDSAP256, ECDSAP384, Ed25519, RSA2048} {
		t.Run(string(kt), func(t *testing.T) {
			d := makePKI(t, kt, "tutorial pass")
			o := newOpenSSL(t, d.Root())

			out := o.must("verify", "-CAfile", FileCA, FileDaemonCert, FileClientCert)
			if !strings.Contains(out, "daemon-cert.pem: OK") || !strings.Contains(out, "client-cert.pem: OK") {
				t.Fatalf("openssl verify:\n%s", out)
			}
			// The EKUs are the ones openssl's purposes check.
			o.must("verify", "-CAfile", FileCA, "-purpose", "sslserver", FileDaemonCert)
			o.must("verify", "-CAfile", FileCA, "-purpose", "sslclient", FileClientCert)
			if out, err := o.run("verify", "-CAfile", FileCA, "-purpose", "sslserver", FileClientCert); err == nil {
				t.Fatalf("openssl accepts the client certificate as a server:\n%s", out)
			}

			text := o.must("x509", "-in", FileDaemonCert, "-noout", "-text")
			for _, want := range []string{"DNS:node3", "IP Address:10.0.0.12", "IP Address:0:0:0:0:0:0:0:1", "TLS Web Server Authentication", "Subject: CN = node3", "X509v3 Authority Key Identifier"} {
				if !strings.Contains(text, want) {
					t.Errorf("daemon cert text lacks %q:\n%s", want, text)
				}
			}
			text = o.must("x509", "-in", FileClientCert, "-noout", "-text")
			if !strings.Contains(text, "TLS Web Client Authentication") || !strings.Contains(text, "Subject: CN = node1") {
				t.Errorf("client cert text:\n%s", text)
			}
			text = o.must("x509", "-in", FileCA, "-noout", "-text")
			for _, want := range []string{"CA:TRUE, pathlen:0", "Certificate Sign, CRL Sign", "X509v3 Subject Key Identifier"} {
				if !strings.Contains(text, want) {
					t.Errorf("CA text lacks %q:\n%s", want, text)
				}
			}

			// openssl reads the encrypted CA key with the passphrase, and it
			// is the CA's key; a wrong passphrase is refused.
			good := passFile(t, d.Root(), "tutorial pass")
			pub := o.must("pkey", "-in", FileCAKey, "-passin", "file:"+good, "-pubout")
			if want := o.must("x509", "-in", FileCA, "-noout", "-pubkey"); pub != want {
				t.Fatalf("openssl's public key of ca-key.pem:\n%s\nca.pem's:\n%s", pub, want)
			}
			if out, err := o.run("pkey", "-in", FileCAKey, "-passin", "file:"+passFile(t, d.Root(), "wrong"), "-noout"); err == nil {
				t.Fatalf("openssl read the CA key with a wrong passphrase:\n%s", out)
			}
			// Leaf keys are plain: openssl reads them whatever the passphrase
			// (an encrypted one would fail with this one, and not hang on a prompt).
			unused := passFile(t, d.Root(), "not needed")
			o.must("pkey", "-in", FileDaemonKey, "-noout", "-passin", "file:"+unused)
			o.must("pkey", "-in", FileClientKey, "-noout", "-passin", "file:"+unused)

			// ca.srl is openssl's: the last serial, and openssl goes on from it.
			serial := o.must("x509", "-in", FileClientCert, "-noout", "-serial")
			srl, _ := os.ReadFile(d.Path(FileCASerial))
			if strings.TrimSpace(serial) != "serial="+strings.TrimSpace(string(srl)) {
				t.Fatalf("ca.srl %q, openssl says %q", srl, serial)
			}
			if kt == ECDSAP256 {
				o.must("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
					"-keyout", "extra-key.pem", "-out", "extra.csr", "-subj", "/CN=extra")
				o.must("x509", "-req", "-in", "extra.csr", "-CA", FileCA, "-CAkey", FileCAKey, "-CAserial", FileCASerial,
					"-passin", "file:"+good, "-out", "extra-cert.pem", "-days", "30")
				next, _ := os.ReadFile(d.Path(FileCASerial))
				if string(next) == string(srl) {
					t.Fatal("openssl did not advance ca.srl")
				}
				o.must("verify", "-CAfile", FileCA, "extra-cert.pem")
			}
		})
	}
}

// CAs made by the tutorial's commands (OpenSSL 3 genrsa -aes256 writes
// encrypted PKCS#8; -traditional the legacy Proc-Type form; ecparam an
// EC PARAMETERS + SEC1 file) are imported and keep issuing certificates
// openssl verifies.
func TestImportOpenSSLCA(t *testing.T) {
	cases := []struct {
		name   string
		keygen []string
		header string
	}{
		{"genrsa -aes256", []string{"genrsa", "-aes256", "-passout", "file:PASS", "-out", FileCAKey, "2048"}, "BEGIN ENCRYPTED PRIVATE KEY"},
		{"genrsa -aes256 -traditional", []string{"genrsa", "-aes256", "-traditional", "-passout", "file:PASS", "-out", FileCAKey, "2048"}, "Proc-Type: 4,ENCRYPTED"},
		{"ecparam", []string{"ecparam", "-name", "prime256v1", "-genkey", "-out", FileCAKey}, "BEGIN EC PRIVATE KEY"},
		{"genpkey ed25519", []string{"genpkey", "-algorithm", "ed25519", "-out", FileCAKey}, "BEGIN PRIVATE KEY"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "pki")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			o := newOpenSSL(t, dir)
			pw := passFile(t, dir, "tutorial pass")
			args := make([]string, len(tc.keygen))
			for i, a := range tc.keygen {
				args[i] = strings.ReplaceAll(a, "PASS", pw)
			}
			o.must(args...)
			// The tutorial's command, with the system's openssl.cnf (its
			// v3_ca section makes the certificate a CA).
			o.must("req", "-new", "-x509", "-days", "730", "-key", FileCAKey, "-passin", "file:"+pw,
				"-sha256", "-subj", "/CN=Tutorial CA", "-out", FileCA)
			keyPEM, _ := os.ReadFile(filepath.Join(dir, FileCAKey))
			if !strings.Contains(string(keyPEM), tc.header) {
				t.Fatalf("openssl wrote an unexpected form (want %q):\n%.200s", tc.header, keyPEM)
			}

			d, err := OpenDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			encrypted := strings.Contains(tc.name, "aes256")
			if encrypted {
				_, err := d.LoadCA(pass("not it"))
				if err == nil || err.Error() != "the passphrase for ca-key.pem is wrong" {
					t.Fatalf("wrong passphrase: %v", err)
				}
			}
			asked := 0
			ca, err := d.LoadCA(func() (string, error) { asked++; return "tutorial pass", nil })
			if err != nil {
				t.Fatal(err)
			}
			if encrypted != (asked == 1) || asked > 1 {
				t.Fatalf("asked for the passphrase %d times (encrypted: %v)", asked, encrypted)
			}
			keys, err := GenerateKeys(ECDSAP256, ECDSAP256)
			if err != nil {
				t.Fatal(err)
			}
			issueInto(t, d, ca, keys[0], keys[1], "alice")
			cert, _ := ClientFiles("alice")
			out := o.must("verify", "-CAfile", FileCA, FileDaemonCert, cert)
			if strings.Count(out, ": OK") != 2 {
				t.Fatalf("openssl verify:\n%s", out)
			}
			// The imported CA and its key are untouched.
			after, _ := os.ReadFile(filepath.Join(dir, FileCAKey))
			if !bytes.Equal(after, keyPEM) {
				t.Fatal("importing changed ca-key.pem")
			}
			if ps := Verify(VerifyInput{CA: ca.Cert, Cert: mustLoad(t, d, FileDaemonCert), Usage: UsageServer, Host: "node3"}); len(ps) != 0 {
				t.Fatalf("Verify: %v", ps)
			}

			// ImportCA from the tutorial's directory into a new PKI directory
			// keeps the files as openssl wrote them, and issues too.
			imported, err := OpenDir(filepath.Join(t.TempDir(), "imported"))
			if err != nil {
				t.Fatal(err)
			}
			ca2, err := imported.ImportCA(filepath.Join(dir, FileCA), filepath.Join(dir, FileCAKey), pass("tutorial pass"), false)
			if err != nil {
				t.Fatal(err)
			}
			if copied, _ := os.ReadFile(imported.Path(FileCAKey)); !bytes.Equal(copied, keyPEM) {
				t.Fatal("ImportCA changed the key file")
			}
			issueInto(t, imported, ca2, keys[0], keys[1], "")
			o2 := newOpenSSL(t, imported.Root())
			if out := o2.must("verify", "-CAfile", FileCA, FileDaemonCert, FileClientCert); strings.Count(out, ": OK") != 2 {
				t.Fatalf("openssl verify after ImportCA:\n%s", out)
			}
		})
	}
}

// Every PBES2 variant openssl pkcs8 can write is read.
func TestReadOpenSSLPKCS8Variants(t *testing.T) {
	dir := t.TempDir()
	o := newOpenSSL(t, dir)
	pw := passFile(t, dir, "pw")
	o.must("genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "plain.pem")
	plain, err := os.ReadFile(filepath.Join(dir, "plain.pem"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := ParseKeyPEM(plain, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range [][2]string{
		{"aes-256-cbc", "hmacWithSHA256"}, {"aes-128-cbc", "hmacWithSHA1"}, {"aes-192-cbc", "hmacWithSHA512"},
		{"aes-256-cbc", "hmacWithSHA384"}, {"des3", "hmacWithSHA256"},
	} {
		out := filepath.Join(dir, v[0]+v[1]+".pem")
		o.must("pkcs8", "-topk8", "-in", "plain.pem", "-v2", v[0], "-v2prf", v[1], "-passout", "file:"+pw, "-out", out)
		data, _ := os.ReadFile(out)
		got, err := ParseKeyPEM(data, pass("pw"))
		if err != nil || !publicKeysEqual(got.Public(), want.Public()) {
			t.Errorf("%s/%s: %v", v[0], v[1], err)
		}
	}
}

func mustLoad(t *testing.T, d *Dir, name string) *x509.Certificate {
	t.Helper()
	c, err := d.LoadCert(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
