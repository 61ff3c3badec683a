package parallel

import (
	"sync"
	"testing"
)

// TestEachRunsEveryJobAndNeverMoreThanTheLimit counts the jobs running at
// once with a barrier-free counter: the maximum seen must not pass the limit.
func TestEachRunsEveryJobAndNeverMoreThanTheLimit(t *testing.T) {
	for _, limit := range []int{1, 2, 5} {
		var mu sync.Mutex
		running, most := 0, 0
		done := make([]bool, 40)
		Each(limit, len(done), func(i int) {
			mu.Lock()
			running++
			most = max(most, running)
			mu.Unlock()
			done[i] = true
			mu.Lock()
			running--
			mu.Unlock()
		})
		if most > limit {
			t.Errorf("limit %d: %d jobs ran at once", limit, most)
		}
		for i, d := range done {
			if !d {
				t.Errorf("limit %d: job %d never ran", limit, i)
			}
		}
	}
}
