package views

import (
	"sync"

	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
)

// lineFacts are what a line's row takes from the line alone, the same
// wherever it sits on a page.
type lineFacts struct {
	clean string // logline.CleanLine of the line
	// fields are the line's own fields, unsorted; nil for a line that
	// is not parsed (over 64 KB).
	fields []logline.Field
	level  string
	// message and rest are the row's summary (summary): its message and
	// its other fields, sorted.
	message string
	rest    []logline.Field
	refs    []logline.TraceRef
	spanID  string // the line's span, when it names a trace
	hash    uint64 // lineHash of the line
}

// factSlabs are where a run of lineFacts keep their slices: one backing
// array for many lines' fields, not one each.
type factSlabs struct {
	fields []logline.Field
	refs   []logline.TraceRef
	// shapes lays out the run's summaries; unlike the slices it keeps
	// what it learnt from one line to the next (reset leaves it).
	shapes summaryShapes
}

// reset gives the slabs' room back for the next line: the last is
// written and keeps nothing of it.
func (s *factSlabs) reset() { s.fields, s.refs = s.fields[:0], s.refs[:0] }

// reserve makes room for a line's slices; a line that needs more than is
// left simply gets arrays of its own (append's).
func (s *factSlabs) reserve() {
	if cap(s.fields)-len(s.fields) < 64 {
		s.fields = make([]logline.Field, 0, 2048)
	}
	if cap(s.refs)-len(s.refs) < 4 {
		s.refs = make([]logline.TraceRef, 0, 256)
	}
}

// carve takes x, appended at the end of the slab's spare room, as the
// slab's.
func carve[T any](slab *[]T, x []T) []T {
	if n := len(*slab); len(x) > 0 && cap(*slab)-n >= len(x) && &(*slab)[:n+1][n] == &x[0] {
		*slab = (*slab)[:n+len(x)]
	}
	return x[:len(x):len(x)]
}

// find fills f with l's facts, levels being its stream's level labels,
// slices carved from slabs.
func (f *lineFacts) find(l *datasources.LogLine, levels logline.StreamLevels, d *logline.Deriver, s *factSlabs) {
	s.reserve()
	*f = lineFacts{clean: logline.CleanLine(l.Line), hash: lineHash(l.Line)}
	var lf logline.LineFields
	if len(l.Line) <= 64<<10 {
		// Message first, whether or not Loki parsed the line too.
		lf = logline.AppendLineFields(s.fields[len(s.fields):], f.clean)
		f.fields = carve(&s.fields, lf.Fields)
	}
	f.level = logline.LevelOf(l, levels, f.fields)
	if f.fields != nil {
		var ok bool
		if f.message, f.rest, ok = s.shapes.summary(s.fields[len(s.fields):], f.fields); ok {
			f.rest = carve(&s.fields, f.rest)
		} else {
			f.rest = nil
		}
	}
	// The fields stand in for a scan of the line by the JSON rule.
	if refs := d.AppendExtractFrom(s.refs[len(s.refs):], l, &lf); len(refs) > 0 {
		f.refs = carve(&s.refs, refs)
		f.spanID = logline.LineSpanID(l) // a span is only worth naming within a trace
	}
}

// facts are l's, found now. The row takes what it keeps from them; their
// slices last until the next row's facts when the row is written before
// it (!keep), and for good otherwise.
func (b *rowBuilder) facts(l *datasources.LogLine, si *streamInfo) *lineFacts {
	if !b.keep {
		b.slabs.reset()
	}
	b.own.find(l, si.levels, b.in.Deriver, &b.slabs)
	return &b.own
}

// preparedLine is what PrepareLines keeps of a line for its lazy row:
// the facts it needs and its summary already written.
type preparedLine struct {
	deriver       *logline.Deriver // that found the trace links
	level, spanID string
	hash          uint64
	summary       []byte // appendSummary's
}

// PrepareLines is a loki.Prepare that does most of a lazy row's work
// (LogRowsInput.Lazy) as its line is decoded: its facts, found with d,
// and its summary written. A row built from such a line with the same
// deriver only writes the rest.
func PrepareLines(d *logline.Deriver) loki.Prepare {
	return func(lines []datasources.LogLine) {
		// Calls may run at once: each takes a preparer of its own.
		p := preparers.Get().(*preparer)
		defer preparers.Put(p)
		p.b.in.Deriver = d
		levels := logline.StreamLevelsOf(lines[0].Labels) // one stream's
		// The summaries are written one after another into the
		// preparer's buffer, then kept in one array of their size.
		html, ends := p.html[:0], p.ends[:0]
		prepared := make([]preparedLine, len(lines))
		var f lineFacts
		var r LogRow
		for i := range lines {
			l := &lines[i]
			p.b.slabs.reset()
			f.find(l, levels, d, &p.b.slabs)
			r = LogRow{Message: f.message, MessageRest: f.rest}
			p.b.summarize(&r, l, &f)
			html = appendSummary(html, &r)
			ends = append(ends, len(html))
			prepared[i] = preparedLine{deriver: d, level: f.level, spanID: f.spanID, hash: f.hash}
		}
		kept := make([]byte, len(html))
		copy(kept, html)
		start := 0
		for i := range lines {
			prepared[i].summary = kept[start:ends[i]:ends[i]]
			start = ends[i]
			lines[i].Prepared = &prepared[i]
		}
		p.html, p.ends = html, ends
	}
}

// preparer is PrepareLines' scratch: a builder for the summaries' trace
// links, and where a batch of lines' summaries are written first.
type preparer struct {
	b    *rowBuilder
	html []byte
	ends []int
}

var preparers = sync.Pool{New: func() any {
	return &preparer{b: newRowBuilder(LogRowsInput{}, 0, false)}
}}
