package fsread

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Files that are not regular files are refused at once, whatever they are
// and however they are reached; none of them blocks or fills memory.
func TestReadFileRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "plan.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	zeroLink := filepath.Join(dir, "ca.pem")
	if err := os.Symlink("/dev/zero", zeroLink); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, kind string }{
		{fifo, "a FIFO"},
		{"/dev/zero", "a character device"},
		{zeroLink, "a character device"},
		{dir, "a directory"},
	} {
		_, err := ReadFile(tc.path, MaxPEM)
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), tc.kind) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("ReadFile(%s) = %v, want a not-a-regular-file error naming %q", tc.path, err, tc.kind)
		}
	}
}

func TestReadFileCapsSize(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.pem")
	if err := os.WriteFile(p, make([]byte, 1025), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(p, 1024); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1 KiB") {
		t.Errorf("over the cap: %v, want ErrTooLarge naming 1 KiB", err)
	}
	data, err := ReadFile(p, 1025)
	if err != nil || len(data) != 1025 {
		t.Errorf("at the cap: %d bytes, %v", len(data), err)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing"), 10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want ErrNotExist", err)
	}
}
