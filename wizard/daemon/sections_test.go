package daemon

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/remote"
)

func TestParseSections(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []section
		err  string
	}{
		{name: "empty", in: ""},
		{name: "empty body", in: "=init systemd\n\n", want: []section{{Kind: "init", Fields: []string{"systemd"}, Body: []byte{}}}},
		{name: "file", in: "=file L2V0Yy9kb2NrZXIvZGFlbW9uLmpzb24= 1 81a4 root root 0 0\ne30K\n=ss 0\n\n",
			want: []section{
				{Kind: "file", Fields: []string{"L2V0Yy9kb2NrZXIvZGFlbW9uLmpzb24=", "1", "81a4", "root", "root", "0", "0"}, Body: []byte("{}\n")},
				{Kind: "ss", Fields: []string{"0"}, Body: []byte{}},
			}},
		{name: "crlf header", in: "=uname\r\nTGludXg=\n", want: []section{{Kind: "uname", Fields: []string{}, Body: []byte("Linux")}}},
		{name: "sudo chatter", in: "We trust you have received the usual lecture\n=uname\nTGludXg=\n", err: "unexpected line 1"},
		{name: "cut short", in: "=uname\nTGludXg=\n=init systemd\n", err: "cut short"},
		{name: "not base64", in: "=uname\nLinux!\n", err: "not base64"},
		{name: "no kind", in: "= x\n\n", err: "unexpected line 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseSections([]byte(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("want an error with %q, got %v (%+v)", c.err, err, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// TestAnswerFileState: a "file" section becomes a FileState (numeric owner
// when stat knows no name), a missing file is no error, one the script
// could not look at is.
func TestAnswerFileState(t *testing.T) {
	secs := []section{
		{Kind: "file", Fields: []string{enc64("/etc/docker/daemon.json"), "1", "81a4", "UNKNOWN", "docker", "1234", "999"}, Body: []byte("{}")},
		{Kind: "file", Fields: []string{enc64("/etc/default/docker"), "0"}},
		{Kind: "file", Fields: []string{enc64("/etc/sysconfig/docker"), "err"}, Body: []byte("/etc/sysconfig/docker is a directory")},
		{Kind: "stat", Fields: []string{enc64("/etc/docker/tls/server-key.pem"), "1", "8100", "root", "root", "0", "0"}},
	}
	a := answerOf(t, secs)
	st, err := a.fileState("/etc/docker/daemon.json")
	if err != nil || !st.Exists || string(st.Data) != "{}" || st.Mode != 0o644 || st.Owner != "1234" || st.Group != "docker" {
		t.Errorf("daemon.json: %+v, %v", st, err)
	}
	if st, err := a.fileState("/etc/default/docker"); err != nil || st.Exists {
		t.Errorf("missing file: %+v, %v", st, err)
	}
	if _, err := a.fileState("/etc/sysconfig/docker"); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory must be an error naming it, got %v", err)
	}
	if _, err := a.fileState("/etc/conf.d/docker"); err == nil {
		t.Error("a file the answer does not mention must be an error")
	}
	if st, err := a.statState("/etc/docker/tls/server-key.pem"); err != nil || !st.Exists || st.Mode != 0o400 || st.Data != nil {
		t.Errorf("key stat: %+v, %v", st, err)
	}
}

// TestGatherScriptThroughShell runs the real scripts here: every path the
// answer names decodes, the TLS key's contents never appear, and the
// answer parses.
func TestGatherScriptThroughShell(t *testing.T) {
	dir := t.TempDir()
	h := remote.NewLocal(nil)
	key := dir + "/server key.pem" // a space in a path
	if err := writeTestFile(key, "SECRET-KEY-BYTES"); err != nil {
		t.Fatal(err)
	}
	conf := dir + "/daemon.json"
	if err := writeTestFile(conf, `{"debug": true}`); err != nil {
		t.Fatal(err)
	}
	a, _, err := runScript(context.Background(), h, "inspecting", gatherScript, conf, "2376", DropInPath, LateDropInPath, TCPSocketPath, TCPSocketUnit, dir+"/ca.pem", key)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := a.fileState(conf); err != nil || string(st.Data) != `{"debug": true}` {
		t.Errorf("daemon.json: %+v, %v", st, err)
	}
	if st, err := a.statState(key); err != nil || !st.Exists || st.Data != nil {
		t.Errorf("key: %+v, %v", st, err)
	}
	if st, err := a.statState(dir + "/ca.pem"); err != nil || st.Exists {
		t.Errorf("missing ca: %+v, %v", st, err)
	}
	for _, s := range a.by {
		if bytes.Contains(s.Body, []byte("SECRET-KEY-BYTES")) {
			t.Fatalf("the key's contents are in the answer (%s)", s.Kind)
		}
	}
}

func FuzzParseSections(f *testing.F) {
	f.Add([]byte("=file L2V0Yy9kb2NrZXIvZGFlbW9uLmpzb24= 1 81a4 root root 0 0\ne30K\n=ss 0\n\n"))
	f.Add([]byte("=uname\nTGludXg=\n"))
	f.Add([]byte("=ping curl 7\n\n=x\n"))
	f.Add([]byte("\n\n=\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		secs, err := parseSections(in)
		if err != nil {
			return
		}
		// What parses re-encodes to an answer that parses the same.
		again, err := parseSections(encodeSections(secs))
		if err != nil {
			t.Fatalf("re-encoded answer does not parse: %v", err)
		}
		if len(again) != len(secs) {
			t.Fatalf("%d sections, %d after re-encoding", len(secs), len(again))
		}
		for i := range secs {
			if again[i].Kind != secs[i].Kind || !bytes.Equal(again[i].Body, secs[i].Body) || strings.Join(again[i].Fields, " ") != strings.Join(secs[i].Fields, " ") {
				t.Fatalf("section %d: %+v became %+v", i, secs[i], again[i])
			}
		}
		a := &answer{host: "fuzz", by: map[string]section{}}
		for _, s := range secs {
			a.by[s.Kind+" "+decodePath(s.field(0))] = s
			_, _ = a.fileState(decodePath(s.field(0)))
			_, _ = a.statState(decodePath(s.field(0)))
		}
	})
}

func enc64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func answerOf(t *testing.T, secs []section) *answer {
	t.Helper()
	a := &answer{host: "node3", by: map[string]section{}}
	for _, s := range secs {
		a.by[s.Kind+" "+decodePath(s.field(0))] = s
	}
	return a
}

func writeTestFile(p, data string) error { return os.WriteFile(p, []byte(data), 0o600) }

// encodeSections is parseSections' inverse (for the round-trip test and the fuzz target).
func encodeSections(secs []section) []byte {
	var b bytes.Buffer
	for _, s := range secs {
		b.WriteString("=" + s.Kind)
		for _, f := range s.Fields {
			b.WriteString(" " + f)
		}
		b.WriteString("\n" + base64.StdEncoding.EncodeToString(s.Body) + "\n")
	}
	return b.Bytes()
}
