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
	// Spans are summed by service (an index, see serviceOf) and then by
	// name in that service's own map: one string to hash per span (most
	// of this pass on a large trace), and none when a span has the
	// service and name of the one before (a sibling group).
	services = make([]OpStats, len(t.Services))
	for j, s := range t.Services {
		services[j].Service = s
	}
	byName := make([]map[string]int32, len(t.Services))
	add := func(x *OpStats, nd *Node) {
		x.Spans++
		x.TotalNs += nd.EndNs() - nd.StartNs()
		x.SelfNs += nd.SelfNs
		if nd.Span.Status == datasources.StatusError {
			x.Errors++
		}
	}
	// Spans in the order they lie in memory (the sums do not depend on
	// it): read in depth-first order, each span and its name was a cache
	// miss, most of this pass.
	lastSvc, lastOp, lastName := int32(-1), int32(0), ""
	for si := range t.Trace.Spans {
		i := t.nodeOf[si]
		nd := &t.Nodes[i]
		svc, name := t.serviceOf[i], t.Trace.Spans[si].Name
		if svc != lastSvc || name != lastName {
			ops := byName[svc]
			if ops == nil {
				ops = map[string]int32{}
				byName[svc] = ops
			}
			j, ok := ops[name]
			if !ok {
				j = int32(len(operations))
				ops[name] = j
				operations = append(operations, OpStats{Service: t.Services[svc], Operation: name})
			}
			lastSvc, lastOp, lastName = svc, j, name
		}
		add(&operations[lastOp], nd)
		add(&services[svc], nd)
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
	// Services are indexes (serviceOf): a span of its parent's service,
	// every span of a one-service trace, costs a comparison, and a call
	// between services one look-up of a number.
	idx := map[uint64]int{}
	layers := make([]int, len(t.Services))
	for j := range layers {
		layers[j] = -1
	}
	// A service's layer: one more than its caller's, first seen in
	// depth-first order; roots' services are layer 0.
	for i := range t.Nodes {
		nd := &t.Nodes[i]
		s := t.serviceOf[i]
		l := 0
		if nd.Parent >= 0 {
			ps := t.serviceOf[nd.Parent]
			if ps == s {
				continue // its layer is set: the parent came first
			}
			l = layers[ps] + 1
			k := uint64(ps)<<32 | uint64(s)
			j, ok := idx[k]
			if !ok {
				j = len(edges)
				idx[k] = j
				edges = append(edges, ServiceEdge{From: t.Services[ps], To: t.Services[s]})
			}
			edges[j].Calls++
			if nd.Span.Status == datasources.StatusError {
				edges[j].Errors++
			}
		}
		if layers[s] < 0 || l < layers[s] {
			layers[s] = l
		}
	}
	// Every service has its layer by now: its first node is a root or
	// the child of another service's.
	layer = make(map[string]int, len(t.Services))
	for j, s := range t.Services {
		layer[s] = layers[j]
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
