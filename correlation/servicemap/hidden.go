package servicemap

import (
	"fmt"
	"time"
)

// Dependency is one caller → callee link with its call count over a
// lookback, as Jaeger's /api/dependencies gives it.
type Dependency struct {
	Parent, Child string
	Calls         int64
}

// FromDependencies builds edges from Jaeger's dependency links over d:
// the call rate is known, latency and errors are not (Jaeger does not
// say). Jaeger counts a service's spans under its own spans as a link to
// itself; those are not calls between services and are left out.
func FromDependencies(deps []Dependency, d time.Duration) *Map {
	m := &Map{}
	for _, dep := range deps {
		if dep.Parent == "" || dep.Child == "" || dep.Parent == dep.Child {
			continue
		}
		e := m.addEdge(dep.Parent, dep.Child)
		if d > 0 {
			e.RED.Rate = float64(dep.Calls) / d.Seconds()
		}
	}
	return m
}

// Hidden is what the map shows that its services' own dashboards would
// not: calls new since the previous day, and dependencies that emit no
// telemetry of their own.
type Hidden struct {
	// Compared is false when there was nothing to compare with (no calls
	// at all in the previous day: a new deployment, or a retention shorter
	// than a day): no edge is then called new.
	Compared bool
	New      []Edge
	// Uninstrumented are the peer nodes, each with the edges that call it.
	Uninstrumented []PeerCalls
}

// PeerCalls is an uninstrumented node and who calls it.
type PeerCalls struct {
	Node    Node
	Callers []Edge
}

// FindHidden returns what is hidden in m: its edges absent from previous
// (the day before the range), marked New, and its uninstrumented peers.
// An edge to a peer is compared like any other. m is only read, so the
// panels sharing one map may call it while another draws it.
func (m *Map) FindHidden(previous [][2]string, compared bool) Hidden {
	h := Hidden{Compared: compared && len(previous) > 0}
	before := make(map[[2]string]bool, len(previous))
	for _, p := range previous {
		before[p] = true
	}
	for _, e := range m.Edges {
		if h.Compared && !before[[2]string{e.Client, e.Server}] {
			e.New = true
			h.New = append(h.New, e)
		}
	}
	for _, n := range m.Nodes {
		if n.Uninstrumented() {
			h.Uninstrumented = append(h.Uninstrumented, PeerCalls{Node: n, Callers: m.Upstream(n.Name)})
		}
	}
	return h
}

// Pairs are m's edges as caller and callee: what a later range compares
// with.
func (m *Map) Pairs() [][2]string {
	out := make([][2]string, len(m.Edges))
	for i, e := range m.Edges {
		out[i] = [2]string{e.Client, e.Server}
	}
	return out
}

// Describe writes a peer as the hidden-dependency list reads it:
// "database (db.system=postgresql, db.namespace=shop)".
func (p *Peer) Describe() string {
	s := p.Kind + " ("
	for i, a := range p.Attrs {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s=%s", a.Key, a.Value)
	}
	return s + ")"
}
