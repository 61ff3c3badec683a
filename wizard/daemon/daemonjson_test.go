package daemon

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func tlsEdits() []Edit {
	return []Edit{
		{Key: "tlsverify", Value: true},
		{Key: "tlscacert", Value: "/etc/docker/tls/ca.pem"},
		{Key: "tlscert", Value: "/etc/docker/tls/server-cert.pem"},
		{Key: "tlskey", Value: "/etc/docker/tls/server-key.pem"},
		{Key: "hosts", Value: []string{"fd://", "tcp://0.0.0.0:2376"}},
	}
}

func TestMergeKeepsOtherSettingsByteForByte(t *testing.T) {
	in := `{
    "log-driver": "journald",
    "live-restore": true,
    "default-address-pools": [
        {"base": "10.10.0.0/16",   "size": 24}
    ],
    "tlsverify": false,
    "log-opts": {"max-size": "10m"}
}
`
	out, err := MergeDaemonJSON([]byte(in), tlsEdits())
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{
		`"log-driver": "journald",`,
		`"live-restore": true,`,
		"\"default-address-pools\": [\n        {\"base\": \"10.10.0.0/16\",   \"size\": 24}\n    ],",
		`"log-opts": {"max-size": "10m"}`,
		`"tlsverify": true,`,
		`    "hosts": ["fd://", "tcp://0.0.0.0:2376"]`,
	} {
		if !strings.Contains(string(out), keep) {
			t.Errorf("merged daemon.json lacks %q:\n%s", keep, out)
		}
	}
	if !strings.HasSuffix(string(out), "}\n") {
		t.Errorf("trailing newline lost:\n%q", out)
	}
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("merged file is not JSON: %v\n%s", err, out)
	}
	if v["tlsverify"] != true || v["tlskey"] != "/etc/docker/tls/server-key.pem" {
		t.Errorf("TLS keys not set: %v", v)
	}
	again, err := MergeDaemonJSON(out, tlsEdits())
	if err != nil || string(again) != string(out) {
		t.Errorf("second merge changed the file (err %v):\n%s\n---\n%s", err, out, again)
	}
}

func TestMergeEmptyAndMissing(t *testing.T) {
	for _, in := range []string{"", "  \n", "{}", "{}\n", "\xef\xbb\xbf{}"} {
		out, err := MergeDaemonJSON([]byte(in), tlsEdits())
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		var v map[string]any
		if err := json.Unmarshal(out, &v); err != nil || len(v) != 5 {
			t.Errorf("%q gave %s (%v)", in, out, err)
		}
	}
	out, _ := MergeDaemonJSON(nil, tlsEdits())
	want := "{\n  \"tlsverify\": true,\n  \"tlscacert\": \"/etc/docker/tls/ca.pem\",\n  \"tlscert\": \"/etc/docker/tls/server-cert.pem\",\n  \"tlskey\": \"/etc/docker/tls/server-key.pem\",\n  \"hosts\": [\"fd://\", \"tcp://0.0.0.0:2376\"]\n}\n"
	if string(out) != want {
		t.Errorf("fresh file:\n%s\nwant:\n%s", out, want)
	}
}

func TestMergeAlreadyRightIsUnchanged(t *testing.T) {
	in := `{"hosts":["fd://","tcp://0.0.0.0:2376"],"tlsverify":true,"tlscacert":"/etc/docker/tls/ca.pem","tlscert":"/etc/docker/tls/server-cert.pem","tlskey":"/etc/docker/tls/server-key.pem"}`
	out, err := MergeDaemonJSON([]byte(in), tlsEdits())
	if err != nil || string(out) != in {
		t.Fatalf("an already-right file changed (err %v): %s", err, out)
	}
}

func TestMergeDeletes(t *testing.T) {
	cases := map[string]string{
		`{"tls": false}`:                                   `{}`,
		`{"tls": false, "debug": true}`:                    `{"debug": true}`,
		`{"debug": true, "tls": false}`:                    `{"debug": true}`,
		"{\n  \"a\": 1,\n  \"tls\": false,\n  \"b\": 2\n}": "{\n  \"a\": 1,\n  \"b\": 2\n}",
	}
	for in, want := range cases {
		out, err := MergeDaemonJSON([]byte(in), []Edit{{Key: "tls", Delete: true}})
		if err != nil || string(out) != want {
			t.Errorf("%s: got %q (err %v), want %q", in, out, err, want)
		}
	}
	out, err := MergeDaemonJSON([]byte(`{"tls": false}`), []Edit{{Key: "tls", Delete: true}, {Key: "tlsverify", Value: true}})
	if err != nil || string(out) != "{\n  \"tlsverify\": true\n}" {
		t.Errorf("delete+add: %q %v", out, err)
	}
}

func TestMergeInvalidJSONReportsPosition(t *testing.T) {
	cases := []struct {
		in         string
		line, col  int
		reasonPart string
	}{
		{"{\n  \"debug\": true,\n}\n", 3, 1, "invalid character"},
		{"{\n  \"a\": 1\n", 3, 1, "unexpected end"},
		{"[1,2]", 1, 1, "object"},
		{"{\"a\":1,\"a\":2}", 1, 8, "twice"},
		{"{\"a\": tru}", 1, 0, "invalid"},
	}
	for _, c := range cases {
		_, err := MergeDaemonJSON([]byte(c.in), tlsEdits())
		var je *JSONError
		if !errors.As(err, &je) {
			t.Fatalf("%q: want *JSONError, got %v", c.in, err)
		}
		if je.Line != c.line || (c.col != 0 && je.Column != c.col) || !strings.Contains(je.Error(), c.reasonPart) {
			t.Errorf("%q: got line %d col %d %q", c.in, je.Line, je.Column, je.Error())
		}
		if !strings.Contains(je.Error(), "never overwrites") {
			t.Errorf("message does not say the file is left alone: %s", je.Error())
		}
	}
}

