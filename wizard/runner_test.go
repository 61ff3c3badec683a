package wizard

import (
	"context"
	"errors"
	"testing"

	"github.com/dockertls/dockertls/wizard/plan"
	"github.com/dockertls/dockertls/wizard/probe"
)

// recordingStep is a fake step for the runner's own logic (order, stop at
// the first failure, events); the real steps have their own tests.
type recordingStep struct {
	name StepName
	log  *[]StepName
	err  error
	kind EventKind // what it emits on success (0: nothing, the runner adds Done)
}

func (r recordingStep) Name() StepName                            { return r.name }
func (r recordingStep) Check(context.Context, *Session) []Finding { return nil }
func (r recordingStep) Describe(context.Context, *Session) (Description, error) {
	return Description{Step: r.name}, nil
}
func (r recordingStep) Apply(ctx context.Context, s *Session, emit func(Event)) error {
	*r.log = append(*r.log, r.name)
	if r.err == nil && r.kind != EventStart {
		emit(Event{Kind: r.kind, Message: "x"})
	}
	return r.err
}

func TestRunnerOrderStopAndEvents(t *testing.T) {
	var log []StepName
	boom := errors.New("boom")
	steps := []Step{
		recordingStep{name: StepCA, log: &log, kind: EventSkipped},
		recordingStep{name: StepDaemonCert, log: &log},
		recordingStep{name: StepClientCert, log: &log, err: boom},
		recordingStep{name: StepDistribute, log: &log},
	}
	r := newRunnerWith(NewSession(plan.New(), nil, Options{}), steps)
	var events []Event
	err := r.Run(context.Background(), []StepName{StepDistribute, StepClientCert, StepCA, StepDaemonCert, StepCA}, func(e Event) { events = append(events, e) })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	want := []StepName{StepCA, StepDaemonCert, StepClientCert}
	if len(log) != len(want) {
		t.Fatalf("ran %v, want %v (in order, once each, stopping at the failure)", log, want)
	}
	for i := range want {
		if log[i] != want[i] {
			t.Fatalf("ran %v, want %v", log, want)
		}
	}
	var kinds []EventKind
	for _, e := range events {
		kinds = append(kinds, e.Kind)
		if e.Step == "" {
			t.Errorf("event without a step: %+v", e)
		}
	}
	wantKinds := []EventKind{EventStart, EventSkipped, EventStart, EventDone, EventStart, EventFailed}
	if len(kinds) != len(wantKinds) {
		t.Fatalf("events %v, want %v", kinds, wantKinds)
	}
	for i := range wantKinds {
		if kinds[i] != wantKinds[i] {
			t.Fatalf("events %v, want %v", kinds, wantKinds)
		}
	}
	if last := events[len(events)-1]; !errors.Is(last.Err, boom) || last.Step != StepClientCert {
		t.Errorf("the failure event does not carry the error: %+v", last)
	}
}

func TestFixRunsFromTheFirstFailingStep(t *testing.T) {
	var log []StepName
	var steps []Step
	for _, n := range StepNames() {
		steps = append(steps, recordingStep{name: n, log: &log})
	}
	r := newRunnerWith(NewSession(plan.New(), nil, Options{}), steps)
	findings := []Finding{{Step: StepCA, Status: StatusOK}, {Step: StepDistribute, Status: StatusFail}, {Step: StepVerify, Status: StatusFail}, {Step: StepClientCert, Status: StatusWarn}}
	if got := Failing(findings); len(got) != 2 || got[0] != StepDistribute || got[1] != StepVerify {
		t.Fatalf("Failing = %v", got)
	}
	if err := r.Fix(context.Background(), findings, nil); err != nil {
		t.Fatal(err)
	}
	want := []StepName{StepDistribute, StepDaemonConfig, StepClientEnv, StepVerify}
	if len(log) != len(want) {
		t.Fatalf("fixed %v, want %v", log, want)
	}
	log = nil
	if err := r.Fix(context.Background(), findings[:1], nil); err != nil || len(log) != 0 {
		t.Errorf("nothing failing: ran %v, err %v", log, err)
	}
}

func TestPrinterOneLinePerStep(t *testing.T) {
	var b []byte
	w := writerFunc(func(p []byte) (int, error) { b = append(b, p...); return len(p), nil })
	pr := NewPrinter(w, nil)
	pr(Event{Step: StepDistribute, Kind: EventStart})
	pr(Event{Step: StepDistribute, Kind: EventInfo, Message: "node3: wrote a"})
	pr(Event{Step: StepDistribute, Kind: EventProgress, Message: "noise"})
	pr(Event{Step: StepDistribute, Kind: EventDone, Message: "copied"})
	pr(Event{Step: StepVerify, Kind: EventInfo, Message: "report", Report: &probe.Report{}})
	pr(Event{Step: StepVerify, Kind: EventFailed, Err: errors.New("refused")})
	want := "✓ distribute    copied\n    node3: wrote a\n✗ verify        refused\n"
	if string(b) != want {
		t.Errorf("printed\n%q\nwant\n%q", b, want)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
