// Package parallel runs independent jobs with a bound on how many run at
// once.
package parallel

import (
	"runtime"
	"sync"
)

// Each calls fn(i) for every i in [0, count), at most limit at a time
// (limit < 1: one per core), and returns when all have returned. Jobs
// report their own outcome (into a slice by i): one failing never stops
// the others.
func Each(limit, count int, fn func(i int)) {
	if limit < 1 {
		limit = runtime.GOMAXPROCS(0)
	}
	slots := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range count {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			fn(i)
		})
	}
	wg.Wait()
}
