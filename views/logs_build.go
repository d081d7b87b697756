package views

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// timeTitleLayout is a line's full time; its characters 11 to 23 are the
// time the row shows (15:04:05.000).
const timeTitleLayout = "2006-01-02 15:04:05.000000000 MST"

// PreviewBytes is how much of a line its row shows; the rest sits behind
// "show all", so one 1 MB line cannot bury the page.
const PreviewBytes = 2000

// levelClasses are the CSS classes of the levels logline.LineLevel reads.
var levelClasses = map[string]string{"error": "lvl-error", "warn": "lvl-warn", "info": "lvl-info", "debug": "lvl-debug", "trace": "lvl-debug"}

// LevelClass is the CSS class of a level as logline.LineLevel and
// logline.NormalizeLevel write it; "" for a level nobody agrees on. It is
// the one level mapping of every page (logs, trace, investigations).
func LevelClass(level string) string { return levelClasses[level] }

// LogRowsInput is what turning lines into rows needs beside them.
type LogRowsInput struct {
	Zone *time.Location
	// BaseNs, when not zero, adds each line's offset from it (the trace
	// page: offsets from the trace's start).
	BaseNs int64
	// Deriver finds the trace IDs a line carries (derived fields).
	Deriver *logline.Deriver
	// Narrow, on the logs page, makes each parsed field's value a button
	// of its query form that narrows Query to it (see Narrowed).
	Narrow bool
	Query  string
	// Pretty asks for JSON lines indented in their expanded view.
	Pretty bool
	// Lazy leaves a line's expanded view (the line whole, its links and
	// pin button, its field, label and metadata tables) out of its row,
	// which links to the line's page instead (LineURL): most of a row's
	// markup and of a browser's work, for the few lines anyone opens. Only
	// lines of a known stream can be found again; the others are whole.
	Lazy bool
	// PinRef, when pinning is on, is a line's pin fields (LogRow.PinRef)
	// for a row with its expanded view (a Lazy row's comes with its
	// view).
	PinRef func(*datasources.LogLine) string
}

// BuildLogRows turns lines into rows: inert text, level and service,
// derived trace links, and the line's labels, metadata and parsed fields
// for its expanded view.
func BuildLogRows(lines []datasources.LogLine, in LogRowsInput) []LogRow {
	rows := make([]LogRow, len(lines))
	build := func(lo, hi int) {
		b := newRowBuilder(in, hi-lo, true)
		for i := lo; i < hi; i++ {
			b.build(&rows[i], &lines[i], i)
		}
	}
	// Every row stands alone: each core builds a contiguous share, the
	// first on the caller's.
	n, parts := len(lines), rowShares(len(lines))
	var wg sync.WaitGroup
	for p := 1; p < parts; p++ {
		wg.Go(func() { build(p*n/parts, (p+1)*n/parts) })
	}
	build(0, n/parts)
	wg.Wait()
	return rows
}

// parallelLines is the page size from which rows are built and written
// on every core.
const parallelLines = 1000

