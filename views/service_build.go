package views

import (
	"strconv"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/servicemap"
	"github.com/ariadne-dev/ariadne/correlation/text"
)

// ServiceOpsN is how many operations each ranking shows.
const ServiceOpsN = 10

// ServiceView is the page of one service: its links, the panels fill the rest.
type ServiceView struct {
	Name    string // made visible
	Problem string // an invalid name: the page says why (400)
	Logs    string
	Traces  string
	Map     string
	Quality string
}

// BuildService is the page's header of service name over w.
func BuildService(name string, w links.TimeRange, in MapInput) ServiceView {
	v := ServiceView{Name: text.Visible(name), Logs: links.ServiceLogs(name, w), Map: links.Home(w),
		Quality: links.Quality(name, w)}
	if in.TraceQL {
		v.Traces = links.ServiceTraces(name, "", false, w)
	} else {
		v.Traces = links.ServiceTraces(name, in.Backend, false, w)
	}
	return v
}

// ServiceCalls are a service's upstream and downstream edges.
type ServiceCalls struct {
	Health, HealthClass string
	RED                 string
	Up, Down            []ServiceCall
	Note                string
}

// ServiceCall is one edge: the service at its other end and its figures.
type ServiceCall struct {
	Other, OtherURL, Traces, Figures string
	Peer                             bool
}

// BuildServiceCalls lists name's edges on the map.
func BuildServiceCalls(name string, in MapInput) ServiceCalls {
	m := in.Map
	var v ServiceCalls
	n := m.Node(name)
	if n == nil {
		v.Note = "This service made and received no call in this range, as far as the map's sources say."
		return v
	}
	v.Health, v.HealthClass, v.RED = n.Health.Level.Word(), n.Health.Level.Class(), redWords(n.RED)
	if n.Health.Reason != "" {
		v.Health += ": " + n.Health.Reason
	}
	if n.Uninstrumented() {
		v.Health = "emits no telemetry of its own; seen as " + n.Peer.Describe() + " in its callers' client spans"
	}
	call := func(e servicemap.Edge, other string) ServiceCall {
		o := m.Node(other)
		return ServiceCall{Other: text.Visible(other), OtherURL: links.Service(other, in.Window), Traces: CallTraces(m, e, in),
			Figures: redWords(e.RED), Peer: o != nil && o.Uninstrumented()}
	}
	for _, e := range m.Upstream(name) {
		v.Up = append(v.Up, call(e, e.Client))
	}
	for _, e := range m.Downstream(name) {
		v.Down = append(v.Down, call(e, e.Server))
	}
	return v
}

// ServiceOps are a service's operations, ranked twice.
type ServiceOps struct {
	ByP99, ByErrors []ServiceOp
	Source          string
}

// ServiceOp is one row.
type ServiceOp struct {
	Name, Traces               string
	Rate, Errors, P99, Mean, N string
}

// BuildServiceOps ranks ops; traces links each to its traces in the window.
func BuildServiceOps(ops []servicemap.Operation, source string, traces func(op string) string) ServiceOps {
	v := ServiceOps{Source: source}
	row := func(o servicemap.Operation) ServiceOp {
		r := ServiceOp{Name: text.Visible(text.Shorten(o.Name, 120)), Traces: traces(o.Name),
			Errors: servicemap.FormatShare(o.RED.Errors), P99: servicemap.FormatSeconds(o.RED.P99), Mean: servicemap.FormatSeconds(o.RED.Mean)}
		if servicemap.Known(o.RED.Rate) {
			r.Rate = servicemap.FormatRate(o.RED.Rate)
		} else {
			r.Rate = strconv.Itoa(o.RED.Sampled) + " sampled"
		}
		return r
	}
	for _, o := range servicemap.ByP99(ops, ServiceOpsN) {
		v.ByP99 = append(v.ByP99, row(o))
	}
	for _, o := range servicemap.ByErrors(ops, ServiceOpsN) {
		v.ByErrors = append(v.ByErrors, row(o))
	}
	return v
}
