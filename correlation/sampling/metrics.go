package sampling

import (
	"math"
	"sort"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/datasources"
)

// Metrics is what Prometheus answered for /sampling over one range.
type Metrics struct {
	// Requests are the requests per service and step (summed by
	// service), Errors the 5xx among them; Ops the requests per service,
	// method and route. A failed Errors or Ops query is nil.
	Requests, Errors, Ops []datasources.Series
	// Exemplars are the request histogram's; TraceLabels name the labels
	// that hold their trace ID (links.ExemplarTraceID), and at most
	// MaxExemplars are kept per service.
	Exemplars    []datasources.Exemplar
	TraceLabels  []string
	MaxExemplars int
}

// Counted is what the metrics counted for one service.
type Counted struct {
	// Counts has Service, Requests and Errors set; the kept traces are
	// the trace backend's to say.
	Counts ServiceCounts
	// EndsMs are the steps' ends, Requests the count in each (a NaN or
	// infinite point counts 0).
	EndsMs   []int64
	Requests []float64
	// Ops are the requests by operation, named as root spans are: "GET
	// /api/orders/{id}" (method and route).
	Ops map[string]float64
	// ExemplarTraces are the trace IDs of the service's exemplars.
	ExemplarTraces []string
}

// Services are m's counts per service, by service name. A series
// without a service label is no service's.
func (m Metrics) Services() []Counted {
	byService := map[string]*Counted{}
	var names []string
	for _, s := range m.Requests {
		name := s.Labels["service"]
		if name == "" {
			continue
		}
		svc := &Counted{Counts: ServiceCounts{Service: name}}
		for _, pt := range s.Points {
			svc.EndsMs = append(svc.EndsMs, pt.TMs)
			v := pt.V
			if math.IsNaN(v) || math.IsInf(v, 0) {
				v = 0
			}
			svc.Requests = append(svc.Requests, v)
			svc.Counts.Requests += v
		}
		byService[name] = svc
		names = append(names, name)
	}
	sort.Strings(names)
	for _, s := range m.Errors {
		if svc := byService[s.Labels["service"]]; svc != nil {
			for _, pt := range s.Points {
				if !math.IsNaN(pt.V) && !math.IsInf(pt.V, 0) {
					svc.Counts.Errors += pt.V
				}
			}
		}
	}
	for _, s := range m.Ops {
		name, method, route := s.Labels["service"], s.Labels["method"], s.Labels["route"]
		svc := byService[name]
		if svc == nil || method == "" || route == "" {
			continue
		}
		if svc.Ops == nil {
			svc.Ops = map[string]float64{}
		}
		for _, pt := range s.Points {
			if !math.IsNaN(pt.V) && !math.IsInf(pt.V, 0) {
				svc.Ops[method+" "+route] += pt.V
			}
		}
	}
	for _, e := range m.Exemplars {
		svc := byService[e.SeriesLabels["service"]]
		if svc == nil || len(svc.ExemplarTraces) >= m.MaxExemplars {
			continue
		}
		if id, ok := links.ExemplarTraceID(e.Labels, m.TraceLabels); ok {
			svc.ExemplarTraces = append(svc.ExemplarTraces, id)
		}
	}
	out := make([]Counted, 0, len(names))
	for _, name := range names {
		out = append(out, *byService[name])
	}
	return out
}
