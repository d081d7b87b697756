package handlers

import (
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/trace"
)

// TestRecentTracesBound: the cache holds at most its bound of spans — one
// trace as large as the whole bound too (a million-span trace's fragments
// must not each fetch it anew), evicting the oldest to make room — and
// nothing larger; entries expire.
func TestRecentTracesBound(t *testing.T) {
	c := &recentTraces{maxSpans: 100}
	now := time.Unix(1_800_000_000, 0)
	tree := func(n int) *trace.TraceTree { return &trace.TraceTree{Nodes: make([]trace.Node, n)} }
	has := func(key string) bool { _, _, ok := c.get(key, false, now); return ok }

	c.put("a", tree(30), false, TraceBackend{}, now)
	c.put("b", tree(30), false, TraceBackend{}, now)
	if !has("a") || !has("b") {
		t.Fatal("small traces not kept")
	}
	c.put("whole", tree(100), false, TraceBackend{}, now)
	if !has("whole") || has("a") || has("b") || c.spans != 100 {
		t.Errorf("a trace of the whole bound: kept %v, a %v, b %v, %d spans held", has("whole"), has("a"), has("b"), c.spans)
	}
	c.put("over", tree(101), false, TraceBackend{}, now)
	if has("over") || !has("whole") {
		t.Errorf("a trace over the bound was kept (%v) or evicted what was there (%v)", has("over"), !has("whole"))
	}
	if _, _, ok := c.get("whole", false, now.Add(recentTraceTTL+time.Second)); ok {
		t.Error("an entry outlived its time")
	}
	if _, _, ok := c.get("whole", true, now); ok {
		t.Error("a tree built without skew adjustment served one that asks for it")
	}
}

// TestRecentTracesDrop: a dropped trace is gone and its spans no longer
// count against the bound, so the next page's trace fits beside the rest.
func TestRecentTracesDrop(t *testing.T) {
	c := &recentTraces{maxSpans: 100}
	now := time.Unix(1_800_000_000, 0)
	tree := func(n int) *trace.TraceTree { return &trace.TraceTree{Nodes: make([]trace.Node, n)} }
	has := func(key string) bool { _, _, ok := c.get(key, false, now); return ok }

	c.put("a", tree(60), false, TraceBackend{}, now)
	c.put("b", tree(40), false, TraceBackend{}, now)
	c.drop("a")
	c.drop("never there")
	if has("a") || !has("b") || c.spans != 40 || len(c.order) != 1 {
		t.Fatalf("after drop: a %v, b %v, %d spans, order %v", has("a"), has("b"), c.spans, c.order)
	}
	c.put("a", tree(60), false, TraceBackend{}, now)
	if !has("a") || !has("b") || c.spans != 100 {
		t.Errorf("the trace put back evicted another (b %v) or was not kept (a %v), %d spans", has("b"), has("a"), c.spans)
	}
}
