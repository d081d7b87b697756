package zipkin

import (
	"cmp"
	"errors"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/ariadne-dev/ariadne/datasources"
)

// The passes that turn one Zipkin trace into spans the shared model can
// hold: unique span IDs, a parent for every server half, and a time for
// every span. Each is a function of its own, run in this order by
// buildTrace and tested alone.

// span is one Zipkin span on its way into the model.
type span struct {
	wireSpan
	// zipkinID is Zipkin's span ID when ID had to be derived; "" otherwise.
	zipkinID string
	// twin is the index of the other half of a shared span; -1 for none.
	twin            int
	timeMissing     bool
	durationMissing bool
}

const zeroHigh = "0000000000000000"

// normalizeIDs pads every ID to the model's width and gives every span the
// trace's ID. Zipkin may hold one trace under both its 64-bit and 128-bit
// forms (STRICT_TRACE_ID=false); the 128-bit one wins, as in Zipkin's UI.
// An all-zero parent, or a span parented to itself, is a root (Zipkin
// reads both so).
func normalizeIDs(ws []wireSpan) ([]span, string, error) {
	spans := make([]span, len(ws))
	traceID := ""
	for i := range ws {
		s := &spans[i]
		s.wireSpan, s.twin = ws[i], -1
		tid, err := datasources.ParseTraceID(s.TraceID)
		if err != nil {
			return nil, "", errors.New("span " + strconv.Itoa(i) + ": traceId " + strconv.Quote(s.TraceID) + ": " + err.Error())
		}
		if traceID == "" || (traceID[:16] == zeroHigh && tid[:16] != zeroHigh) {
			traceID = tid
		}
		if s.ID, err = datasources.ParseSpanID(s.ID); err != nil {
			return nil, "", errors.New("span " + strconv.Itoa(i) + ": id " + strconv.Quote(ws[i].ID) + ": " + err.Error())
		}
		switch {
		case strings.Trim(s.ParentID, "0") == "":
			s.ParentID = ""
		default:
			if s.ParentID, err = datasources.ParseSpanID(s.ParentID); err != nil {
				return nil, "", errors.New("span " + strconv.Itoa(i) + ": parentId " + strconv.Quote(ws[i].ParentID) + ": " + err.Error())
			}
			if s.ParentID == s.ID {
				s.ParentID = ""
			}
		}
	}
	for i := range spans {
		spans[i].TraceID = traceID
	}
	return spans, traceID, nil
}

// mergePieces merges spans Zipkin received in several reports (a start,
// then late tags or the finish): same ID, same side of the RPC, kinds and
// endpoints that do not disagree, and no two different timestamps or
// durations. Nothing is lost: fields fill each other's gaps, tags and
// annotations are unioned. Spans failing any test are different spans and
// stay apart, whatever their ID. Order is kept, at each span's first piece.
func mergePieces(spans []span) []span {
	first := make(map[string]int, len(spans)) // ID → its first span in out
	next := make([]int, 0, len(spans))        // out index → next with that ID, -1
	out := spans[:0]
	for i := range spans {
		s := spans[i]
		j, seen := first[s.ID]
		for ; seen && j >= 0; j = next[j] {
			if samePiece(&out[j], &s) {
				mergeInto(&out[j], &s)
				break
			}
		}
		if seen && j >= 0 {
			continue
		}
		if !seen {
			first[s.ID] = len(out)
		} else {
			k := first[s.ID]
			for next[k] >= 0 {
				k = next[k]
			}
			next[k] = len(out)
		}
		next = append(next, -1)
		out = append(out, s)
	}
	return out
}

func samePiece(a, b *span) bool {
	return a.Shared == b.Shared &&
		(a.Kind == "" || b.Kind == "" || a.Kind == b.Kind) &&
		(a.Timestamp == 0 || b.Timestamp == 0 || a.Timestamp == b.Timestamp) &&
		(a.Duration == 0 || b.Duration == 0 || a.Duration == b.Duration) &&
		endpointsAgree(a.LocalEndpoint, b.LocalEndpoint)
}

