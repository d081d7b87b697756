package sampling

import "sort"

// OperationCounts is one root operation of a service over a range: the
// requests the metrics measured for it and the kept traces it is the
// root of. Per operation is how adaptive sampling decides: each
// operation's kept traces per second follow a target whatever its
// requests do.
type OperationCounts struct {
	Operation string
	// Requests is -1 when no metric series names the operation.
	Requests float64
	Kept     int
}

// Operations pairs a service's kept traces, by root operation, with the
// metrics' requests by operation ("GET /api/orders/{id}": method and
// route, as the root span is named). Only a service that is the root of
// some kept trace has operations: the metrics' operations of a service
// that starts no kept trace are not roots. Busiest first (requests, then
// kept, then name).
func Operations(kept map[string]int, requests map[string]float64) []OperationCounts {
	if len(kept) == 0 {
		return nil
	}
	byOp := map[string]*OperationCounts{}
	get := func(op string) *OperationCounts {
		if o := byOp[op]; o != nil {
			return o
		}
		o := &OperationCounts{Operation: op, Requests: -1}
		byOp[op] = o
		return o
	}
	for op, n := range kept {
		get(op).Kept = n
	}
	for op, n := range requests {
		get(op).Requests = n
	}
	out := make([]OperationCounts, 0, len(byOp))
	for _, o := range byOp {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Requests != b.Requests:
			return a.Requests > b.Requests
		case a.Kept != b.Kept:
			return a.Kept > b.Kept
		}
		return a.Operation < b.Operation
	})
	return out
}
