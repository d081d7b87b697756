package servicemap

import (
	"cmp"
	"math"
	"slices"
)

// RED is a rate, an error ratio and a p99. NaN means unknown: a source
// that gives only some of them (Jaeger's dependency links give calls, not
// latency) leaves the others NaN rather than zero, so a page never writes
// "p99 0 ms" for a latency nobody measured.
type RED struct {
	Rate   float64 // requests (or calls) per second
	Errors float64 // share that failed, 0–1
	P99    float64 // seconds
	// Mean is the mean duration in seconds: health judges it beside the
	// p99, since a p99 already at a service's timeout cannot rise further
	// while most requests slow down.
	Mean float64
	// Sampled counts the spans a trace sample measured it from (0 when
	// the figures came from metrics): a sample has no rate of its own.
	Sampled int
}

// Unknown is a RED with nothing known.
func Unknown() RED {
	return RED{Rate: math.NaN(), Errors: math.NaN(), P99: math.NaN(), Mean: math.NaN()}
}

// Known reports whether any figure is known.
func (r RED) Known() bool {
	return finite(r.Rate) || finite(r.Errors) || finite(r.P99) || finite(r.Mean)
}

// fill takes from o each figure r does not know.
func (r RED) fill(o RED) RED {
	if !finite(r.Rate) {
		r.Rate = o.Rate
	}
	if !finite(r.Errors) {
		r.Errors = o.Errors
	}
	if !finite(r.P99) {
		r.P99 = o.P99
	}
	if !finite(r.Mean) {
		r.Mean = o.Mean
	}
	if r.Sampled == 0 {
		r.Sampled = o.Sampled
	}
	return r
}

// Peer is what an uninstrumented node was seen as in its callers' client
// spans: the attribute that named it and the kind of dependency.
type Peer struct {
	Kind  string // "database", "messaging", "service", "host"
	Attrs []Attr // the client spans' attributes that identify it
}

// Attr is one attribute key and value.
type Attr struct{ Key, Value string }

// Node is one service, or a peer its callers name but that emits no
// telemetry of its own (Peer set).
type Node struct {
	Name   string
	Peer   *Peer
	RED    RED
	Health Health
	// Series are the per-step signals health was judged on (empty for a
	// source without them).
	Series Signals
}

// Uninstrumented reports whether the node emits nothing of its own.
func (n *Node) Uninstrumented() bool { return n.Peer != nil }

// Edge is calls from Client to Server. RED is as the server measured it
// (its server spans), or as the client did for an uninstrumented server.
type Edge struct {
	Client, Server string
	RED            RED
	// New is set on the edges FindHidden returns when the previous day had
	// no such call.
	New bool
}

// Source says where a map's figures came from, for the page to say.
type Source struct {
	// Nodes and Edges name the sources used ("span metrics
	// (traces_span_metrics_calls_total)", "Jaeger's dependencies", "a
	// sample of 100 traces").
	Nodes, Edges []string
	// SampleTraces is the size of the trace sample used, 0 for none.
	SampleTraces int
	// Problems are why a preferred source was not used ("Prometheus:
	// unreachable"), in the user's words.
	Problems []string
}

// Map is a service map for one time range.
type Map struct {
	Nodes  []Node
	Edges  []Edge
	Source Source
}

// Node returns the named node, or nil.
func (m *Map) Node(name string) *Node {
	for i := range m.Nodes {
		if m.Nodes[i].Name == name {
			return &m.Nodes[i]
		}
	}
	return nil
}

// Edge returns the edge from client to server, or nil.
func (m *Map) Edge(client, server string) *Edge {
	for i := range m.Edges {
		if m.Edges[i].Client == client && m.Edges[i].Server == server {
			return &m.Edges[i]
		}
	}
	return nil
}

// Upstream and Downstream are the edges into and out of a service.
func (m *Map) Upstream(name string) []Edge {
	var out []Edge
	for _, e := range m.Edges {
		if e.Server == name {
			out = append(out, e)
		}
	}
	return out
}

func (m *Map) Downstream(name string) []Edge {
	var out []Edge
	for _, e := range m.Edges {
		if e.Client == name {
			out = append(out, e)
		}
	}
	return out
}

// addNode adds a node or returns the one of that name.
func (m *Map) addNode(name string) *Node {
	if n := m.Node(name); n != nil {
		return n
	}
	m.Nodes = append(m.Nodes, Node{Name: name, RED: Unknown()})
	return &m.Nodes[len(m.Nodes)-1]
}

func (m *Map) addEdge(client, server string) *Edge {
	m.addNode(client)
	m.addNode(server)
	if e := m.Edge(client, server); e != nil {
		return e
	}
	m.Edges = append(m.Edges, Edge{Client: client, Server: server, RED: Unknown()})
	return &m.Edges[len(m.Edges)-1]
}

// Merge lays o under m: nodes and edges m lacks are added, figures m
// does not know are taken from o, and a node o knows as a peer stays one
// only if m has not seen it emit telemetry (m's sources are preferred, so
// call Merge from the best source down).
func (m *Map) Merge(o *Map) {
	for _, on := range o.Nodes {
		_, had := m.index(on.Name)
		n := m.addNode(on.Name)
		n.RED = n.RED.fill(on.RED)
		if !had {
			n.Peer = on.Peer
		}
		if len(n.Series.Mean) == 0 && len(n.Series.Errors) == 0 {
			n.Series = on.Series
		}
	}
	for _, oe := range o.Edges {
		e := m.addEdge(oe.Client, oe.Server)
		e.RED = e.RED.fill(oe.RED)
	}
}

func (m *Map) index(name string) (int, bool) {
	for i := range m.Nodes {
		if m.Nodes[i].Name == name {
			return i, true
		}
	}
	return -1, false
}

// Sort puts nodes by name and edges by client then server, so a page is
// the same from one load to the next whatever order the sources answered.
func (m *Map) Sort() {
	slices.SortFunc(m.Nodes, func(a, b Node) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(m.Edges, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(a.Client, b.Client), cmp.Compare(a.Server, b.Server))
	})
}

// Known reports whether a figure is known (not NaN, not infinite).
func Known(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func finite(v float64) bool { return Known(v) }
