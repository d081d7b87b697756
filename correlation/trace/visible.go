package trace

import (
	"runtime"
	"sync"

	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// makeVisible is the tree's first pass: every text a span carries (name,
// status message, events, links, its resource) gets its invisible
// characters shown (text.Visible), so no page that draws a span can be
// fooled by a right-to-left override or a zero-width character in a span
// name. The span's own attributes are shown so as they are read
// (datasources.Span.Attributes). It rewrites the trace in place; a string is
// only replaced when it changes, which is almost never.
func makeVisible(tr *datasources.Trace) {
	spans := tr.Spans
	// A huge trace's spans are shared out among the cores (each span is
	// rewritten by one goroutine only); their resources, shared between
	// spans, are done once each afterwards.
	inShares(len(spans), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			visibleSpan(&spans[i])
		}
	})
	seen := map[*datasources.Resource]bool{}
	var last *datasources.Resource
	for i := range spans {
		if r := spans[i].Resource; r != nil && r != last && !seen[r] {
			seen[r] = true
			r.Service = text.Visible(r.Service)
			visibleAttrs(r.Attributes)
		}
		last = spans[i].Resource
	}
}

// parallelSpans is where sharing a pass over every span out pays for its
// goroutines: at 4,000 spans makeVisible takes about a millisecond, a
// goroutine microseconds, and a 10,000-span page is a few milliseconds
// sooner.
const parallelSpans = 4_000

// inShares calls fn over [0, n) cut into one contiguous share per core,
// from parallelSpans on (below it, once over all), and waits for them.
func inShares(n int, fn func(lo, hi int)) {
	parts := 1
	if n >= parallelSpans {
		parts = runtime.GOMAXPROCS(0)
	}
	if parts == 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*n/parts, (p+1)*n/parts
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}

func visibleSpan(s *datasources.Span) {
	s.Name = text.Visible(s.Name)
	s.Scope = text.Visible(s.Scope)
	d := s.Details
	if d == nil {
		return
	}
	d.StatusMsg = text.Visible(d.StatusMsg)
	for j := range d.Events {
		d.Events[j].Name = text.Visible(d.Events[j].Name)
		visibleAttrs(d.Events[j].Attributes)
	}
	for j := range d.Links {
		visibleAttrs(d.Links[j].Attributes)
	}
}

func visibleAttrs(as []datasources.Attribute) {
	for i := range as {
		as[i].Key = text.Visible(as[i].Key)
		as[i].Value = text.Visible(as[i].Value)
	}
}