func TestMergeTabsAndOddIndent(t *testing.T) {
	in := "{\n\t\"debug\": true\n}"
	out, err := MergeDaemonJSON([]byte(in), []Edit{{Key: "tlsverify", Value: true}})
	if err != nil || string(out) != "{\n\t\"debug\": true,\n\t\"tlsverify\": true\n}" {
		t.Errorf("got %q %v", out, err)
	}
	in = `{"debug":true}`
	out, err = MergeDaemonJSON([]byte(in), []Edit{{Key: "tlsverify", Value: true}})
	if err != nil || string(out) != "{\"debug\":true,\n  \"tlsverify\": true}" {
		t.Errorf("got %q %v", out, err)
	}
}

// FuzzMergeDaemonJSON: for any input, merging either refuses with a
// *JSONError or yields valid JSON in which every key it did not edit has
// exactly its old bytes, the edited keys have the wanted values, and a
// second merge changes nothing.
func FuzzMergeDaemonJSON(f *testing.F) {
	for _, s := range []string{"", "{}", `{"tls":false,"hosts":["unix:///var/run/docker.sock"]}`,
		"{\n  \"log-driver\": \"journald\",\n  \"x\": [1, {\"y\": null}]\n}\n", `{"a":"\u00e9","b":1e5}`, "\xef\xbb\xbf{ }", "{\"a\":1,}", "[]", `{"":0}`} {
		f.Add([]byte(s))
	}
	edits := append(tlsEdits(), Edit{Key: "tls", Delete: true})
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := MergeDaemonJSON(in, edits)
		if err != nil {
			var je *JSONError
			if !errors.As(err, &je) {
				t.Fatalf("error is not a *JSONError: %v", err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid output %q from %q", out, in)
		}
		before, err := parseConfig(in)
		if err != nil {
			t.Fatalf("input accepted by merge but not by parseConfig: %v", err)
		}
		after, err := parseConfig(out)
		if err != nil {
			t.Fatalf("output does not parse: %v\n%q", err, out)
		}
		edited := map[string]bool{}
		for _, e := range edits {
			edited[e.Key] = true
		}
		for _, m := range before.Members {
			if edited[m.Key] {
				continue
			}
			got, ok := after.get(m.Key)
			if !ok || string(got.Raw) != string(m.Raw) {
				t.Fatalf("key %q changed: %q -> %q", m.Key, m.Raw, got.Raw)
			}
		}
		for _, e := range edits {
			got, ok := after.get(e.Key)
			if e.Delete {
				if ok {
					t.Fatalf("key %q not deleted", e.Key)
				}
				continue
			}
			if !ok || !sameJSON(got.Raw, e.Value) {
				t.Fatalf("key %q = %q, want %v", e.Key, got.Raw, e.Value)
			}
		}
		if len(after.Members) != len(before.Members)-countDeleted(before, edits)+countAdded(before, edits) {
			t.Fatalf("member count: %d -> %d", len(before.Members), len(after.Members))
		}
		again, err := MergeDaemonJSON(out, edits)
		if err != nil || string(again) != string(out) {
			t.Fatalf("second merge differs: %q vs %q (%v)", out, again, err)
		}
		var v1, v2 any
		_ = json.Unmarshal(out, &v1)
		_ = json.Unmarshal(again, &v2)
		if !reflect.DeepEqual(v1, v2) {
			t.Fatal("second merge changed the data")
		}
	})
}

func countDeleted(d *configDoc, edits []Edit) int {
	n := 0
	for _, e := range edits {
		if _, ok := d.get(e.Key); ok && e.Delete {
			n++
		}
	}
	return n
}

func countAdded(d *configDoc, edits []Edit) int {
	n := 0
	for _, e := range edits {
		if _, ok := d.get(e.Key); !ok && !e.Delete {
			n++
		}
	}
	return n
}

// What editors let through and dockerd refuses: comments and trailing
// commas are normalised away; a file broken otherwise is not.
func TestNormalizeConfig(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"{\n  \"debug\": true,\n}\n", "{\n  \"debug\": true\n}\n", true},
		{"{\n  // on\n  \"tlsverify\": true, /* yes */\n  \"hosts\": [\"fd://\",],\n}\n", "{\n  \"tlsverify\": true,\n  \"hosts\": [\"fd://\" ]\n}\n", true},
		{"\ufeff{\"a\": 1,}", "{\"a\": 1 }\n", true},
		{"{\"a\": 1", "", false},
		{"{\"a\": tru}", "", false},
	}
	for _, c := range cases {
		got, ok := normalizeConfig([]byte(c.in))
		if ok != c.ok || string(got) != c.want {
			t.Errorf("normalizeConfig(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// normalizeConfig must not touch its input: the commit compares the file
// with the bytes Inspect read.
func TestNormalizeConfigLeavesItsInput(t *testing.T) {
	in := []byte("{\n  // c\n  \"a\": 1, /* d */\n}\n")
	keep := string(in)
	if _, ok := normalizeConfig(in); !ok || string(in) != keep {
		t.Fatalf("input changed: %q (ok %v)", in, ok)
	}
}
