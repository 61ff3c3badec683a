package remote_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/remote"
)

// TestTempFilesPrivateFromCreation checks the mode a WriteFile temp file has
// at the very moment it is created, not only after the write: a file born
// 0644 and narrowed to 0600 a round trip later can be opened by another
// user in between, and that open keeps reading the key written afterwards.
// fanotify's open permission events hold every open in the directory until
// the test has looked at the new file, so the check is exact, not timed.
func TestTempFilesPrivateFromCreation(t *testing.T) {
	testlab.RequireRoot(t)
	for _, impl := range implementations(t) {
		t.Run(impl.name, func(t *testing.T) {
			h := impl.open(t)
			dir := sharedDir(t)
			w := watchOpens(t, dir)
			p := filepath.Join(dir, "key.pem")
			if err := h.WriteFile(ctxT(t), p, []byte("-----BEGIN PRIVATE KEY-----\n"), remote.WriteOptions{Mode: 0o600}); err != nil {
				t.Fatal(err)
			}
			if canSudo(impl) {
				// Root-owned: staged privately, then install's temp file.
				if err := h.WriteFile(ctxT(t), filepath.Join(dir, "root-key.pem"), []byte("-----BEGIN PRIVATE KEY-----\n"), remote.WriteOptions{Mode: 0o400, Sudo: true}); err != nil {
					t.Fatal(err)
				}
			}
			seen := w.stop()
			if len(seen) == 0 {
				t.Fatal("fanotify saw no file opened in the directory")
			}
			for name, mode := range seen {
				if strings.Contains(name, ".dockertls-") && mode&0o077 != 0 {
					t.Errorf("temp file %s was opened while its mode was %04o: readable by others before it held the key", name, mode)
				}
			}
		})
	}
}

// openWatch records the mode each file in one directory has when it is
// opened (for a new file: when it is created).
type openWatch struct {
	f      *os.File // non-blocking, so Close ends a pending Read
	done   chan struct{}
	onOpen func(name string) // optional: runs while the open waits
	mu     sync.Mutex
	seen   map[string]uint32
}

// Linux fanotify constants (not in package syscall).
const (
	fanClassContent  = 0x04
	fanCloexec       = 0x01
	fanNonblock      = 0x02
	fanMarkAdd       = 0x01
	fanOpenPerm      = 0x00010000
	fanEventOnChild  = 0x08000000
	fanAllow         = 0x01
	fanEventMetaSize = 24
)

func watchOpens(t *testing.T, dir string) *openWatch {
	return watchOpensWith(t, dir, nil)
}

func watchOpensWith(t *testing.T, dir string, onOpen func(name string)) *openWatch {
	t.Helper()
	fd, _, errno := syscall.Syscall(syscall.SYS_FANOTIFY_INIT, fanClassContent|fanCloexec|fanNonblock, uintptr(syscall.O_RDONLY|syscall.O_CLOEXEC), 0)
	if errno != 0 {
		testlab.Unavailable(t, "fanotify", "needs CAP_SYS_ADMIN and a kernel with fanotify permission events: "+errno.Error())
	}
	dirp, err := syscall.BytePtrFromString(dir)
	if err != nil {
		t.Fatal(err)
	}
	atFDCWD := -100
	if _, _, errno := syscall.Syscall6(syscall.SYS_FANOTIFY_MARK, fd, fanMarkAdd, fanOpenPerm|fanEventOnChild, uintptr(atFDCWD), uintptr(unsafe.Pointer(dirp)), 0); errno != 0 {
		_ = syscall.Close(int(fd))
		testlab.Unavailable(t, "fanotify marks", errno.Error())
	}
	w := &openWatch{f: os.NewFile(fd, "fanotify"), done: make(chan struct{}), seen: map[string]uint32{}, onOpen: onOpen}
	go w.loop()
	t.Cleanup(func() { w.stop() })
	return w
}

func (w *openWatch) loop() {
	defer close(w.done)
	buf := make([]byte, 4096)
	for {
		n, err := w.f.Read(buf)
		if err != nil {
			return // closed by stop
		}
		for off := 0; off+fanEventMetaSize <= n; {
			evLen := int(binary.NativeEndian.Uint32(buf[off:]))
			evFd := int(int32(binary.NativeEndian.Uint32(buf[off+16:])))
			if evLen < fanEventMetaSize {
				return
			}
			if evFd >= 0 {
				var st syscall.Stat_t
				if syscall.Fstat(evFd, &st) == nil {
					name, _ := os.Readlink("/proc/self/fd/" + strconv.Itoa(evFd))
					w.mu.Lock()
					if _, ok := w.seen[filepath.Base(name)]; !ok {
						w.seen[filepath.Base(name)] = st.Mode & 0o7777
					}
					hook := w.onOpen
					w.mu.Unlock()
					if hook != nil {
						hook(name)
					}
				}
				// Let the open go ahead.
				resp := make([]byte, 8)
				binary.NativeEndian.PutUint32(resp, uint32(evFd))
				binary.NativeEndian.PutUint32(resp[4:], fanAllow)
				_, _ = w.f.Write(resp)
				_ = syscall.Close(evFd)
			}
			off += evLen
		}
	}
}

// stop ends the watch (pending opens are allowed by the kernel when the
// fanotify descriptor closes) and returns what it saw.
func (w *openWatch) stop() map[string]uint32 {
	_ = w.f.Close() // a second Close is harmless
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.seen
}

// A write cancelled just as its temp file is created (the moment the
// fanotify event holds) leaves no temp file behind, and the old file as it
// was: on the remote side nothing kills the shell that writes it, so the
// shell must notice the write was cut short by itself.
func TestCancelledWriteLeavesNoTemp(t *testing.T) {
	testlab.RequireRoot(t)
	for _, impl := range implementations(t) {
		for _, sudo := range []bool{false, true} {
			if sudo && !canSudo(impl) {
				continue
			}
			t.Run(fmt.Sprintf("%s/sudo=%v", impl.name, sudo), func(t *testing.T) { testCancelledWrite(t, impl, sudo) })
		}
	}
}

func testCancelledWrite(t *testing.T, impl hostUnderTest, sudo bool) {
	{
		{
			h := impl.open(t)
			dir := sharedDir(t)
			p := filepath.Join(dir, "key.pem")
			if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(ctxT(t))
			defer cancel()
			w := watchOpensWith(t, dir, func(name string) {
				if strings.Contains(filepath.Base(name), ".dockertls-") {
					cancel()
				}
			})
			data := make([]byte, 4<<20)
			err := h.WriteFile(ctx, p, data, remote.WriteOptions{Mode: 0o600, Sudo: sudo})
			w.stop()
			// The write may also have finished before the cancel was looked
			// at (with sudo the rename is part of the remote command, so
			// it can even be done when WriteFile reports the cancel), but
			// the file is whole, old or new.
			got, _ := os.ReadFile(p)
			switch {
			case string(got) == "old":
				if err == nil {
					t.Fatal("WriteFile succeeded, but the file is the old one")
				}
			case len(got) != len(data):
				t.Fatalf("after WriteFile (%v) the file has %d bytes: neither the old nor the new one", err, len(got))
			}
			// The remote shell ends on its own once the session is gone.
			var left []string
			for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
				left, _ = filepath.Glob(filepath.Join(dir, ".key.pem.dockertls-*"))
				if len(left) == 0 {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Fatalf("temp files left behind after a cancelled write: %v", left)
		}
	}
}
