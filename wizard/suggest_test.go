package wizard

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/dockertls/dockertls/wizard/plan"
)

// TestSuggestSANsLocal asks this machine for its names with the real
// hostname command: the host name and the loopback names are suggested, and
// every suggestion is a valid SAN.
func TestSuggestSANsLocal(t *testing.T) {
	r := NewRunner(plan.New(), headlessYes{}, Options{})
	defer r.Close()
	got, err := r.SuggestSANs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	for _, want := range []string{host, "localhost", "127.0.0.1"} {
		if !slices.Contains(got, want) {
			t.Errorf("suggestions %v lack %q", got, want)
		}
	}
	for _, s := range got {
		if err := plan.CheckSAN(s); err != nil {
			t.Errorf("suggested %q is not a valid SAN: %v", s, err)
		}
	}
}
