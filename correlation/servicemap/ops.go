package servicemap

import (
	"cmp"
	"slices"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Operation is one span name of a service and its RED.
type Operation struct {
	Name string
	RED  RED
}

// Operations are a service's operations from its nodes (FromNodeMetrics
// grouped by span name: each node is an operation).
func Operations(m *Map) []Operation {
	out := make([]Operation, len(m.Nodes))
	for i, n := range m.Nodes {
		out[i] = Operation{Name: n.Name, RED: n.RED}
	}
	return out
}

// OperationsFromTraces are service's operations measured on a sample of
// its traces: every span of the service (not only its entry spans: a slow
// query inside it is an operation worth ranking).
func OperationsFromTraces(traces []*datasources.Trace, service string) []Operation {
	durs := map[string][]float64{}
	failed := map[string]int{}
	var order []string
	for _, tr := range traces {
		if tr == nil {
			continue
		}
		for i := range tr.Spans {
			s := &tr.Spans[i]
			if s.Service() != service {
				continue
			}
			if durs[s.Name] == nil {
				order = append(order, s.Name)
			}
			durs[s.Name] = append(durs[s.Name], float64(s.EndNs-s.StartNs)/1e9)
			if s.Status == datasources.StatusError {
				failed[s.Name]++
			}
		}
	}
	out := make([]Operation, 0, len(order))
	for _, name := range order {
		d := durs[name]
		slices.Sort(d)
		sum := 0.0
		for _, x := range d {
			sum += x
		}
		r := Unknown()
		r.Sampled = len(d)
		r.Errors = float64(failed[name]) / float64(len(d))
		r.P99 = d[max((99*len(d)+99)/100, 1)-1]
		r.Mean = sum / float64(len(d))
		out = append(out, Operation{Name: name, RED: r})
	}
	return out
}

// ByP99 and ByErrors rank operations, worst first (ties by name); unknown
// figures last. Both return a new slice of at most n.
func ByP99(ops []Operation, n int) []Operation {
	return rank(ops, n, func(o Operation) float64 { return o.RED.P99 })
}

func ByErrors(ops []Operation, n int) []Operation {
	out := rank(ops, n*4, func(o Operation) float64 { return o.RED.Errors })
	// An operation that never failed is not an answer to "which fails".
	out = slices.DeleteFunc(out, func(o Operation) bool { return !(o.RED.Errors > 0) })
	return out[:min(n, len(out))]
}

func rank(ops []Operation, n int, key func(Operation) float64) []Operation {
	out := slices.Clone(ops)
	slices.SortStableFunc(out, func(a, b Operation) int {
		ka, kb := key(a), key(b)
		switch {
		case !finite(ka) && !finite(kb):
			return cmp.Compare(a.Name, b.Name)
		case !finite(ka):
			return 1
		case !finite(kb):
			return -1
		}
		return cmp.Or(cmp.Compare(kb, ka), cmp.Compare(a.Name, b.Name))
	})
	return out[:min(n, len(out))]
}
