package servicemap

import (
	"math"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// SampleBuckets is how many slices of the range a trace sample is judged
// in: each slice is a point of the health signals, so it must be at least
// chart.FindSpikes's 8.
const SampleBuckets = 10

// FromTraces builds a map from a sample of whole traces over w: a node
// per service with its entry spans (a root, or a span whose parent is in
// another service) as its requests, an edge per caller and callee with
// the callee's entry spans as the server measured them, and a peer node
// per dependency named by a client span that no span of another service
// answers (see PeerOf). A sample has no rate: RED.Sampled counts spans.
func FromTraces(traces []*datasources.Trace, w Window) *Map {
	m := &Map{}
	type acc struct {
		durs   []float64
		errors int
		// per bucket: summed duration, count, errors
		sum    [SampleBuckets]float64
		n, bad [SampleBuckets]int
	}
	nodes, edges := map[string]*acc{}, map[[2]string]*acc{}
	get := func(mp map[string]*acc, k string) *acc {
		if mp[k] == nil {
			mp[k] = &acc{}
		}
		return mp[k]
	}
	span := w.To.Sub(w.From)
	bucket := func(ns int64) int {
		if span <= 0 {
			return SampleBuckets - 1
		}
		b := int(time.Unix(0, ns).Sub(w.From) * SampleBuckets / span)
		return min(max(b, 0), SampleBuckets-1)
	}
	add := func(a *acc, s *datasources.Span) {
		d := float64(s.EndNs-s.StartNs) / 1e9
		a.durs = append(a.durs, d)
		b := bucket(s.StartNs)
		a.sum[b] += d
		a.n[b]++
		if s.Status == datasources.StatusError {
			a.errors++
			a.bad[b]++
		}
	}
	for _, tr := range traces {
		if tr == nil {
			continue
		}
		byID := make(map[string]*datasources.Span, len(tr.Spans))
		for i := range tr.Spans {
			byID[tr.Spans[i].SpanID] = &tr.Spans[i]
		}
		// answered: client spans some span of another service is a child of.
		answered := map[string]bool{}
		for i := range tr.Spans {
			s := &tr.Spans[i]
			svc := s.Service()
			if svc == "" {
				continue
			}
			m.addNode(svc)
			p := byID[s.ParentSpanID]
			if p != nil && p.Service() == svc {
				continue
			}
			add(get(nodes, svc), s)
			if p != nil && p.Service() != "" {
				answered[p.SpanID] = true
				ea := edges[[2]string{p.Service(), svc}]
				if ea == nil {
					ea = &acc{}
					edges[[2]string{p.Service(), svc}] = ea
				}
				add(ea, s)
			}
		}
		for i := range tr.Spans {
			s := &tr.Spans[i]
			if (s.Kind != datasources.KindClient && s.Kind != datasources.KindProducer) || answered[s.SpanID] || s.Service() == "" {
				continue
			}
			peer, name, ok := PeerOf(s)
			if !ok || name == s.Service() {
				continue
			}
			n := m.addNode(name)
			if n.Peer == nil && nodes[name] == nil {
				n.Peer = &peer
			}
			k := [2]string{s.Service(), name}
			if edges[k] == nil {
				edges[k] = &acc{}
			}
			add(edges[k], s)
		}
	}
	// A name first seen as a peer that turns out to emit spans of its own
	// (another trace reached it instrumented) is a service.
	for i := range m.Nodes {
		if nodes[m.Nodes[i].Name] != nil {
			m.Nodes[i].Peer = nil
		}
	}
	red := func(a *acc) RED {
		r := Unknown()
		r.Sampled = len(a.durs)
		if len(a.durs) == 0 {
			return r
		}
		slices.Sort(a.durs)
		total := 0.0
		for _, d := range a.durs {
			total += d
		}
		r.Errors = float64(a.errors) / float64(len(a.durs))
		r.P99 = a.durs[max((99*len(a.durs)+99)/100, 1)-1]
		r.Mean = total / float64(len(a.durs))
		return r
	}
	stepMs := span.Milliseconds() / SampleBuckets
	for i := range m.Nodes {
		n := &m.Nodes[i]
		a := nodes[n.Name]
		if a == nil {
			continue
		}
		n.RED = red(a)
		n.Series.StepMs = stepMs
		for b := range SampleBuckets {
			t := w.From.Add(span*time.Duration(b)/SampleBuckets + span/SampleBuckets/2).UnixMilli()
			mean, share := math.NaN(), math.NaN()
			if a.n[b] > 0 {
				mean, share = a.sum[b]/float64(a.n[b]), float64(a.bad[b])/float64(a.n[b])
			}
			n.Series.Mean = append(n.Series.Mean, datasources.Point{TMs: t, V: mean})
			n.Series.Errors = append(n.Series.Errors, datasources.Point{TMs: t, V: share})
		}
	}
	for k, a := range edges {
		m.addEdge(k[0], k[1]).RED = red(a)
	}
	m.Sort()
	return m
}

// PeerOf names the dependency a client span calls, from the semantic
// conventions' attributes, most specific first: peer.service (the
// caller's name for it), a database as db.system and db.namespace
// ("postgresql shop"), a messaging destination, else server.address when
// it is a host name (an IP address or localhost is one of our own hops
// whose server span is missing, not a dependency).
func PeerOf(s *datasources.Span) (Peer, string, bool) {
	attr := func(k string) string {
		v, _ := s.Attr(k)
		return strings.TrimSpace(v)
	}
	if v := attr("peer.service"); v != "" {
		return Peer{Kind: "service", Attrs: []Attr{{"peer.service", v}}}, v, true
	}
	if sys := attr("db.system"); sys != "" {
		p := Peer{Kind: "database", Attrs: []Attr{{"db.system", sys}}}
		name := sys
		if ns := attr("db.namespace"); ns != "" {
			p.Attrs = append(p.Attrs, Attr{"db.namespace", ns})
			name += " " + ns
		} else if ns := attr("db.name"); ns != "" { // the older convention
			p.Attrs = append(p.Attrs, Attr{"db.name", ns})
			name += " " + ns
		}
		return p, name, true
	}
	if v := attr("messaging.destination.name"); v != "" {
		return Peer{Kind: "messaging", Attrs: []Attr{{"messaging.destination.name", v}}}, v, true
	}
	if v := attr("server.address"); v != "" && v != "localhost" && net.ParseIP(v) == nil {
		return Peer{Kind: "host", Attrs: []Attr{{"server.address", v}}}, v, true
	}
	return Peer{}, "", false
}
