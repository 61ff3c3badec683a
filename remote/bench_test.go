package remote_test

import (
	"context"
	"os"
	osuser "os/user"
	"path/filepath"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/remote"
)

// BenchmarkDistribution measures a typical distribution to one host: three
// small PEM files and two commands over one SSH connection, as the
// `distribute` step does. Sub-benchmarks: with and without the connect,
// and to a root-owned directory through sudo (stage + install + mv).
func BenchmarkDistribution(b *testing.B) {
	user := ""
	if os.Geteuid() == 0 && testlab.Disposable() {
		// A plain login user: root's shell startup files on a developer
		// machine would dominate the figure.
		testlab.EnsureUsers(b)
		user = testlab.UserSudoNoPassword
	} else {
		u, err := osuser.Current()
		if err != nil {
			b.Fatal(err)
		}
		user = u.Username
	}
	s := testlab.StartSSHD(b, testlab.SSHDOptions{LogLevel: "INFO"})
	dir, err := os.MkdirTemp("", "dockertls-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	pem := make([]byte, 1800) // about the size of a certificate
	open := func(b *testing.B) remote.Host {
		h, err := remote.Open(ctx, remote.Config{Target: s.Target(user), Identity: s.ClientKey, KnownHosts: s.KnownHosts})
		if err != nil {
			b.Fatal(err)
		}
		return h
	}
	distribute := func(b *testing.B, h remote.Host, sudo bool) {
		target := filepath.Join(dir, map[bool]string{false: "user", true: "root"}[sudo])
		if err := h.MkdirAll(ctx, target, remote.WriteOptions{Mode: 0o755, Sudo: sudo}); err != nil {
			b.Fatal(err)
		}
		for _, n := range []string{"ca.pem", "cert.pem", "key.pem"} {
			if err := h.WriteFile(ctx, filepath.Join(target, n), pem, remote.WriteOptions{Mode: 0o400, Sudo: sudo}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := h.Run(ctx, remote.Command{Args: []string{"ls", "-l", target}, Sudo: sudo}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("connect+mkdir+3files+cmd", func(b *testing.B) {
		for b.Loop() {
			h := open(b)
			distribute(b, h, false)
			_ = h.Close()
		}
	})
	b.Run("open-connection/user", func(b *testing.B) {
		h := open(b)
		defer h.Close()
		for b.Loop() {
			distribute(b, h, false)
		}
	})
	if user != testlab.UserSudoNoPassword {
		return
	}
	b.Run("open-connection/sudo-root-owned", func(b *testing.B) {
		h := open(b)
		defer h.Close()
		for b.Loop() {
			distribute(b, h, true)
		}
	})
}
