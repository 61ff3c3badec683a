package wizard

import (
	"context"
	"fmt"
)

// pending is a step whose implementation has not landed yet; it fails
// loudly instead of pretending. TEMPORARY: replaced step by step.
type pending StepName

func (p pending) Name() StepName { return StepName(p) }
func (p pending) Check(ctx context.Context, s *Session) []Finding {
	return []Finding{{Step: StepName(p), Status: StatusFail, Code: "not-built", Message: "this step is not built yet"}}
}
func (p pending) Describe(ctx context.Context, s *Session) (Description, error) {
	return Description{Step: StepName(p), Title: StepTitle(StepName(p))}, nil
}
func (p pending) Apply(ctx context.Context, s *Session, emit func(Event)) error {
	return fmt.Errorf("step %s is not built yet", p)
}

type daemonConfigStep struct{ pending }
type clientEnvStep struct{ pending }
type verifyStep struct{ pending }
