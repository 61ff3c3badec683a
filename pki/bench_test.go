package pki

import (
	"crypto"
	"path/filepath"
	"testing"
)

func BenchmarkGenerateKey(b *testing.B) {
	for _, kt := range KeyTypes() {
		b.Run(string(kt), func(b *testing.B) {
			for b.Loop() {
				if _, err := GenerateKey(kt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFullPKI makes what the tutorial makes: CA (key encrypted with a
// passphrase) + daemon + client, written to a PKI directory. "concurrent"
// generates the three keys at once, as dockertls does; "sequential" one
// after the other, as the tutorial's commands do.
func BenchmarkFullPKI(b *testing.B) {
	for _, kt := range []KeyType{RSA4096, ECDSAP256} {
		for _, mode := range []string{"concurrent", "sequential"} {
			b.Run(string(kt)+"/"+mode, func(b *testing.B) {
				for b.Loop() {
					var keys []crypto.Signer
					var err error
					if mode == "concurrent" {
						keys, err = GenerateKeys(kt, kt, kt)
					} else {
						keys = make([]crypto.Signer, 3)
						for i := range keys {
							if keys[i], err = GenerateKey(kt); err != nil {
								break
							}
						}
					}
					if err != nil {
						b.Fatal(err)
					}
					benchWritePKI(b, filepath.Join(b.TempDir(), "pki"), keys)
				}
			})
		}
	}
}

func benchWritePKI(b *testing.B, path string, keys []crypto.Signer) {
	b.Helper()
	d, err := OpenDir(path)
	if err != nil {
		b.Fatal(err)
	}
	ca, err := NewCA(CAOptions{CommonName: "Docker TLS CA", Key: keys[0]})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.SaveCA(ca, "bench passphrase", false); err != nil {
		b.Fatal(err)
	}
	daemon, err := ca.IssueDaemon(LeafOptions{SANs: []string{"node3", "10.0.0.12"}, Key: keys[1]})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.SaveLeaf(FileDaemonCert, FileDaemonKey, daemon, keys[1]); err != nil {
		b.Fatal(err)
	}
	client, err := ca.IssueClient(LeafOptions{CommonName: "client", Key: keys[2]})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.SaveLeaf(FileClientCert, FileClientKey, client, keys[2]); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkEncryptKeyPEM is the cost of the 600,000 PBKDF2 iterations that
// protect the CA key (paid once per CA, and once per load).
func BenchmarkEncryptKeyPEM(b *testing.B) {
	key, err := GenerateKey(ECDSAP256)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := EncryptKeyPEM(key, "bench passphrase"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIssueDaemon(b *testing.B) {
	ca := testCA(b)
	key := testKey(b)
	for b.Loop() {
		if _, err := ca.IssueDaemon(LeafOptions{SANs: []string{"node3", "10.0.0.12"}, Key: key}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSANs(b *testing.B) {
	names := []string{"node3", "node3.example.com", "10.0.0.12", "fd00::12", "localhost"}
	for b.Loop() {
		if _, err := ParseSANs(names, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadCA is what every certificate step pays to open an encrypted
// CA key (PBKDF2 again).
func BenchmarkLoadCA(b *testing.B) {
	d, err := OpenDir(filepath.Join(b.TempDir(), "pki"))
	if err != nil {
		b.Fatal(err)
	}
	if err := d.SaveCA(testCA(b), "bench passphrase", false); err != nil {
		b.Fatal(err)
	}
	pw := func() (string, error) { return "bench passphrase", nil }
	for b.Loop() {
		if _, err := d.LoadCA(pw); err != nil {
			b.Fatal(err)
		}
	}
}
