package wizard

import (
	"context"
	"fmt"
	"testing"
)

// TestDistributeReportsProgress: distribute tells the TUI's progress bar
// how many of the files to write are written (both hosts, through the real
// shell), never more than the total; a run with nothing to copy reports
// no progress.
func TestDistributeReportsProgress(t *testing.T) {
	dir := t.TempDir()
	plan := fmt.Sprintf("ca: {key: ecdsa-p256}\ndaemon: {ssh: local, key: ecdsa-p256, cert_dir: %[1]s/daemon-tls}\nclient: {key: ecdsa-p256, cert_dir: %[1]s/client}\n", dir)
	p := loadPlanText(t, dir, plan)
	r := NewRunner(p, headlessYes{}, Options{Yes: true})
	defer r.Close()
	ctx := context.Background()
	if err := r.Run(ctx, []StepName{StepCA, StepDaemonCert, StepClientCert}, nil); err != nil {
		t.Fatal(err)
	}
	progress := func() []Event {
		t.Helper()
		var evs []Event
		if err := r.Apply(ctx, StepDistribute, func(e Event) {
			if e.Kind == EventProgress {
				evs = append(evs, e)
			}
		}); err != nil {
			t.Fatal(err)
		}
		return evs
	}
	evs := progress()
	if len(evs) == 0 {
		t.Fatal("distribute reported no progress")
	}
	last := -1
	for _, e := range evs {
		if e.Total != 6 || e.Done < last || e.Done > e.Total {
			t.Errorf("progress %d of %d after %d (want of 6, never backwards): %q", e.Done, e.Total, last, e.Message)
		}
		last = e.Done
	}
	if last != 6 {
		t.Errorf("the last progress says %d of 6 files", last)
	}
	if again := progress(); len(again) != 0 {
		t.Errorf("nothing to copy, yet progress: %+v", again)
	}
}