// rowShares is how many cores a page of n rows is built (BuildLogRows, in
// contiguous shares) and written (writePieces) on: every core from
// parallelLines up, else one.
func rowShares(n int) int {
	if n < parallelLines {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

// rowBuilder builds the rows of one share of a page. What the rows of a
// stream, of a second or of the page have in common is made once, and
// what a row's build needs only until it is done is scratch kept here.
type rowBuilder struct {
	in LogRowsInput
	// keep says the rows outlive the next build (BuildLogRows): their
	// strings are all made (LogRow's parts aside), and their trace links
	// and summaries have backing arrays of their own. A row written
	// before the next is built (builtLogRows) reuses the builder's.
	keep bool
	// own holds the facts of the line being built (facts), their slices
	// carved from slabs.
	own        lineFacts
	slabs      factSlabs
	traceLinks []Link
	// A stream's selector and label rows are built once per stream (the
	// decoder names each line's stream), not once per line.
	streams map[string]*streamInfo
	narrow  bool
	traces  links.ExemplarTraces
	// traceQuery is the trace links' query of the second last built
	// (traces.Query), escaped for an attribute once for all its lines.
	traceQuery, traceQueryHTML string
	stamp                      lineStamp
}

type streamInfo struct {
	context, line links.LineURLs // of a stream with a selector; line when Lazy
	hasSelector   bool
	// lineHTML is line escaped for an attribute, as a lazy row's link
	// writes it (lineRef).
	lineHTML      links.LineURLs
	labels        []KV
	levels        logline.StreamLevels
	svc, svcClass string
}

// newRowBuilder is a builder for a share of n rows.
func newRowBuilder(in LogRowsInput, n int, keep bool) *rowBuilder {
	b := &rowBuilder{in: in, keep: keep, streams: map[string]*streamInfo{},
		narrow: in.Narrow && query.IsLogQuery(in.Query)}
	if keep {
		b.traceLinks = make([]Link, 0, n)
	} else {
		// Room for one line's slices, reused row after row.
		b.slabs = factSlabs{fields: make([]logline.Field, 0, 256), refs: make([]logline.TraceRef, 0, 16)}
	}
	return b
}

// build makes *r the row of l, the page's row n (rows are numbered by
// their place on the page).
func (b *rowBuilder) build(r *LogRow, l *datasources.LogLine, n int) {
	in := &b.in
	si, ok := b.streams[l.Stream]
	if !ok || l.Stream == "" {
		si = &streamInfo{labels: sortedKV(l.Labels), levels: logline.StreamLevelsOf(l.Labels), svc: logline.LineService(l)}
		si.svcClass = ServiceClass(si.svc)
		selector := l.Stream
		if selector == "" && len(l.Labels) > 0 {
			selector = query.StreamSelector(l.Labels)
		}
		if selector != "" {
			si.hasSelector = true
			si.context = links.LogContextURLs(selector)
			if in.Lazy {
				si.line = links.LogLineURLs(in.Query, selector)
				si.lineHTML = links.LineURLs{Head: string(appendEscaped(nil, si.line.Head)), Mid: string(appendEscaped(nil, si.line.Mid))}
			}
		}
		if l.Stream != "" {
			b.streams[l.Stream] = si
		}
	}
	lazy := in.Lazy && si.hasSelector
	if p, ok := l.Prepared.(*preparedLine); ok && lazy && !in.Pretty && p.deriver == in.Deriver {
		b.buildPrepared(r, l, n, si, p)
		return
	}
	f := b.facts(l, si)
	clean, fields := f.clean, f.fields
	*r = LogRow{
		ID:          rowID(n),
		Level:       f.level,
		LevelClass:  LevelClass(f.level),
		Service:     si.svc,
		SvcClass:    si.svcClass,
		Message:     f.message,
		MessageRest: f.rest,
		SpanID:      f.spanID,
	}
	b.setTime(r, l)
	b.summarize(r, l, f)
	if in.Pretty {
		r.Pretty = prettyJSON(clean)
	}
	refs := f.refs
	if lazy {
		r.line = lineRef{parts: &si.lineHTML, hash: f.hash, tsNs: l.TimeNs}
		if b.keep {
			r.LineURL = si.line.URL(l.TimeNs, string(appendBase36(nil, r.line.hash)))
		}
	} else {
		if r.SpanID != "" {
			r.SpanURL = links.Trace(refs[0].TraceID, links.TraceParams{Span: r.SpanID})
		}
		if si.hasSelector {
			// "show context": the line's stream and time, and a hash
			// of its text to mark it among lines of the same
			// nanosecond.
			r.ContextURL = si.context.URL(l.TimeNs, LineHash(l.Line))
		}
		r.Labels = si.labels
		r.Metadata = sortedKV(l.StructuredMetadata)
		if in.PinRef != nil {
			r.PinRef = in.PinRef(l)
		}
	}
	switch {
	case lazy:
	case len(l.Parsed) > 0:
		r.Fields = sortedKV(l.Parsed)
	case fields != nil:
		logline.SortFields(fields) // the summary has its own copies
		r.Fields = make([]KV, len(fields))
		for j, f := range fields {
			r.Fields[j] = KV{Key: f.Key, Value: f.Value}
		}
	}
	if b.narrow && len(r.Fields) > 0 {
		// Loki's parsed labels and our own parse alike: the query
		// narrowed by the parser the line's shape calls for.
		parser := "logfmt"
		if strings.HasPrefix(strings.TrimSpace(clean), "{") {
			parser = "json"
		}
		for j := range r.Fields {
			if strings.IndexByte(r.Fields[j].Key, '=') < 0 {
				// A key holding = could not be told from its value.
				r.Fields[j].Narrow = parser
			}
		}
	}
}

// setTime sets r's time, and its offset when the page has a base.
func (b *rowBuilder) setTime(r *LogRow, l *datasources.LogLine) {
	if !b.keep { // the row is written before the next second is
		r.stamp, r.frac = b.stamp.parts(l.TimeNs, b.in.Zone)
	}
	if r.stamp == nil {
		title := b.stamp.title(l.TimeNs, b.in.Zone)
		r.Time, r.TimeTitle = title[11:23], title // 15:04:05.000
	}
	if b.in.BaseNs != 0 {
		r.Offset = "+" + text.FormatDuration(time.Duration(l.TimeNs-b.in.BaseNs))
	}
}

// summarize sets what r's summary shows (appendSummary) besides its
// message: the line cut short, and its trace links.
func (b *rowBuilder) summarize(r *LogRow, l *datasources.LogLine, f *lineFacts) {
	if prev, cut := text.Cut(f.clean, PreviewBytes); cut {
		r.Preview, r.Rest = prev, f.clean[len(prev):]
		r.RestSize = byteSize(len(r.Rest))
	} else {
		r.Preview = f.clean
	}
	b.linkTraces(r, l, f.refs)
}

// linkTraces sets r's links to the traces refs, which l names.
func (b *rowBuilder) linkTraces(r *LogRow, l *datasources.LogLine, refs []logline.TraceRef) {
	if !b.keep {
		b.traceLinks = b.traceLinks[:0] // the row is written before the next is built
	}
	if len(refs) == 0 {
		return
	}
	// A window around the line's time: Tempo then searches only the
	// blocks that can hold the trace.
	at := time.Unix(0, l.TimeNs)
	if q := b.traces.Query(at); q != b.traceQuery {
		b.traceQuery, b.traceQueryHTML = q, string(appendEscaped(nil, q))
	}
	r.traceQuery = b.traceQueryHTML
	for _, ref := range refs {
		link := Link{Label: ref.TraceID}
		if b.keep {
			link.URL = b.traces.URL(ref.TraceID, at)
		}
		b.traceLinks = append(b.traceLinks, link)
	}
	k := len(b.traceLinks)
	r.Traces = b.traceLinks[k-len(refs) : k : k]
}

// buildPrepared is build for a lazy row whose line PrepareLines saw.
func (b *rowBuilder) buildPrepared(r *LogRow, l *datasources.LogLine, n int, si *streamInfo, p *preparedLine) {
	*r = LogRow{
		ID:         rowID(n),
		Level:      p.level,
		LevelClass: LevelClass(p.level),
		Service:    si.svc,
		SvcClass:   si.svcClass,
		SpanID:     p.spanID,
		summary:    p.summary,
		line:       lineRef{parts: &si.lineHTML, hash: p.hash, tsNs: l.TimeNs},
	}
	b.setTime(r, l)
	if b.keep {
		r.LineURL = si.line.URL(l.TimeNs, string(appendBase36(nil, p.hash)))
	}
}

// lineStamp writes lines' full times (timeTitleLayout): a page's lines
// fall thousands to a second, and the date, clock and zone of a second
// are formatted once for all of them.
type lineStamp struct {
	sec        int64
	zone       *time.Location
	head, tail string // "2006-01-02 15:04:05" and " MST"
	// The second's parts as a row that is written at once writes them
	// (LogRow.stamp), escaped: head, its clock (15:04:05) and tail.
	headHTML, clockHTML, tailHTML string
}

func (st *lineStamp) title(ns int64, zone *time.Location) string {
	t := time.Unix(0, ns).In(zone)
	if st.head == "" || t.Unix() != st.sec || zone != st.zone {
		full := t.Format(timeTitleLayout)
		st.head = ""
		if len(full) > 29 && full[19] == '.' { // a four-digit year
			st.sec, st.zone, st.head, st.tail = t.Unix(), zone, full[:19], full[29:]
			st.headHTML, st.clockHTML, st.tailHTML = string(appendEscaped(nil, st.head)), string(appendText(nil, st.head[11:])), string(appendEscaped(nil, st.tail))
		}
		return full
	}
	var b [len(timeTitleLayout) + 8]byte
	out := append(b[:0], st.head...)
	out = append(out, '.')
	out = appendDigits(out, t.Nanosecond(), 9)
	return string(append(out, st.tail...))
}

// parts is st, ready to write the time ns from its second's parts with
// the fraction of the second it returns; nil when the time's second has
// no such parts (a year of other than four digits).
func (st *lineStamp) parts(ns int64, zone *time.Location) (*lineStamp, int) {
	t := time.Unix(0, ns).In(zone)
	if st.head == "" || t.Unix() != st.sec || zone != st.zone {
		st.title(ns, zone)
		if st.head == "" {
			return nil, 0
		}
	}
	return st, t.Nanosecond()
}

// appendDigits appends the n (at most 9) lowest decimal digits of v,
// zeros first, filled from the last by a constant division (a
// multiplication) rather than one by a power of ten a digit.
func appendDigits(b []byte, v, n int) []byte {
	var d [9]byte
	for i := n - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:n]...)
}

