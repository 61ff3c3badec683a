package wizard

import (
	"context"
	"slices"

	"github.com/dockertls/dockertls/wizard/daemon"
)

// Looking at the daemon node (package daemon's Inspect) takes two commands
// over SSH, a few hundred milliseconds with sudo. It does not depend on the
// certificates, so a run that includes daemon-config after other steps
// starts it at once, in parallel with key generation and distribution, and
// daemon-config plans from it.

// nodeFuture is an Inspect running in the background.
type nodeFuture struct {
	done chan struct{}
	node *daemon.Node
	err  error
}

// prefetchDaemon starts inspecting the daemon node when the run will reach
// daemon-config after other steps. wait blocks until the inspection ended
// (so no goroutine outlives the run).
func (s *Session) prefetchDaemon(ctx context.Context, order []StepName) (wait func()) {
	i := slices.Index(order, StepDaemonConfig)
	if i <= 0 {
		return func() {}
	}
	f := &nodeFuture{done: make(chan struct{})}
	s.mu.Lock()
	s.prefetch = f
	s.mu.Unlock()
	go func() {
		defer close(f.done)
		h, err := s.DaemonHost(ctx)
		if err != nil {
			f.err = err
			return
		}
		set, err := s.daemonSettings(ctx, h)
		if err != nil {
			f.err = err
			return
		}
		f.node, f.err = daemon.Inspect(ctx, h, set)
	}()
	return func() {
		<-f.done
		s.mu.Lock()
		if s.prefetch == f {
			s.prefetch = nil
		}
		s.mu.Unlock()
	}
}

// takePrefetched returns the node inspected in the background, once; nil
// when there is none or it failed (the caller then inspects itself).
func (s *Session) takePrefetched(ctx context.Context) *daemon.Node {
	s.mu.Lock()
	f := s.prefetch
	s.prefetch = nil
	s.mu.Unlock()
	if f == nil {
		return nil
	}
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil
	}
	if f.err != nil {
		return nil
	}
	return f.node
}
