// Package fsread reads the files dockertls is given (plans, PEM files,
// known_hosts, identities) with a size cap, and only when they are regular
// files: a FIFO would block forever, /dev/zero (or a symlink to it) would
// fill memory, and neither is ever a plan or a certificate.
package fsread

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Caps for the kinds of files dockertls reads. They are far above any real
// file of the kind, and low enough that a wrong path costs nothing.
const (
	MaxPlan       = 1 << 20  // a plan file
	MaxPEM        = 1 << 20  // a certificate or key (a bundle of a few hundred certificates fits)
	MaxKnownHosts = 16 << 20 // known_hosts of a big fleet
	MaxSmall      = 64 << 10 // a lock file, a journal
)

// ErrNotRegular is returned (wrapped) for a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned (wrapped) for a file over the cap.
var ErrTooLarge = errors.New("file too large")

// NotRegularError names what the path really is.
type NotRegularError struct {
	Path string
	Kind string // "a FIFO (named pipe)", "a character device", "a directory", …
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file: give the path of the file itself", e.Path, e.Kind)
}

func (e *NotRegularError) Unwrap() error { return ErrNotRegular }

// IsDir reports whether the path is a directory (callers often have a
// better message for that: name the file in it).
func (e *NotRegularError) IsDir() bool { return e.Kind == Kind(fs.ModeDir) }

// TooLargeError says how large the file is allowed to be.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s, far more than such a file ever holds: is it the right file?", e.Path, human(e.Limit))
}

func (e *TooLargeError) Unwrap() error { return ErrTooLarge }

// ReadFile reads a regular file of at most limit bytes. The path is opened
// without blocking (so a FIFO is refused instead of waiting for a writer),
// symlinks are followed, and what the descriptor really is decides: a
// symlink to /dev/zero is refused as a character device.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &NotRegularError{Path: path, Kind: Kind(info.Mode())}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	return data, nil
}

// Kind names a file type in words.
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a regular file"
	}
	return "not a regular file"
}

func human(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Check refuses, before a library opens the file itself (knownhosts.New),
// a path that exists but is not a regular file or is larger than limit. A
// missing file is not its business: nil, as for a fine one.
func Check(path string, limit int64) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !info.Mode().IsRegular():
		return &NotRegularError{Path: path, Kind: Kind(info.Mode())}
	case info.Size() > limit:
		return &TooLargeError{Path: path, Limit: limit}
	}
	return nil
}
