package trace

import (
	"sort"
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
)

// OpStats sums the spans of one service, or of one operation (service and
// span name) within it.
type OpStats struct {
	Service   string
	Operation string // "" for a whole service
	Spans     int
	Errors    int
	TotalNs   int64
	SelfNs    int64
}

// Stats returns per-service and per-operation figures, each sorted by
// total time, largest first.
func (t *TraceTree) Stats() (services, operations []OpStats) {
	// Spans are summed by resource and name first, and resources of one
	// service merged after: a pointer and one string to hash for every
	// span, not a service, then a service and a name (most of this pass
	// on a large trace).
	type key struct {
		res  *datasources.Resource
		name string
	}
	at := map[key]int32{}
	var sums []OpStats
	for i := range t.Nodes {
		nd := &t.Nodes[i]
		k := key{nd.Span.Resource, nd.Span.Name}
		j, ok := at[k]
		if !ok {
			j = int32(len(sums))
			at[k] = j
			sums = append(sums, OpStats{Service: nd.Span.Service(), Operation: nd.Span.Name})
		}
		x := &sums[j]
		x.Spans++
		x.TotalNs += nd.EndNs() - nd.StartNs()
		x.SelfNs += nd.SelfNs
		if nd.Span.Status == datasources.StatusError {
			x.Errors++
		}
	}
	svc := map[string]*OpStats{}
	ops := map[[2]string]*OpStats{}
	for _, x := range sums {
		a := svc[x.Service]
		if a == nil {
			a = &OpStats{Service: x.Service}
			svc[x.Service] = a
		}
		b := ops[[2]string{x.Service, x.Operation}]
		if b == nil {
			b = &OpStats{Service: x.Service, Operation: x.Operation}
			ops[[2]string{x.Service, x.Operation}] = b
		}
		for _, y := range []*OpStats{a, b} {
			y.Spans += x.Spans
			y.Errors += x.Errors
			y.TotalNs += x.TotalNs
			y.SelfNs += x.SelfNs
		}
	}
	for _, v := range svc {
		services = append(services, *v)
	}
	for _, v := range ops {
		operations = append(operations, *v)
	}
	byTotal := func(s []OpStats) {
		sort.Slice(s, func(i, j int) bool {
			if s[i].TotalNs != s[j].TotalNs {
				return s[i].TotalNs > s[j].TotalNs
			}
			return s[i].Service+"\x00"+s[i].Operation < s[j].Service+"\x00"+s[j].Operation
		})
	}
	byTotal(services)
	byTotal(operations)
	return services, operations
}

// ServiceEdge is "From called To": Calls counts spans of To whose parent
// belongs to From, Errors those of them that failed.
type ServiceEdge struct {
	From, To      string
	Calls, Errors int
}

// ServiceGraph returns who called whom in this trace, with each service's
// layer (its smallest depth in the service call chain) for drawing.
func (t *TraceTree) ServiceGraph() (edges []ServiceEdge, layer map[string]int) {
	idx := map[[2]string]int{}
	layer = map[string]int{}
	// A service's layer: one more than its caller's, first seen in
	// depth-first order; roots' services are layer 0.
	for i := range t.Nodes {
		nd := &t.Nodes[i]
		s := nd.Span.Service()
		l := 0
		if nd.Parent >= 0 {
			ps := t.Nodes[nd.Parent].Span.Service()
			if ps == s {
				// Its parent's service, whose layer is already set (the
				// parent came first): no look-up for such a span, which
				// is every span of a one-service trace.
				continue
			}
			l = layer[ps] + 1
			k := [2]string{ps, s}
			j, ok := idx[k]
			if !ok {
				j = len(edges)
				idx[k] = j
				edges = append(edges, ServiceEdge{From: ps, To: s})
			}
			edges[j].Calls++
			if nd.Span.Status == datasources.StatusError {
				edges[j].Errors++
			}
		}
		if old, ok := layer[s]; !ok || l < old {
			layer[s] = l
		}
	}
	return edges, layer
}

// SpanTitle reads a span the way an engineer would say it: an HTTP span as
// "GET /api/orders/{id} → 500", a database span as "postgresql SELECT
// inventory"; otherwise its name.
func SpanTitle(s *datasources.Span) string {
	attr := func(keys ...string) string {
		for _, k := range keys {
			if v, ok := s.Attr(k); ok && v != "" {
				return v
			}
		}
		return ""
	}
	if method := attr("http.request.method", "http.method"); method != "" {
		target := attr("http.route", "url.template", "url.path", "http.target")
		if target == "" {
			target = strings.TrimSpace(strings.TrimPrefix(s.Name, method))
		}
		title := method
		if target != "" {
			title += " " + target
		}
		if code := attr("http.response.status_code", "http.status_code"); code != "" {
			title += " → " + code
		}
		return title
	}
	if db := attr("db.system", "db.system.name"); db != "" && !strings.HasPrefix(strings.ToLower(s.Name), db) {
		return db + " " + s.Name
	}
	return s.Name
}

// Statement is a span's database statement, if it has one.
func Statement(s *datasources.Span) string {
	for _, k := range []string{"db.query.text", "db.statement"} {
		if v, ok := s.Attr(k); ok {
			return v
		}
	}
	return ""
}
