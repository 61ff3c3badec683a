// Command pkigen is the dockertls side of bench/pki-vs-openssl.sh: it makes
// the tutorial's full PKI (CA with an encrypted key, daemon and client
// certificates) in one directory with package pki, the way dockertls does:
// the three keys generated at once, the CA key encrypted while the leaf keys
// are still being made. It is a benchmark helper, not a user command.
//
//	DOCKERTLS_CA_PASSPHRASE=... pkigen -dir DIR [-key rsa-4096] [-sans node3,10.0.0.12] [-client client]
package main

import (
	"crypto"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/dockertls/dockertls/pki"
)

func main() {
	// The passphrase comes from the environment, never from the command line.
	if err := run(os.Args[1:], os.Getenv("DOCKERTLS_CA_PASSPHRASE")); err != nil {
		fmt.Fprintln(os.Stderr, "pkigen:", err)
		os.Exit(1)
	}
}

func run(args []string, passphrase string) error {
	fs := flag.NewFlagSet("pkigen", flag.ContinueOnError)
	dirPath := fs.String("dir", "", "PKI directory to create (must not hold a CA)")
	keyName := fs.String("key", string(pki.DefaultKeyType), "key type for all three keys")
	sans := fs.String("sans", "node3,10.0.0.12,127.0.0.1", "daemon certificate names, comma-separated")
	client := fs.String("client", "client", "client certificate common name")
	days := fs.Int("days", 730, "validity in days")
	if err := fs.Parse(args); err != nil {
		return err
	}

	kt, err := pki.ParseKeyType(*keyName)
	if err != nil {
		return err
	}
	if passphrase == "" {
		return errors.New("set DOCKERTLS_CA_PASSPHRASE: the CA key is always encrypted here, as in the tutorial")
	}
	d, err := pki.OpenDir(*dirPath)
	if err != nil {
		return err
	}
	if d.HasCA() {
		return fmt.Errorf("%s already holds a CA: pkigen makes a new PKI in an empty directory", d.Root())
	}
	// All three keys are generated at once; the CA is made and its key
	// encrypted (PBKDF2, 600,000 iterations) as soon as the CA key is ready,
	// while the leaf keys are still being generated.
	type leafKeys struct {
		keys []crypto.Signer
		err  error
	}
	leaves := make(chan leafKeys, 1)
	go func() {
		keys, err := pki.GenerateKeys(kt, kt)
		leaves <- leafKeys{keys, err}
	}()
	caKey, err := pki.GenerateKey(kt)
	if err != nil {
		return errors.Join(err, (<-leaves).err)
	}
	ca, err := pki.NewCA(pki.CAOptions{CommonName: "Docker TLS CA", Key: caKey, Days: *days})
	if err != nil {
		return errors.Join(err, (<-leaves).err)
	}
	saved := make(chan error, 1)
	go func() { saved <- d.SaveCA(ca, passphrase, false) }()
	lk := <-leaves
	if lk.err != nil {
		return errors.Join(lk.err, <-saved)
	}
	keys := append([]crypto.Signer{caKey}, lk.keys...)

	daemon, err := ca.IssueDaemon(pki.LeafOptions{SANs: strings.Split(*sans, ","), Key: keys[1], Days: *days})
	if err != nil {
		return errors.Join(err, <-saved)
	}
	cl, err := ca.IssueClient(pki.LeafOptions{CommonName: *client, Key: keys[2], Days: *days})
	if err != nil {
		return errors.Join(err, <-saved)
	}
	if err := d.SaveLeaf(pki.FileDaemonCert, pki.FileDaemonKey, daemon, keys[1]); err != nil {
		return errors.Join(err, <-saved)
	}
	if err := d.SaveLeaf(pki.FileClientCert, pki.FileClientKey, cl, keys[2]); err != nil {
		return errors.Join(err, <-saved)
	}
	return <-saved
}
