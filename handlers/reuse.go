package handlers

import (
	"context"
	"sync"
	"time"
)

// reused hands every caller asking for the same key within a while the
// same result: one build runs, those who ask while it runs wait for it,
// and those who ask later get what it gave. The service map uses it: the
// on-call home is opened by many people at once and reloaded often, and
// one map costs dozens of backend searches and up to a hundred trace
// fetches. The zero value is ready to use.
type reused[T any] struct {
	mu sync.Mutex
	m  map[string]*future[T]
}

// future is a result being built; done closes when v is set.
type future[T any] struct {
	done chan struct{}
	v    T
	at   time.Time
}

func (f *future[T]) wait(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// reusedMax bounds the results kept: keys are windows, and a few are in
// use at a time.
const reusedMax = 32

// get returns key's future, started by build in the background when there
// is none younger than ttl. build must not depend on one request: it runs
// on for whoever else waits when the request that started it is gone.
func (r *reused[T]) get(key string, now time.Time, ttl time.Duration, build func() T) *future[T] {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f, ok := r.m[key]; ok && now.Sub(f.at) < ttl {
		return f
	}
	if r.m == nil {
		r.m = map[string]*future[T]{}
	}
	for k, f := range r.m {
		if now.Sub(f.at) >= ttl || len(r.m) >= reusedMax {
			delete(r.m, k)
		}
	}
	f := &future[T]{done: make(chan struct{}), at: now}
	r.m[key] = f
	go func() {
		defer close(f.done)
		f.v = build()
	}()
	return f
}
