package handlers

import (
	"slices"
	"sync"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/trace"
)

// recentTraces keeps the traces pages were just rendered from, for the
// fragments those pages' scripts ask for next (a window of rows, a Find,
// a span's details, a fold): without it each scroll of a 100,000-span
// trace would fetch and decode the whole trace again. A full page load
// always asks the backend and refreshes the entry, so a trace still
// receiving spans is never shown stale for longer than one fragment. The
// zero value is ready to use.
type recentTraces struct {
	mu      sync.Mutex
	entries map[string]recentTrace
	order   []string // insertion order, for eviction
	spans   int
	// maxSpans bounds the spans held, recentTracesMaxSpans when zero.
	maxSpans int
}

// recentTrace is a trace as its page arranged it (trees are read-only
// once built, so requests share them).
type recentTrace struct {
	tree *trace.TraceTree
	skew bool // the tree was built with skew adjustment
	from TraceBackend
	at   time.Time
}

const (
	// recentTracesMaxSpans bounds what the cache holds (≈ 1.25 KB a span
	// live): one trace of a million spans, a few large ones, or many small
	// ones. A million-span trace's fragments (a click, the next rows)
	// would otherwise each fetch and arrange it anew: seconds.
	recentTracesMaxSpans = 1_000_000
	// recentTraceTTL is how long a fragment may reuse a page's trace.
	recentTraceTTL = 2 * time.Minute
)

func (c *recentTraces) get(key string, skew bool, now time.Time) (*trace.TraceTree, TraceBackend, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.skew != skew || now.Sub(e.at) > recentTraceTTL {
		return nil, TraceBackend{}, false
	}
	return e.tree, e.from, true
}

// drop forgets key's trace: a page about to fetch it anew drops the copy
// it replaces first, so that a reload of a million-span trace does not
// hold two (and the collector, running meanwhile, does not mark the old).
func (c *recentTraces) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		c.spans -= len(old.tree.Nodes)
		delete(c.entries, key)
		c.order = slices.DeleteFunc(c.order, func(k string) bool { return k == key })
	}
}

func (c *recentTraces) put(key string, tree *trace.TraceTree, skew bool, from TraceBackend, now time.Time) {
	n, limit := len(tree.Nodes), c.maxSpans
	if limit == 0 {
		limit = recentTracesMaxSpans
	}
	if n > limit {
		// Not even alone: fragments fetch it anew.
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]recentTrace{}
	}
	e := recentTrace{tree: tree, skew: skew, from: from, at: now}
	if old, ok := c.entries[key]; ok {
		c.spans += n - len(old.tree.Nodes)
		c.entries[key] = e
		return
	}
	for c.spans+n > limit && len(c.order) > 0 {
		k := c.order[0]
		c.order = c.order[1:]
		if old, ok := c.entries[k]; ok {
			c.spans -= len(old.tree.Nodes)
			delete(c.entries, k)
		}
	}
	c.entries[key] = e
	c.order = append(c.order, key)
	c.spans += n
}
