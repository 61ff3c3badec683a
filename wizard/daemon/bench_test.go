package daemon

import "testing"

// BenchmarkMergeDaemonJSON merges the TLS keys into a typical daemon.json.
func BenchmarkMergeDaemonJSON(b *testing.B) {
	in := []byte("{\n" + otherSettings + ",\n    \"hosts\": [\"unix:///var/run/docker.sock\"]\n}\n")
	edits := tlsEdits()
	for b.Loop() {
		if _, err := MergeDaemonJSON(in, edits); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan plans the change for the stock node (merge, drop-in, diff).
func BenchmarkPlan(b *testing.B) {
	n := stockNode()
	n.Config = FileState{Path: DefaultConfigPath, Exists: true, Data: []byte("{\n" + otherSettings + "\n}\n")}
	for b.Loop() {
		if _, err := Plan(n, Settings{}); err != nil {
			b.Fatal(err)
		}
	}
}
