package remote_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dockertls/dockertls/remote"
)

// hostUnderTest is one implementation the behaviour suite runs against.
// Both talk to this machine (the sshd runs on loopback), so the tests can
// check results with the os package as the oracle.
type hostUnderTest struct {
	name string
	open func(t *testing.T) remote.Host
	user string // the user commands run as
}

func localHost(t *testing.T) remote.Host {
	h, err := remote.Open(context.Background(), remote.Config{Target: "local"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return h
}

func currentUser(t *testing.T) string {
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return u.Username
}

// implementations lists the Hosts the suite runs against: Local always,
// SSH to a real sshd on loopback (see ssh_test.go).
func implementations(t *testing.T) []hostUnderTest {
	return append([]hostUnderTest{{name: "local", open: localHost, user: currentUser(t)}}, sshImplementations(t)...)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// sharedDir is a temp dir the connecting user can write (the SSH user may
// not be the test's user).
func sharedDir(t *testing.T) string {
	d := t.TempDir()
	for p := d; p != filepath.Dir(p) && p != os.TempDir(); p = filepath.Dir(p) {
		// t.TempDir's directories are 0700; other test users need to reach them.
		if err := os.Chmod(p, 0o777|fs.ModeSticky); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func TestBehaviour(t *testing.T) {
	for _, impl := range implementations(t) {
		t.Run(impl.name, func(t *testing.T) {
			t.Run("ArgumentsArriveLiterally", func(t *testing.T) { testArgsLiteral(t, impl) })
			t.Run("ExitCodeAndStderr", func(t *testing.T) { testExitCode(t, impl) })
			t.Run("StdinAndEnv", func(t *testing.T) { testStdinEnv(t, impl) })
			t.Run("ContextCancel", func(t *testing.T) { testCancel(t, impl) })
			t.Run("WriteReadStat", func(t *testing.T) { testWriteRead(t, impl) })
			t.Run("Missing", func(t *testing.T) { testMissing(t, impl) })
			t.Run("ConcurrentReaderSeesWholeFiles", func(t *testing.T) { testAtomic(t, impl) })
			t.Run("FailedWriteKeepsOldFile", func(t *testing.T) { testFailedWrite(t, impl) })
			t.Run("TenMegabytes", func(t *testing.T) { testBigFile(t, impl) })
			t.Run("MkdirBackupRemove", func(t *testing.T) { testMkdirBackup(t, impl) })
			t.Run("OwnerAndRoot", func(t *testing.T) { testOwner(t, impl) })
			t.Run("AdversarialNames", func(t *testing.T) { testAdversarialNames(t, impl) })
			t.Run("HomeAndClose", func(t *testing.T) { testHomeClose(t, impl) })
		})
	}
}

func testArgsLiteral(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	args := []string{"a b", `it's "quoted"`, "x; echo pwned", "$(id -u)", "`id`", "", "*", "~", "a\nb", "--", "\\", "&& false"}
	res, err := h.Run(ctxT(t), remote.Command{Args: append([]string{"printf", "[%s]\\n"}, args...)})
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for _, a := range args {
		want.WriteString("[" + a + "]\n")
	}
	if string(res.Stdout) != want.String() || res.ExitCode != 0 {
		t.Fatalf("got exit %d stdout %q stderr %q, want %q", res.ExitCode, res.Stdout, res.Stderr, want.String())
	}
}

func testExitCode(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	res, err := h.Run(ctxT(t), remote.Command{Args: []string{"sh", "-c", "echo out; echo err >&2; exit 3"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 3 || string(res.Stdout) != "out\n" || string(res.Stderr) != "err\n" {
		t.Fatalf("got exit %d stdout %q stderr %q", res.ExitCode, res.Stdout, res.Stderr)
	}
	res, err = h.Run(ctxT(t), remote.Command{Args: []string{"dockertls-no-such-program"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 127 || !strings.Contains(string(res.Stderr), "not found") {
		t.Fatalf("missing program: exit %d stderr %q, want 127 and 'not found'", res.ExitCode, res.Stderr)
	}
	if _, err := h.Run(ctxT(t), remote.Command{}); err == nil {
		t.Fatal("empty command: no error")
	}
}

func testStdinEnv(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	res, err := h.Run(ctxT(t), remote.Command{Args: []string{"cat"}, Stdin: strings.NewReader("line one\nline two")})
	if err != nil || string(res.Stdout) != "line one\nline two" {
		t.Fatalf("stdin: %q, %v", res.Stdout, err)
	}
	res, err = h.Run(ctxT(t), remote.Command{Args: []string{"printenv", "DOCKERTLS_X"}, Env: []string{"DOCKERTLS_X=a b $(c)"}})
	if err != nil || string(res.Stdout) != "a b $(c)\n" {
		t.Fatalf("env: %q %q, %v", res.Stdout, res.Stderr, err)
	}
	if _, err := h.Run(ctxT(t), remote.Command{Args: []string{"true"}, Env: []string{"no equals sign"}}); err == nil {
		t.Fatal("bad env entry accepted")
	}
}

func testCancel(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	cancelAndCheckGone(t, h, false)
	if canSudo(impl) {
		cancelAndCheckGone(t, h, true)
	}
	// The host stays usable.
	res, err := h.Run(ctxT(t), remote.Command{Args: []string{"echo", "still here"}})
	if err != nil || string(res.Stdout) != "still here\n" {
		t.Fatalf("after cancel: %q, %v", res.Stdout, err)
	}
}

// cancelAndCheckGone runs a long sleep with a short deadline and checks
// that Run reports the deadline and the process does not live on.
func cancelAndCheckGone(t *testing.T, h remote.Host, sudo bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	// An odd duration names this very process for pgrep.
	sleep := fmt.Sprintf("%d.%03d", 30+time.Now().Nanosecond()%1000, time.Now().Nanosecond()%997)
	_, err := h.Run(ctx, remote.Command{Args: []string{"sleep", sleep}, Sudo: sudo})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run (sudo=%v) after the deadline: %v, want context.DeadlineExceeded", sudo, err)
	}
	// The bound is a hang guard sized for a loaded machine, not a timing
	// assertion: the process normally goes at once.
	for deadline := time.Now().Add(60 * time.Second); ; {
		out, _ := exec.Command("pgrep", "-f", "sleep "+sleep).Output()
		if len(bytes.TrimSpace(out)) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("sleep %s (sudo=%v) still runs after cancel (pids %s)", sleep, sudo, bytes.TrimSpace(out))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func testWriteRead(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	dir := sharedDir(t)
	for _, mode := range []fs.FileMode{0o600, 0o400, 0o644, 0o444} {
		p := filepath.Join(dir, "f-"+mode.String())
		data := []byte("content " + mode.String() + "\n")
		if err := h.WriteFile(ctxT(t), p, data, remote.WriteOptions{Mode: mode}); err != nil {
			t.Fatal(err)
		}
		got, err := h.ReadFile(ctxT(t), p, false)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("ReadFile %s: %q, %v", p, got, err)
		}
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != mode {
			t.Fatalf("os.Stat %s: %v, %v; want mode %v", p, fi.Mode(), err, mode)
		}
		st, err := h.Stat(ctxT(t), p, false)
		if err != nil || st.Mode != mode || st.Size != int64(len(data)) || st.Owner != impl.user || st.Path != p {
			t.Fatalf("Stat %s: %+v, %v; want mode %v owner %s", p, st, err, mode, impl.user)
		}
	}
	// Replacing keeps nothing of the old file and leaves no temp files.
	p := filepath.Join(dir, "replace")
	for _, s := range []string{"a long first version", "short"} {
		if err := h.WriteFile(ctxT(t), p, []byte(s), remote.WriteOptions{Mode: 0o600}); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := os.ReadFile(p); string(got) != "short" {
		t.Fatalf("after replace: %q", got)
	}
	// Without a mode the file is private.
	if err := h.WriteFile(ctxT(t), p, []byte("x"), remote.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("default mode %v, want 0600", fi.Mode().Perm())
	}
	if err := h.WriteFile(ctxT(t), "relative/path", []byte("x"), remote.WriteOptions{}); err == nil {
		t.Fatal("relative path accepted")
	}
	assertNoTemps(t, dir)
}

func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".dockertls-") && !strings.Contains(e.Name(), "backup") {
			t.Errorf("temp file left behind: %s", filepath.Join(dir, e.Name()))
		}
	}
}

func testMissing(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	p := filepath.Join(sharedDir(t), "nope")
	for _, sudo := range []bool{false, true} {
		if sudo && !canSudo(impl) {
			continue
		}
		if _, err := h.ReadFile(ctxT(t), p, sudo); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadFile(sudo=%v) of a missing file: %v, want fs.ErrNotExist", sudo, err)
		}
		if _, err := h.Stat(ctxT(t), p, sudo); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Stat(sudo=%v) of a missing file: %v, want fs.ErrNotExist", sudo, err)
		}
		if err := h.Remove(ctxT(t), p, sudo); err != nil {
			t.Errorf("Remove(sudo=%v) of a missing file: %v", sudo, err)
		}
		if _, err := h.Backup(ctxT(t), p, sudo); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Backup(sudo=%v) of a missing file: %v, want fs.ErrNotExist", sudo, err)
		}
	}
}

// canSudo: the suite's users are root or have passwordless sudo.
func canSudo(impl hostUnderTest) bool {
	return impl.user == "root" || strings.HasSuffix(impl.user, "nopw")
}

func testAtomic(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	p := filepath.Join(sharedDir(t), "atomic")
	const size = 256 << 10
	versions := [][]byte{bytes.Repeat([]byte("a"), size), bytes.Repeat([]byte("b"), size)}
	if err := h.WriteFile(ctxT(t), p, versions[0], remote.WriteOptions{Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var reads int
	var bad error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			got, err := os.ReadFile(p)
			if err != nil {
				bad = err
				return
			}
			reads++
			if !bytes.Equal(got, versions[0]) && !bytes.Equal(got, versions[1]) {
				bad = fmt.Errorf("reader saw a partial file of %d bytes", len(got))
				return
			}
		}
	}()
	for i := 0; i < 20; i++ {
		if err := h.WriteFile(ctxT(t), p, versions[i%2], remote.WriteOptions{Mode: 0o644}); err != nil {
			close(stop)
			wg.Wait()
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if bad != nil {
		t.Fatal(bad)
	}
	if reads == 0 {
		t.Fatal("the reader never ran")
	}
}

func testFailedWrite(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	dir := sharedDir(t)
	p := filepath.Join(dir, "keep")
	if err := h.WriteFile(ctxT(t), p, []byte("old"), remote.WriteOptions{Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	// A group that does not exist makes install fail after staging.
	err := h.WriteFile(ctxT(t), p, []byte("new"), remote.WriteOptions{Mode: 0o644, Group: "dockertls-no-such-group", Sudo: canSudo(impl)})
	if err == nil {
		t.Fatal("write with an unknown group succeeded")
	}
	if !strings.Contains(err.Error(), "dockertls-no-such-group") || !strings.Contains(err.Error(), h.Name()) {
		t.Errorf("error does not name the group and host: %v", err)
	}
	// A directory in the way of the rename.
	sub := filepath.Join(dir, "isdir")
	if err := os.Mkdir(sub, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := h.WriteFile(ctxT(t), sub, []byte("new"), remote.WriteOptions{Mode: 0o644}); err == nil {
		t.Fatal("write over a directory succeeded")
	}
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Fatalf("old file changed to %q", got)
	}
	assertNoTemps(t, dir)
	if impl.user != "root" {
		// A directory the user cannot write, holding a file the user can:
		// truncating in place would succeed; an atomic write must fail and
		// leave the file alone.
		locked := filepath.Join(dir, "locked")
		if err := os.Mkdir(locked, 0o755); err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(locked, "file")
		if err := os.WriteFile(f, []byte("old"), 0o666); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(f, 0o666); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(locked, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(locked, 0o755) })
		if err := h.WriteFile(ctxT(t), f, []byte("new"), remote.WriteOptions{Mode: 0o644}); err == nil {
			t.Fatal("write into a read-only directory succeeded")
		}
		if got, _ := os.ReadFile(f); string(got) != "old" {
			t.Fatalf("old file changed to %q", got)
		}
		assertNoTemps(t, locked)
	}
}

func testBigFile(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	p := filepath.Join(sharedDir(t), "big")
	data := make([]byte, 10<<20)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	if err := h.WriteFile(ctxT(t), p, data, remote.WriteOptions{Mode: 0o600}); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("written file differs (%d bytes, %v)", len(got), err)
	}
	got, err := h.ReadFile(ctxT(t), p, false)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("ReadFile differs (%d bytes, %v)", len(got), err)
	}
	if canSudo(impl) {
		got, err := h.ReadFile(ctxT(t), p, true)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("ReadFile with sudo differs (%d bytes, %v)", len(got), err)
		}
	}
}

func testMkdirBackup(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	dir := sharedDir(t)
	deep := filepath.Join(dir, "a", "b c", "d")
	if err := h.MkdirAll(ctxT(t), deep, remote.WriteOptions{Mode: 0o750}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(deep); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o750 {
		t.Fatalf("MkdirAll: %v, %v", fi, err)
	}
	// Existing: the mode is set again, nothing else happens.
	if err := h.MkdirAll(ctxT(t), deep, remote.WriteOptions{Mode: 0o700}); err != nil {
		t.Fatal(err)
	}
	st, err := h.Stat(ctxT(t), deep, false)
	if err != nil || !st.Mode.IsDir() || st.Mode.Perm() != 0o700 {
		t.Fatalf("Stat of the directory: %+v, %v", st, err)
	}

	p := filepath.Join(deep, "daemon.json")
	if err := h.WriteFile(ctxT(t), p, []byte(`{"a":1}`), remote.WriteOptions{Mode: 0o640}); err != nil {
		t.Fatal(err)
	}
	b1, err := h.Backup(ctxT(t), p, false)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := h.Backup(ctxT(t), p, false)
	if err != nil {
		t.Fatal(err)
	}
	if b1 == b2 || !strings.HasPrefix(b1, p+".dockertls-backup-") || !strings.HasPrefix(b2, p+".dockertls-backup-") {
		t.Fatalf("backups %q and %q", b1, b2)
	}
	for _, b := range []string{b1, b2} {
		got, err := os.ReadFile(b)
		fi, _ := os.Stat(b)
		if err != nil || string(got) != `{"a":1}` || fi.Mode().Perm() != 0o640 {
			t.Fatalf("backup %s: %q %v, %v", b, got, fi.Mode(), err)
		}
	}
	if err := h.Remove(ctxT(t), b1, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b1); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("after Remove: %v", err)
	}
}

func testOwner(t *testing.T, impl hostUnderTest) {
	if !canSudo(impl) {
		t.Skip("covered by the sudo tests: this user cannot become root without a password")
	}
	h := impl.open(t)
	dir := sharedDir(t)
	rootDir := filepath.Join(dir, "etc-docker")
	if err := h.MkdirAll(ctxT(t), rootDir, remote.WriteOptions{Mode: 0o755, Sudo: true}); err != nil {
		t.Fatal(err)
	}
	st, err := h.Stat(ctxT(t), rootDir, true)
	if err != nil || st.Owner != "root" || st.Group != "root" || st.Mode.Perm() != 0o755 {
		t.Fatalf("root directory: %+v, %v", st, err)
	}
	key := filepath.Join(rootDir, "server-key.pem")
	secret := []byte("-----BEGIN PRIVATE KEY-----\nnot really\n-----END PRIVATE KEY-----\n")
	for i := 0; i < 2; i++ { // the second write replaces a 0400 root file
		if err := h.WriteFile(ctxT(t), key, secret, remote.WriteOptions{Mode: 0o400, Sudo: true}); err != nil {
			t.Fatal(err)
		}
	}
	st, err = h.Stat(ctxT(t), key, true)
	if err != nil || st.Owner != "root" || st.Group != "root" || st.Mode.Perm() != 0o400 {
		t.Fatalf("root key: %+v, %v", st, err)
	}
	if got, err := h.ReadFile(ctxT(t), key, true); err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("ReadFile as root: %q, %v", got, err)
	}
	// Owned by another user, group defaulting to that user's primary group.
	other := filepath.Join(dir, "nobody.pem")
	if err := h.WriteFile(ctxT(t), other, []byte("x"), remote.WriteOptions{Mode: 0o444, Owner: "nobody", Sudo: true}); err != nil {
		t.Fatal(err)
	}
	nobodyGroup := primaryGroup(t, "nobody")
	st, err = h.Stat(ctxT(t), other, false)
	if err != nil || st.Owner != "nobody" || st.Group != nobodyGroup || st.Mode.Perm() != 0o444 {
		t.Fatalf("nobody's file: %+v, %v; want group %s", st, err, nobodyGroup)
	}
	b, err := h.Backup(ctxT(t), key, true)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := h.Stat(ctxT(t), b, true); err != nil || st.Owner != "root" || st.Mode.Perm() != 0o400 {
		t.Fatalf("backup of the root key: %+v, %v", st, err)
	}
	if err := h.Remove(ctxT(t), b, true); err != nil {
		t.Fatal(err)
	}
	res, err := h.Run(ctxT(t), remote.Command{Args: []string{"id", "-u"}, Sudo: true})
	if err != nil || string(res.Stdout) != "0\n" {
		t.Fatalf("id -u as root: %q %q, %v", res.Stdout, res.Stderr, err)
	}
	assertNoTemps(t, rootDir)
}

func primaryGroup(t *testing.T, name string) string {
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	g, err := user.LookupGroupId(u.Gid)
	if err != nil {
		t.Fatal(err)
	}
	return g.Name
}

func testHomeClose(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	u, err := user.Lookup(impl.user)
	if err != nil {
		t.Fatal(err)
	}
	home, err := h.HomeDir(ctxT(t))
	if err != nil || filepath.Clean(home) != filepath.Clean(u.HomeDir) {
		t.Fatalf("HomeDir = %q, %v; want %q", home, err, u.HomeDir)
	}
	if h.Name() == "" {
		t.Fatal("empty Name")
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Run(ctxT(t), remote.Command{Args: []string{"true"}}); !errors.Is(err, remote.ErrClosed) {
		t.Fatalf("Run after Close: %v, want ErrClosed", err)
	}
	if err := h.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// testAdversarialNames sends file names a shell would split, expand or
// read as options through every file operation, as the connecting user and
// (where possible) through sudo.
func testAdversarialNames(t *testing.T, impl hostUnderTest) {
	h := impl.open(t)
	dir := sharedDir(t)
	names := []string{"sp ace", `q'uo"te`, "new\nline", "$(touch pwned)", "-rf", "`id`", "semi;colon && false", "star*", "tab\there", "trail\n"}
	for _, sudo := range []bool{false, true} {
		if sudo && !canSudo(impl) {
			continue
		}
		for i, name := range names {
			sub := filepath.Join(dir, fmt.Sprintf("%d-%v", i, sudo), name+" dir")
			if err := h.MkdirAll(ctxT(t), sub, remote.WriteOptions{Mode: 0o750, Sudo: sudo}); err != nil {
				t.Fatalf("MkdirAll %q (sudo=%v): %v", sub, sudo, err)
			}
			if fi, err := os.Stat(sub); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o750 {
				t.Fatalf("MkdirAll %q (sudo=%v): %v, %v", sub, sudo, fi, err)
			}
			p := filepath.Join(sub, name)
			data := []byte("data for " + name)
			if err := h.WriteFile(ctxT(t), p, data, remote.WriteOptions{Mode: 0o640, Sudo: sudo}); err != nil {
				t.Fatalf("WriteFile %q (sudo=%v): %v", p, sudo, err)
			}
			if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("file %q (sudo=%v) holds %q, %v", p, sudo, got, err)
			}
			if got, err := h.ReadFile(ctxT(t), p, sudo); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("ReadFile %q (sudo=%v): %q, %v", p, sudo, got, err)
			}
			st, err := h.Stat(ctxT(t), p, sudo)
			if err != nil || st.Mode.Perm() != 0o640 || st.Size != int64(len(data)) || st.Path != p {
				t.Fatalf("Stat %q (sudo=%v): %+v, %v", p, sudo, st, err)
			}
			b, err := h.Backup(ctxT(t), p, sudo)
			if err != nil || !strings.HasPrefix(b, p+".dockertls-backup-") {
				t.Fatalf("Backup %q (sudo=%v): %q, %v", p, sudo, b, err)
			}
			if got, err := os.ReadFile(b); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("backup %q (sudo=%v) holds %q, %v", b, sudo, got, err)
			}
			for _, f := range []string{b, p} {
				if err := h.Remove(ctxT(t), f, sudo); err != nil {
					t.Fatalf("Remove %q (sudo=%v): %v", f, sudo, err)
				}
				if _, err := os.Stat(f); !errors.Is(err, fs.ErrNotExist) {
					t.Fatalf("after Remove %q (sudo=%v): %v", f, sudo, err)
				}
			}
			assertNoTemps(t, sub)
		}
	}
	home, err := h.HomeDir(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{home, dir} {
		if _, err := os.Stat(filepath.Join(d, "pwned")); err == nil {
			t.Fatalf("a file name ran a command: %s exists", filepath.Join(d, "pwned"))
		}
	}
}
