package handlers

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Many pages asking for the same map at once start one build; a page after
// the reuse time starts another; another window has its own.
func TestReusedBuildsOncePerKeyAndWhile(t *testing.T) {
	var r reused[int]
	var builds atomic.Int32
	release := make(chan struct{})
	build := func() int { <-release; return int(builds.Add(1)) }
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	first := r.get("a", t0, 15*time.Second, build) // the build is started at t0
	var wg sync.WaitGroup
	got := make([]int, 8)
	for i := range got {
		wg.Go(func() {
			v, err := r.get("a", t0.Add(time.Duration(i)*time.Second), 15*time.Second, build).wait(context.Background())
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	time.Sleep(50 * time.Millisecond) // all eight are waiting on one build
	close(release)
	wg.Wait()
	if v, _ := first.wait(context.Background()); v != 1 {
		t.Fatalf("the first caller got build %d", v)
	}
	for i, v := range got {
		if v != 1 {
			t.Fatalf("caller %d got build %d; builds: %d", i, v, builds.Load())
		}
	}
	if v, _ := r.get("a", t0.Add(14*time.Second), 15*time.Second, build).wait(context.Background()); v != 1 {
		t.Errorf("within the reuse time: build %d", v)
	}
	if v, _ := r.get("a", t0.Add(15*time.Second), 15*time.Second, build).wait(context.Background()); v != 2 {
		t.Errorf("after the reuse time: build %d, want a new one", v)
	}
	if v, _ := r.get("b", t0.Add(15*time.Second), 15*time.Second, build).wait(context.Background()); v != 3 {
		t.Errorf("another key: build %d, want its own", v)
	}
	// A caller that gives up does not wait for the build.
	slow := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.get("c", t0, time.Second, func() int { <-slow; return 0 }).wait(ctx); err == nil {
		t.Error("a cancelled wait returned a value")
	}
	close(slow)
}
