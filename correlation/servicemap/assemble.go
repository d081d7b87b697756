package servicemap

import "strconv"

// Fetched is what each of a map's sources answered when asked (in
// parallel, by the handler), for Assemble to merge. A failure arrives in
// the user's words, "" for none: classifying errors is the handlers'
// business, not this package's.
type Fetched struct {
	// Prometheus is whether Prometheus is configured: without it neither
	// the span nor the service-graph metrics were asked.
	Prometheus bool
	// Names are the metrics asked for, named when Prometheus has none.
	Names Metrics

	// SpanMetrics are the nodes from span metrics, nil when no writer had
	// series; SpanMetricsFrom names the writer that had them ("Tempo
	// metrics-generator: traces_spanmetrics_calls_total").
	SpanMetrics     *Map
	SpanMetricsFrom string
	SpanMetricsErr  string

	// ServiceGraph are the edges from the service graph's metrics.
	ServiceGraph    *Map
	ServiceGraphErr string

	// Jaeger is whether Jaeger's dependencies were asked.
	Jaeger          bool
	Dependencies    *Map
	DependenciesErr string

	// Sample is the map of Sampled traces from SampleFrom (a backend's
	// display name), at most PerSlice from each tenth of the range.
	Sample     *Map
	Sampled    int
	SampleFrom string
	PerSlice   int
	SampleErr  string
}

// Assemble merges f's sources from the most preferred down: span metrics
// for the nodes, service-graph metrics, then Jaeger's dependencies, then
// the trace sample for the edges (and for the nodes when no metrics
// answered). A source that failed or has nothing says so in
// Source.Problems and the others still draw.
func Assemble(f Fetched) *Map {
	m := &Map{}
	src := &m.Source
	problem := func(text string) { src.Problems = append(src.Problems, text) }
	switch {
	case !f.Prometheus:
		problem("Prometheus is not configured: no span or service-graph metrics.")
	case f.SpanMetricsErr != "":
		problem("Span metrics from Prometheus: " + f.SpanMetricsErr)
	case f.SpanMetrics == nil:
		problem("Prometheus has no span metrics (" + spanMetricNames(f.Names) + ").")
	default:
		m.Merge(f.SpanMetrics)
		src.Nodes = append(src.Nodes, "span metrics ("+f.SpanMetricsFrom+")")
	}
	switch {
	case !f.Prometheus:
	case f.ServiceGraphErr != "":
		problem("Service-graph metrics from Prometheus: " + f.ServiceGraphErr)
	case f.ServiceGraph == nil || len(f.ServiceGraph.Edges) == 0:
		problem("Prometheus has no service-graph metrics (" + f.Names.ServiceGraph.Requests + ").")
	default:
		m.Merge(f.ServiceGraph)
		src.Edges = append(src.Edges, "service-graph metrics ("+f.Names.ServiceGraph.Requests+")")
	}
	switch {
	case !f.Jaeger:
	case f.DependenciesErr != "":
		problem("Jaeger's dependencies: " + f.DependenciesErr)
	case f.Dependencies != nil && len(f.Dependencies.Edges) > 0:
		m.Merge(f.Dependencies)
		src.Edges = append(src.Edges, "Jaeger's dependencies (call rates)")
	}
	if f.SampleErr != "" {
		problem("The trace sample: " + f.SampleErr)
	}
	if f.Sampled > 0 {
		if f.Sample != nil {
			m.Merge(f.Sample)
		}
		src.SampleTraces = f.Sampled
		what := "a sample of " + strconv.Itoa(f.Sampled) + " traces from " + f.SampleFrom + ", " + "up to " + strconv.Itoa(f.PerSlice) + " from each tenth of the range"
		src.Edges = append(src.Edges, what)
		if len(src.Nodes) == 0 {
			src.Nodes = append(src.Nodes, what)
		}
	}
	return m
}

// spanMetricNames are the span-metrics writers' call counters, as the
// page names what it looked for.
func spanMetricNames(cfg Metrics) string {
	s := ""
	for i, sm := range cfg.SpanMetrics {
		if i > 0 {
			s += " or "
		}
		s += sm.Calls
	}
	return s
}
