package remote_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/remote"
)

// Host.ReadFile refuses what is not a regular file (a FIFO would block the
// read, /dev/zero never end) and what is larger than MaxFileSize, at once,
// on this machine and over SSH, with and without sudo.
func TestReadFileRefusesSpecialAndHugeFiles(t *testing.T) {
	for _, impl := range implementations(t) {
		for _, sudo := range []bool{false, true} {
			if sudo && !canSudo(impl) {
				continue
			}
			t.Run(fmt.Sprintf("%s/sudo=%v", impl.name, sudo), func(t *testing.T) {
				h := impl.open(t)
				dir := sharedDir(t)
				fifo := filepath.Join(dir, "daemon.json")
				if err := syscall.Mkfifo(fifo, 0o666); err != nil {
					t.Fatal(err)
				}
				zero := filepath.Join(dir, "ca.pem")
				if err := os.Symlink("/dev/zero", zero); err != nil {
					t.Fatal(err)
				}
				big := filepath.Join(dir, "big.json")
				if err := os.WriteFile(big, make([]byte, remote.MaxFileSize+1), 0o644); err != nil {
					t.Fatal(err)
				}
				for _, p := range []string{fifo, zero} {
					if _, err := h.ReadFile(ctxT(t), p, sudo); err == nil || !strings.Contains(err.Error(), "not a regular file") {
						t.Errorf("ReadFile(%s): %v, want a not-a-regular-file error", p, err)
					}
				}
				// The size cap is the same code with and without sudo; the
				// local sudo path's pipe of 16 MiB is not this test's subject.
				if _, err := h.ReadFile(ctxT(t), big, sudo); !sudo && !errors.Is(err, fsread.ErrTooLarge) {
					t.Errorf("ReadFile of %d bytes: %v, want ErrTooLarge", remote.MaxFileSize+1, err)
				}
				if _, err := h.ReadFile(ctxT(t), filepath.Join(dir, "missing"), sudo); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("ReadFile of a missing file: %v, want ErrNotExist", err)
				}
			})
		}
	}
}
