package wizard

import (
	"context"
	"crypto"

	"github.com/dockertls/dockertls/pki"
)

// RSA-4096 keys take seconds each. The TUI knows the plan's key types long
// before the user confirms the first PKI step, so it asks the engine to
// generate them meanwhile (ui.Prewarmer). The keys stay in memory: a step
// takes its key when it runs and only then writes it; a key whose type the
// plan no longer names is dropped.

// Prewarm starts generating, in the background, the keys the PKI steps will
// need for the plan as it stands (the CA's when there is none yet, the
// daemon's and the client's unless their certificates are fine). It returns
// at once; calling it again while keys are being generated does nothing.
// Safe for concurrent use.
func (r *Runner) Prewarm(ctx context.Context) { r.session.prewarmKeys(ctx) }

// prewarmKeys is Prewarm on the session.
func (s *Session) prewarmKeys(ctx context.Context) {
	s.mu.Lock()
	if s.warming != nil {
		s.mu.Unlock()
		return
	}
	done := make(chan struct{})
	s.warming = done
	s.mu.Unlock()
	wants, err := s.keyWants(StepCA, false)
	if err != nil || len(wants) == 0 {
		s.finishWarming(done, nil, nil)
		return
	}
	go func() {
		types := make([]pki.KeyType, len(wants))
		for i, w := range wants {
			types[i] = w.kt
		}
		keys, err := pki.GenerateKeys(types...)
		if err != nil || ctx.Err() != nil {
			keys = nil // the steps generate their own
		}
		s.finishWarming(done, wants, keys)
	}()
}

// finishWarming keeps the generated keys (unless a step got one meanwhile)
// and releases whoever waits for them.
func (s *Session) finishWarming(done chan struct{}, wants []keyWant, keys []crypto.Signer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if keys != nil {
		if s.keys == nil {
			s.keys = map[StepName]crypto.Signer{}
		}
		for i, w := range wants {
			if _, have := s.keys[w.step]; !have {
				s.keys[w.step] = keys[i]
			}
		}
	}
	s.warming = nil
	close(done)
}

// waitWarming waits until keys being prewarmed are ready, so a step uses
// them instead of generating a second set.
func (s *Session) waitWarming(ctx context.Context) error {
	s.mu.Lock()
	w := s.warming
	s.mu.Unlock()
	if w == nil {
		return nil
	}
	select {
	case <-w:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
