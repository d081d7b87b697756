package lokitest

import (
	"slices"
	"strings"
)

// outEntry is one log line of an answer, with its labels by category.
type outEntry struct {
	ts        int64
	line      string
	streamKey string // key of the answer stream it belongs to
	stream    []Label
	meta      []Label
	parsed    []Label
}

// outStream is one stream of a streams answer.
type outStream struct {
	key     string
	labels  []Label
	entries []outEntry
}

// queryStats feed the stats block of answers.
type queryStats struct {
	lines, bytes, metaBytes, postFilter int64
}

// evalLogs runs a log query over [from, to) and returns at most limit
// lines: the newest for backward, the oldest for forward, over all
// streams. categorized chooses how labels group lines into streams.
func (s *Server) evalLogs(tenant string, q *logQuery, from, to int64, limit int, forward, categorized bool) ([]outStream, queryStats) {
	var st queryStats
	snaps := s.store.read(tenant, q.matchers, from, to)
	var picked []outEntry
	for _, sn := range snaps {
		n := 0
		for k := range sn.entries {
			i := k
			if !forward {
				i = len(sn.entries) - 1 - k
			}
			e := &sn.entries[i]
			st.lines++
			st.bytes += int64(len(e.line))
			for _, l := range e.sm {
				st.metaBytes += int64(len(l.Name) + len(l.Value))
			}
			r := newRow(sn.stream, e)
			if !run(q.stages, r) {
				continue
			}
			picked = append(picked, toOut(r, categorized))
			// No stream can contribute more than limit lines.
			if n++; n >= limit {
				break
			}
		}
	}
	st.postFilter = int64(len(picked))
	slices.SortFunc(picked, func(a, b outEntry) int {
		if a.ts != b.ts {
			if forward == (a.ts < b.ts) {
				return -1
			}
			return 1
		}
		if c := strings.Compare(a.streamKey, b.streamKey); c != 0 {
			return c
		}
		return strings.Compare(a.line, b.line)
	})
	picked = picked[:min(limit, len(picked))]
	byKey := map[string]*outStream{}
	var out []*outStream
	for _, e := range picked {
		o := byKey[e.streamKey]
		if o == nil {
			o = &outStream{key: e.streamKey, labels: e.stream}
			byKey[e.streamKey] = o
			out = append(out, o)
		}
		o.entries = append(o.entries, e)
	}
	// Loki's engine answers streams sorted by their label string.
	slices.SortFunc(out, func(a, b *outStream) int { return strings.Compare(a.key, b.key) })
	res := make([]outStream, len(out))
	for i, o := range out {
		res[i] = *o
	}
	return res, st
}

// toOut splits a row's labels: with categorize-labels the stream holds
// index labels only; without it every label is folded into the stream.
func toOut(r *row, categorized bool) outEntry {
	e := outEntry{ts: r.ts, line: r.line}
	for _, l := range r.lbls {
		p := Label{l.name, l.value}
		switch {
		case !categorized || l.cat == catStream:
			e.stream = append(e.stream, p)
		case l.cat == catMetadata:
			e.meta = append(e.meta, p)
		default:
			e.parsed = append(e.parsed, p)
		}
	}
	byName := func(a, b Label) int { return strings.Compare(a.Name, b.Name) }
	slices.SortFunc(e.stream, byName)
	slices.SortFunc(e.meta, byName)
	slices.SortFunc(e.parsed, byName)
	e.streamKey = labelsKey(e.stream)
	return e
}