func sortedKV(m map[string]string) []KV {
	if len(m) == 0 {
		return nil
	}
	out := make([]KV, 0, len(m))
	for k, v := range m {
		out = append(out, KV{Key: logline.CleanLine(k), Value: logline.CleanLine(v)})
	}
	slices.SortFunc(out, func(a, b KV) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// LineHash marks a line among lines of the same nanosecond in the links
// to it (show context, a lazy row's page): lineHash in base 36.
func LineHash(s string) string { return string(appendBase36(nil, lineHash(s))) }

// appendBase36 appends u as strconv.FormatUint(u, 36) writes it, dividing
// by a constant (which the compiler makes a multiplication), not by
// strconv's variable base: thirteen divisions for every row of a page.
func appendBase36(b []byte, u uint64) []byte {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var d [13]byte // 36^13 > 2^64
	i := len(d)
	for u >= 36 {
		i--
		d[i] = digits[u%36]
		u /= 36
	}
	i--
	d[i] = digits[u]
	return append(b, d[i:]...)
}

// lineHash is xxHash64 of the line: it runs over every line of a logs
// page, at a tenth of FNV-1a's time a byte.
func lineHash(s string) uint64 { return xxhash.Sum64String(s) }

// LineMarked says whether mark, the h of a link to a line, is line's:
// LineHash, or the FNV-1a that marked lines until 2026-12, so that the
// links saved in investigations before then keep finding their line.
func LineMarked(line, mark string) bool {
	return mark == LineHash(line) || mark == strconv.FormatUint(fnv1a(line), 36)
}

// fnv1a is FNV-1a, 64-bit, over the string in place.
func fnv1a(s string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime
	}
	return h
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.Itoa(n) + " bytes"
}

// VolumeBars is how many bars the volume histogram aims for.
const VolumeBars = 120

// levelOrder stacks bars from the bottom: errors first, where the eye is.
var levelOrder = []string{"error", "warn", "info", "debug", "trace", ""}

// BuildLogVolume is the volume histogram of per-level counts over [from,
// to]: chart.VolumeLayout's bars with the level colours, a title per bar
// and a link that zooms the page (its other params kept) to that bar.
func BuildLogVolume(series []datasources.Series, from, to time.Time, step time.Duration, zone *time.Location, params url.Values) LogVolume {
	levelOf := func(s datasources.Series) string {
		lvl := logline.NormalizeLevel(s.Labels["level"])
		if LevelClass(lvl) == "" {
			return "" // one "other" colour for levels nobody agrees on
		}
		return lvl
	}
	lay := chart.VolumeLayout(series, levelOf, levelOrder, from, to, step, zone)
	v := LogVolume{Total: strconv.FormatFloat(lay.Total, 'f', 0, 64), Max: strconv.FormatFloat(lay.Max, 'f', 0, 64),
		Step: text.FormatDuration(step)}
	for _, b := range lay.Bars {
		bar := VolumeBar{X: pctf(b.X), W: pctf(b.W)}
		title := b.Start.In(zone).Format("15:04:05") + "–" + b.End.In(zone).Format("15:04:05") + ":"
		for _, p := range b.Parts {
			name, cls := levelName(p.Level)
			bar.Parts = append(bar.Parts, VolumePart{Y: strconv.FormatFloat(p.Y, 'f', 2, 64), H: strconv.FormatFloat(p.H, 'f', 2, 64), Class: cls})
			title += fmt.Sprintf(" %.0f %s", p.Count, name)
		}
		bar.Title = title
		q := url.Values{}
		for k, vs := range params {
			if k != "cursor" && k != "newer" {
				q[k] = vs
			}
		}
		// Sub-second bars zoom exactly: not rounded to whole seconds.
		q.Set("from", b.Start.UTC().Format(time.RFC3339Nano))
		q.Set("to", b.End.UTC().Format(time.RFC3339Nano))
		bar.ZoomURL = links.LogsWith(q)
		v.Bars = append(v.Bars, bar)
	}
	for _, lvl := range lay.Levels {
		name, cls := levelName(lvl)
		v.Legend = append(v.Legend, LevelChip{Name: name, Class: cls})
	}
	for _, t := range lay.Ticks {
		v.Ticks = append(v.Ticks, AxisTick{X: pctf(t.Pos), Label: t.Label})
	}
	return v
}

// levelName is how the histogram names and colours a level.
func levelName(lvl string) (name, class string) {
	if lvl == "" {
		return "other", "lvl-other"
	}
	return lvl, LevelClass(lvl)
}

func pctf(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) + "%" }

// PrettyBytes bounds the lines indented for reading: a larger one stays
// as it came (behind "show all").
const PrettyBytes = 32 << 10

// prettyJSON is a JSON object line indented, or "" for any other line.
// It indents the cleaned line, so control characters stay visible.
func prettyJSON(line string) string {
	if len(line) > PrettyBytes || !strings.HasPrefix(strings.TrimSpace(line), "{") {
		return ""
	}
	var b bytes.Buffer
	if json.Indent(&b, []byte(line), "", "  ") != nil {
		return ""
	}
	return b.String()
}

// rowID is the anchor of a page's row n, "l-<n>": the names of a page's
// first rows are made once for every page rather than once a row.
func rowID(n int) string {
	if ids := rowIDs(); n < len(ids) {
		return ids[n]
	}
	return "l-" + strconv.Itoa(n)
}

var rowIDs = sync.OnceValue(func() []string {
	ids := make([]string, 5000) // Loki's default max_entries_limit_per_query
	for n := range ids {
		ids[n] = "l-" + strconv.Itoa(n)
	}
	return ids
})
