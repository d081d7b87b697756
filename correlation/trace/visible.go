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
	parts := 1
	if len(spans) >= parallelSpans {
		parts = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for p := range parts {
		chunk := spans[p*len(spans)/parts : (p+1)*len(spans)/parts]
		wg.Go(func() {
			for i := range chunk {
				visibleSpan(&chunk[i])
			}
		})
	}
	wg.Wait()
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

// parallelSpans is where sharing makeVisible out pays for its goroutines:
// at 4,000 spans the pass takes about a millisecond, a goroutine
// microseconds, and a 10,000-span page is a few milliseconds sooner.
const parallelSpans = 4_000

func visibleSpan(s *datasources.Span) {
	s.Name = text.Visible(s.Name)
	s.StatusMsg = text.Visible(s.StatusMsg)
	s.Scope = text.Visible(s.Scope)
	for j := range s.Events {
		s.Events[j].Name = text.Visible(s.Events[j].Name)
		visibleAttrs(s.Events[j].Attributes)
	}
	for j := range s.Links {
		visibleAttrs(s.Links[j].Attributes)
	}
}

func visibleAttrs(as []datasources.Attribute) {
	for i := range as {
		as[i].Key = text.Visible(as[i].Key)
		as[i].Value = text.Visible(as[i].Value)
	}
}