func endpointsAgree(a, b *wireEndpoint) bool {
	if a == nil || b == nil {
		return true
	}
	agree := func(x, y string) bool { return x == "" || y == "" || x == y }
	return agree(a.ServiceName, b.ServiceName) && agree(a.IPv4, b.IPv4) && agree(a.IPv6, b.IPv6) &&
		(a.Port == 0 || b.Port == 0 || a.Port == b.Port)
}

func mergeInto(a, b *span) {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&a.Name, b.Name)
	fill(&a.Kind, b.Kind)
	fill(&a.ParentID, b.ParentID)
	if a.Timestamp == 0 {
		a.Timestamp = b.Timestamp
	}
	if a.Duration == 0 {
		a.Duration = b.Duration
	}
	a.Debug = a.Debug || b.Debug
	a.LocalEndpoint = mergeEndpoint(a.LocalEndpoint, b.LocalEndpoint)
	a.RemoteEndpoint = mergeEndpoint(a.RemoteEndpoint, b.RemoteEndpoint)
	for _, an := range b.Annotations {
		if !slices.Contains(a.Annotations, an) {
			a.Annotations = append(a.Annotations, an)
		}
	}
	if a.Tags == nil {
		a.Tags = b.Tags
	} else {
		for k, v := range b.Tags { // a later report's value wins, as in Zipkin
			a.Tags[k] = v
		}
	}
}

func mergeEndpoint(a, b *wireEndpoint) *wireEndpoint {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	m := *a
	if m.ServiceName == "" {
		m.ServiceName = b.ServiceName
	}
	if m.IPv4 == "" {
		m.IPv4 = b.IPv4
	}
	if m.IPv6 == "" {
		m.IPv6 = b.IPv6
	}
	if m.Port == 0 {
		m.Port = b.Port
	}
	return &m
}

// separateSharedIDs makes span IDs unique. Of the spans left sharing an ID
// after merging, one keeps it: the client half of an RPC when there is one
// (it is the caller, and what other spans' parentId names). Each other
// gets deriveID's ID and Zipkin's in zipkinID. A server half (shared, or a
// SERVER under a CLIENT of the same ID: some tracers forget the flag)
// becomes the child of the span keeping the ID, so the tree has both halves
// and no cycle; any other repeat (an ID collision, a retry reusing an ID,
// servers whose client half was never reported) keeps its own parent. Children of a shared ID are then moved under the
// server half when they run in the server's service, as Zipkin's UI places
// them; others stay under the client half.
func separateSharedIDs(spans []span, traceID string) {
	taken := make(map[string]int, len(spans)) // ID → count of spans with it
	for i := range spans {
		taken[spans[i].ID]++
	}
	groups := map[string][]int{}
	for i := range spans {
		if taken[spans[i].ID] > 1 {
			groups[spans[i].ID] = append(groups[spans[i].ID], i)
		}
	}
	if len(groups) == 0 {
		return
	}
	type half struct{ service, id string }
	halves := map[string][]half{} // Zipkin ID → its server halves
	ids := make([]string, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	slices.Sort(ids) // derived IDs must not depend on map order
	for _, id := range ids {
		g := groups[id]
		slices.SortStableFunc(g, func(a, b int) int { return compareForID(&spans[a], &spans[b]) })
		p := &spans[g[0]]
		for _, i := range g[1:] {
			s := &spans[i]
			s.zipkinID = id
			s.ID = deriveID(traceID, id, s.localService(), s.Kind, taken)
			if !p.Shared && (s.Shared || (s.Kind == "SERVER" && p.Kind == "CLIENT")) {
				s.ParentID, s.twin = p.ID, g[0]
				if p.twin < 0 {
					p.twin = i
				}
				halves[id] = append(halves[id], half{s.localService(), s.ID})
			}
		}
	}
	for i := range spans {
		s := &spans[i]
		hs := halves[s.ParentID]
		if len(hs) == 0 || s.zipkinID == s.ParentID {
			continue
		}
		for _, h := range hs {
			if h.service != "" && h.service == s.localService() {
				s.ParentID = h.id
				break
			}
		}
	}
}

// compareForID orders the spans sharing an ID: the one to keep it first
// (a client half, then any other span that is not a server's), then by
// what tells them apart, so the outcome does not depend on the order Zipkin
// sent them in.
func compareForID(a, b *span) int {
	rank := func(s *span) int {
		switch {
		case s.Shared:
			return 3
		case s.Kind == "CLIENT":
			return 0
		case s.Kind != "SERVER":
			return 1
		}
		return 2
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)),
		cmp.Compare(a.localService(), b.localService()),
		cmp.Compare(a.Timestamp, b.Timestamp),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Kind, b.Kind))
}

