package wizard

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dockertls/dockertls/remote"
)

// poolHost is a stand-in connection: only Name and Close are called.
type poolHost struct {
	remote.Host
	closed *atomic.Int32
}

func (h poolHost) Name() string { return "test" }
func (h poolHost) Close() error { h.closed.Add(1); return nil }

// TestHostPoolConnectsEachHostOnce: eight daemons of a fleet asking for the
// same host at once get one connection; a failed attempt is not kept, so a
// retry connects; close closes each connection once.
func TestHostPoolConnectsEachHostOnce(t *testing.T) {
	var pool hostPool
	var opens, closed atomic.Int32
	open := func() (remote.Host, error) {
		opens.Add(1)
		return poolHost{closed: &closed}, nil
	}
	var wg sync.WaitGroup
	got := make([]remote.Host, 8)
	for i := range got {
		wg.Go(func() {
			h, err := pool.get("ubuntu@node3:22", open)
			if err != nil {
				t.Error(err)
			}
			got[i] = h
		})
	}
	wg.Wait()
	if opens.Load() != 1 {
		t.Fatalf("8 sessions asking for one host opened %d connections, want 1", opens.Load())
	}
	if _, err := pool.get("ubuntu@node4:22", func() (remote.Host, error) { return nil, errors.New("refused") }); err == nil {
		t.Fatal("a failed connection was not reported")
	}
	if _, err := pool.get("ubuntu@node4:22", open); err != nil || opens.Load() != 2 {
		t.Fatalf("the retry after a failure: %v, %d opens, want a new connection", err, opens.Load())
	}
	if err := pool.close(); err != nil || closed.Load() != 2 {
		t.Fatalf("close: %v, %d closed, want both connections closed once", err, closed.Load())
	}
}
