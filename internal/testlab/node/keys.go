package node

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/crypto/ssh"
)

// sshKey is a freshly generated key: the OpenSSH private key file's bytes
// and the public half as an authorized_keys / known_hosts line body.
type sshKey struct {
	private []byte
	public  string // "ssh-ed25519 AAAA..." without a trailing newline
}

// newSSHKey generates an ed25519 (or, with ecdsaKey, ECDSA P-256) key.
func newSSHKey(comment string, ecdsaKey bool) (sshKey, error) {
	var priv crypto.PrivateKey
	var pub crypto.PublicKey
	if ecdsaKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return sshKey{}, fmt.Errorf("generating an ECDSA key: %w", err)
		}
		priv, pub = k, &k.PublicKey
	} else {
		p, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return sshKey{}, fmt.Errorf("generating an ed25519 key: %w", err)
		}
		priv, pub = k, p
	}
	block, err := ssh.MarshalPrivateKey(priv, comment)
	if err != nil {
		return sshKey{}, fmt.Errorf("encoding an SSH private key: %w", err)
	}
	sp, err := ssh.NewPublicKey(pub)
	if err != nil {
		return sshKey{}, fmt.Errorf("encoding an SSH public key: %w", err)
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sp)))
	return sshKey{private: pem.EncodeToMemory(block), public: line}, nil
}

// writeClientKey writes a user's private key for the host side (0600) and
// returns the authorized_keys line for the node.
func writeClientKey(path, comment string) (string, error) {
	k, err := newSSHKey(comment, false)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path, k.private, 0o600); err != nil {
		return "", fmt.Errorf("writing the test key %s: %w", path, err)
	}
	return k.public + " " + comment, nil
}

// randomHex is n random bytes in hex: passwords and machine ids.
func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// cryptPassword hashes a password for /etc/shadow (SHA-512 crypt) with
// openssl, passing the password on stdin, never on a command line.
func cryptPassword(password string) (string, error) {
	cmd := exec.Command("openssl", "passwd", "-6", "-stdin")
	cmd.Stdin = strings.NewReader(password + "\n")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("hashing the admin password with openssl passwd -6 (is openssl installed?): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
