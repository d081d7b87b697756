package snapshot

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// FromSeries keeps the first lim.Series series and, of each, the last
// lim.Points finite points. omitted is "" when nothing was cut.
func FromSeries(series []datasources.Series, lim Limits) (out []Series, omitted string) {
	cutPoints := false
	for i, s := range series {
		if i == lim.Series {
			omitted = fmt.Sprintf("%d of %d series kept", lim.Series, len(series))
			break
		}
		ss := Series{Labels: s.Labels}
		pts := s.Points
		if len(pts) > lim.Points {
			pts, cutPoints = pts[len(pts)-lim.Points:], true
		}
		for _, p := range pts {
			if math.IsNaN(p.V) || math.IsInf(p.V, 0) {
				continue
			}
			ss.T = append(ss.T, p.TMs)
			ss.V = append(ss.V, p.V)
		}
		out = append(out, ss)
	}
	if cutPoints {
		omitted = join(omitted, fmt.Sprintf("the last %d points of each series kept", lim.Points))
	}
	return out, omitted
}

// exemplarColumns is how many time slices FromExemplars thins by: about
// as many as a card graph can tell apart.
const exemplarColumns = 30

// FromExemplars keeps at most lim.Exemplars of a graph's exemplars over
// [fromMs, toMs] that name a trace (traceID reads it from their labels):
// per time slice the slowest ones, so the card shows where the slow
// requests were and keeps the ones worth opening; in time order.
func FromExemplars(ex []datasources.Exemplar, fromMs, toMs int64, traceID func(map[string]string) (string, bool), lim Limits) (out []Exemplar, omitted string) {
	if len(ex) == 0 || lim.Exemplars <= 0 {
		return nil, ""
	}
	var all []Exemplar
	for _, e := range ex {
		if id, ok := traceID(e.Labels); ok {
			all = append(all, Exemplar{TraceID: id, TMs: e.TMs, Value: e.Value, SeriesLabels: e.SeriesLabels})
		}
	}
	out = all
	if len(all) > lim.Exemplars {
		// The slowest few of each time slice, then the slowest of those.
		perColumn := max(lim.Exemplars/exemplarColumns, 1)
		width := max((toMs-fromMs)/exemplarColumns, 1)
		slices.SortStableFunc(all, func(a, b Exemplar) int { return cmp.Compare(b.Value, a.Value) })
		kept := map[int64]int{}
		out = nil
		for _, e := range all {
			if c := (e.TMs - fromMs) / width; kept[c] < perColumn {
				kept[c]++
				out = append(out, e)
			}
		}
	}
	out = out[:min(len(out), lim.Exemplars)] // out is slowest first here
	slices.SortFunc(out, func(a, b Exemplar) int { return cmp.Or(cmp.Compare(a.TMs, b.TMs), cmp.Compare(b.Value, a.Value)) })
	if len(out) < len(ex) {
		omitted = fmt.Sprintf("%d of %d exemplars kept (the slowest over time)", len(out), len(ex))
	}
	return out, omitted
}

// FromLines keeps the first lim.Lines lines, each cut to lim.LineBytes.
func FromLines(lines []datasources.LogLine, lim Limits) (out []Line, omitted string) {
	if len(lines) > lim.Lines {
		omitted = fmt.Sprintf("%d of %d lines kept", lim.Lines, len(lines))
		lines = lines[:lim.Lines]
	}
	out = make([]Line, 0, len(lines))
	for _, l := range lines {
		out = append(out, Line{TimeNs: l.TimeNs, Labels: l.Labels, Line: text.Shorten(l.Line, lim.LineBytes)})
	}
	return out, omitted
}

// FromTrace keeps at most lim.Spans spans of tr, in the order of the one
// trace tree (trace.BuildTree, unadjusted for skew): the focused span and
// its ancestors first, then failed spans, then the rest in tree order, so
// the span that matters survives the cut. The tree holds every span, so
// within the bound nothing is lost, not even spans in a parent cycle.
func FromTrace(tr *datasources.Trace, focus string, lim Limits) (*Trace, string) {
	ts := &Trace{ID: tr.ID, TotalSpans: len(tr.Spans), Partial: tr.Partial, Focus: focus}
	if len(tr.Spans) == 0 {
		return ts, ""
	}
	tree := trace.BuildTree(tr, false)
	ts.StartNs, ts.EndNs = tree.StartNs, tree.EndNs
	keep, omitted := keepSpans(tree, focus, lim.Spans)
	ts.Spans = make([]Span, 0, min(len(tree.Nodes), max(lim.Spans, 0)))
	for i := range tree.Nodes {
		if keep != nil && !keep[i] {
			continue
		}
		ts.Spans = append(ts.Spans, spanOf(&tree.Nodes[i], focus, lim))
	}
	return ts, omitted
}

// keepSpans chooses the nodes that survive a cut to limit spans; nil
// keeps them all. Walking up by node index (not by parent ID) ends even in a
// malformed trace, since the tree has already broken every cycle.
func keepSpans(tree *trace.TraceTree, focus string, limit int) ([]bool, string) {
	n := len(tree.Nodes)
	if n <= limit {
		return nil, ""
	}
	keep := make([]bool, n)
	kept := 0
	add := func(i int) {
		if !keep[i] && kept < limit {
			keep[i], kept = true, kept+1
		}
	}
	if focus != "" {
		for i := range tree.Nodes {
			if tree.Nodes[i].Span.SpanID == focus {
				for j := i; j >= 0; j = int(tree.Nodes[j].Parent) {
					add(j)
				}
				break
			}
		}
	}
	for i := range tree.Nodes {
		if tree.Nodes[i].Span.Status == datasources.StatusError {
			add(i)
		}
	}
	for i := range tree.Nodes {
		add(i)
	}
	return keep, fmt.Sprintf("%d of %d spans kept", limit, n)
}

// spanOf is one tree node as stored, with attributes and events only
// where an investigation will quote them.
func spanOf(nd *trace.Node, focus string, lim Limits) Span {
	s := nd.Span
	sp := Span{ID: s.SpanID, Parent: s.ParentSpanID, Depth: int(nd.Depth), Name: text.Shorten(s.Name, lim.ValueChars),
		Service: s.Service(), Kind: string(s.Kind), Error: s.Status == datasources.StatusError,
		StatusMsg: text.Shorten(s.StatusMsg(), lim.ValueChars), StartNs: s.StartNs, EndNs: s.EndNs}
	if sp.Error || s.SpanID == focus {
		sp.Attrs = kvs(s.Attributes(), lim)
		for i, e := range s.Events() {
			if i == lim.EventsPerSpan {
				break
			}
			sp.Events = append(sp.Events, Event{TimeNs: e.TimeNs, Name: text.Shorten(e.Name, lim.ValueChars), Attrs: kvs(e.Attributes, lim)})
		}
	}
	return sp
}

func kvs(attrs []datasources.Attribute, lim Limits) []KV {
	n := min(len(attrs), lim.AttrsPerSpan)
	if n == 0 {
		return nil
	}
	out := make([]KV, n)
	for i := range n {
		out[i] = KV{K: text.Shorten(attrs[i].Key, 200), V: text.Shorten(attrs[i].Value, lim.ValueChars)}
	}
	return out
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