// deriveID gives a span that repeats Zipkin ID id an ID of its own: the
// FNV-1a hash of the trace ID, the Zipkin ID, the span's service and kind,
// rehashed with a counter while it is zero or already in the trace. So the
// same trace always gets the same IDs (links to a server half keep
// working), and a derived ID never collides with a real one.
func deriveID(traceID, id, service, kind string, taken map[string]int) string {
	for n := 0; ; n++ {
		h := fnv.New64a()
		h.Write([]byte(traceID + "/" + id + "/" + service + "/" + kind + "/" + strconv.Itoa(n)))
		v := h.Sum64()
		if v == 0 {
			continue
		}
		d := strconv.FormatUint(v, 16)
		d = zeroHigh[:16-len(d)] + d
		if taken[d] == 0 {
			taken[d] = 1
			return d
		}
	}
}

// inferTimes dates spans Zipkin could not: a span without a timestamp
// takes its shared twin's recorded one (the two halves of an RPC start
// within network latency of each other), else its earliest annotation's,
// else its nearest dated ancestor's, else the trace's earliest; a trace
// with no time at all stays at zero. Such spans are marked timeMissing. A
// span without a duration is marked durationMissing and will be
// zero-length.
func inferTimes(spans []span) {
	var earliest int64
	recorded := make([]int64, len(spans))
	for i := range spans {
		s := &spans[i]
		recorded[i] = s.Timestamp
		if s.Timestamp > 0 && (earliest == 0 || s.Timestamp < earliest) {
			earliest = s.Timestamp
		}
		s.durationMissing = s.Duration <= 0
		if s.Duration < 0 {
			s.Duration = 0
		}
	}
	undated := false
	for i := range spans {
		s := &spans[i]
		if s.Timestamp > 0 {
			continue
		}
		s.timeMissing, s.Timestamp = true, 0
		if s.twin >= 0 && recorded[s.twin] > 0 {
			s.Timestamp = recorded[s.twin]
			continue
		}
		for _, a := range s.Annotations {
			if a.Timestamp > 0 && (s.Timestamp == 0 || a.Timestamp < s.Timestamp) {
				s.Timestamp = a.Timestamp
			}
		}
		undated = undated || s.Timestamp == 0
	}
	if !undated {
		return
	}
	index := make(map[string]int, len(spans))
	for i := range spans {
		index[spans[i].ID] = i
	}
	// Ancestors are judged by the times known before this step, so the
	// answer does not depend on the order of the spans.
	inherited := make(map[int]int64)
	for i := range spans {
		if spans[i].Timestamp > 0 {
			continue
		}
		// Walk up at most len(spans) steps: parent links may form a cycle.
		p, ok := index[spans[i].ParentID]
		for steps := 0; ok && steps < len(spans) && spans[p].Timestamp == 0; steps++ {
			p, ok = index[spans[p].ParentID]
		}
		if ok && spans[p].Timestamp > 0 {
			inherited[i] = spans[p].Timestamp
		} else {
			inherited[i] = earliest
		}
	}
	for i, ts := range inherited {
		spans[i].Timestamp = ts
	}
}
