package tempo

import (
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"unsafe"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/otlp"
	"github.com/ariadne-dev/ariadne/datasources/prefault"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protowire"
)

// This file decodes OTLP TracesData protobuf straight into the model,
// without building the generated tracepb messages first: those cost about
// five allocations per attribute, which for a 100,000-span trace is seconds
// of garbage collection. Here every string is a substring of the body,
// rendered values (IDs, numbers) are written once to a text arena, and
// attributes, events and links are carved from chunked slabs. Field numbers
// are OTLP's (see contracts/tempo section 5). Fields are read in any order;
// for a message field sent twice the last one wins, for repeated fields all
// are kept, unknown fields are skipped.

// protoSpans decodes the TracesData messages held in parts (ranges of body).
func protoSpans(body []byte, parts [][2]int) ([]datasources.Span, error) {
	spans, _, err := decodeSpans(body, parts)
	return spans, err
}

// decodeSpans is protoSpans, with every key of the spans' own attributes.
func decodeSpans(body []byte, parts [][2]int) ([]datasources.Span, map[string]bool, error) {
	n := 0
	for _, r := range parts {
		c, err := countSpans(body[r[0]:r[1]])
		if err != nil {
			return nil, nil, err
		}
		n += c
	}
	// Every string decoded is a substring of the body, viewed in place
	// rather than copied: a million-span body is hundreds of megabytes,
	// and a copy is that much fresh memory touched. So body must not
	// change once decoded (DecodeTraceV2 takes it over).
	d := &pdec{s: unsafe.String(unsafe.SliceData(body), len(body)), b: body, spans: make([]datasources.Span, n)}
	d.sizeChunks(n)
	if n >= parallelSpans && len(body) <= math.MaxUint32 {
		d.jobs = make([]spanJob, 0, n)
	}
	d.keys = map[string]bool{} // filled by the decode, read after it
	if n >= lazySpans && len(body) <= math.MaxUint32 {
		d.lazy = datasources.NewLazyAttributes(func(at [2]uint32, want func(string) bool, fn func(datasources.Attribute) bool) {
			lazyAttrs(body, at, want, fn)
		}, d.keys)
	}
	// For a huge trace the walk below runs on one core and only finds the
	// spans; the other core faults their pages in meanwhile (see
	// prefault), so that the jobs, on every core, write to memory that is
	// there. A smaller one is decoded by the walk itself.
	stop := prefault.Slice(d.spans)
	for _, r := range parts {
		if err := d.tracesData(r[0], r[1]); err != nil {
			stop()
			return nil, nil, err
		}
	}
	stop()
	if d.found != n {
		return nil, nil, errors.New("span count changed between passes")
	}
	if err := d.runJobs(); err != nil {
		return nil, nil, err
	}
	for _, sc := range d.scopes {
		for i := sc.first; i < sc.end; i++ {
			sp := &d.spans[i]
			sp.Resource, sp.Scope, sp.ScopeAttributes = sc.res, sc.name, sc.attrs
		}
	}
	for _, r := range d.resources {
		r.Service, _ = datasources.Attr(r.Attributes, "service.name")
	}
	return d.spans, d.keys, nil
}

// sizeChunks fits the chunks of d's slabs and text to a trace of n spans
// (a span has about ten attributes and a few dozen bytes of text): a
// dozen-span trace, which a page may decode twenty of, would otherwise
// allocate and zero 2 MB of chunks.
func (d *pdec) sizeChunks(n int) {
	d.attrs.chunk = min(8192, max(64, 16*n))
	d.events.chunk = min(8192, max(16, n))
	d.links.chunk = min(8192, max(16, n/4))
	d.details.chunk = min(8192, max(16, n/2))
	d.text.chunk = min(256<<10, max(4<<10, 64*n))
}

// iter walks the fields of one message in body[p:end].
type iter struct {
	b        []byte
	p, end   int
	err      error
	num      protowire.Number
	typ      protowire.Type
	u        uint64
	v0, v1   int // a length-delimited value is body[v0:v1]
	isBytes  bool
	isVarint bool
	isFixed  bool
}

func (it *iter) next() bool {
	if it.err != nil || it.p >= it.end {
		return false
	}
	return it.short() || it.general()
}

// general is next for any field.
func (it *iter) general() bool {
	b := it.b[it.p:it.end]
	num, typ, n := protowire.ConsumeTag(b)
	if n < 0 {
		it.err = protowire.ParseError(n)
		return false
	}
	b = b[n:]
	it.p += n
	it.num, it.typ = num, typ
	it.isBytes, it.isVarint, it.isFixed = false, false, false
	var m int
	switch typ {
	case protowire.VarintType:
		it.u, m = protowire.ConsumeVarint(b)
		it.isVarint = true
	case protowire.Fixed64Type:
		it.u, m = protowire.ConsumeFixed64(b)
		it.isFixed = true
	case protowire.Fixed32Type:
		var x uint32
		x, m = protowire.ConsumeFixed32(b)
		it.u = uint64(x)
	case protowire.BytesType:
		var v []byte
		v, m = protowire.ConsumeBytes(b)
		it.v0 = it.p + m - len(v)
		it.v1 = it.p + m
		it.isBytes = true
	default:
		m = protowire.ConsumeFieldValue(num, typ, b)
	}
	if m < 0 {
		it.err = protowire.ParseError(m)
		return false
	}
	it.p += m
	return true
}

// short reads the field at it.p when its tag is one byte and, for a
// varint, so is the value, or for bytes the length: nearly every field of
// a span (field numbers below 16, names and values shorter than 128
// bytes), which a million-span trace has fifty million of. Anything else
// is left to next's general path, which reads the same fields the same way.
func (it *iter) short() bool {
	p, b := it.p, it.b[:it.end]
	if p+1 >= len(b) {
		return false
	}
	c, x := b[p], b[p+1]
	if c >= 0x80 || c < 8 { // a longer tag, or field 0
		return false
	}
	switch typ := protowire.Type(c & 7); {
	case typ == protowire.BytesType && x < 0x80:
		v1 := p + 2 + int(x)
		if v1 > len(b) {
			return false
		}
		it.v0, it.v1, it.p = p+2, v1, v1
		it.isBytes, it.isVarint, it.isFixed = true, false, false
	case typ == protowire.VarintType && x < 0x80:
		it.u, it.p = uint64(x), p+2
		it.isBytes, it.isVarint, it.isFixed = false, true, false
	case typ == protowire.Fixed64Type && p+9 <= len(b):
		it.u, it.p = binary.LittleEndian.Uint64(b[p+1:]), p+9
		it.isBytes, it.isVarint, it.isFixed = false, false, true
	default:
		return false
	}
	it.num, it.typ = protowire.Number(c>>3), protowire.Type(c&7)
	return true
}

func (d *pdec) iter(p, end int) iter { return iter{b: d.b, p: p, end: end} }

// countSpans counts Span messages so the span slice never moves (fixups
// point into it).
func countSpans(b []byte) (int, error) {
	n := 0
	top := iter{b: b, end: len(b)}
	for top.next() {
		if top.num != 1 || !top.isBytes {
			continue
		}
		rs := iter{b: b, p: top.v0, end: top.v1}
		for rs.next() {
			if rs.num != 2 || !rs.isBytes {
				continue
			}
			ss := iter{b: b, p: rs.v0, end: rs.v1}
			for ss.next() {
				if ss.num == 2 && ss.isBytes {
					n++
				}
			}
			if ss.err != nil {
				return 0, ss.err
			}
		}
		if rs.err != nil {
			return 0, rs.err
		}
	}
	return n, top.err
}

// slab hands out capped windows of a shared backing array, allocated
// chunk elements at a time (8,192 when chunk is 0).
type slab[T any] struct {
	cur   []T
	chunk int
}

func (s *slab[T]) take(src []T) []T {
	if len(src) == 0 {
		return nil
	}
	if cap(s.cur)-len(s.cur) < len(src) {
		s.cur = make([]T, 0, max(len(src), cmp.Or(s.chunk, 8192)))
	}
	start := len(s.cur)
	s.cur = append(s.cur, src...)
	return s.cur[start:len(s.cur):len(s.cur)]
}

// textArena holds the text values are rendered to (IDs in hex, numbers,
// nested values) in chunks that are never moved or rewritten once
// written, so a string views its bytes in place at once: no copy of the
// whole text at the end and no pass pointing strings into it (for a
// million spans, millions of fix-ups the collector had to scan).
type textArena struct {
	cur   []byte
	chunk int // bytes a chunk, 256 KB when 0
}

// alloc is n bytes of the arena, to be written once.
func (a *textArena) alloc(n int) []byte {
	if cap(a.cur)-len(a.cur) < n {
		a.cur = make([]byte, 0, max(n, cmp.Or(a.chunk, 256<<10)))
	}
	start := len(a.cur)
	a.cur = a.cur[:start+n]
	return a.cur[start : start+n : start+n]
}

// str is b kept in the arena, as a string.
func (a *textArena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	dst := a.alloc(len(b))
	copy(dst, b)
	return unsafe.String(&dst[0], len(dst))
}

type pdec struct {
	s      string // the body as one string: every decoded string slices it
	b      []byte
	spans  []datasources.Span // as many as counted; found so far are spans[:found]
	found  int
	text   textArena // rendered IDs and values
	tmp    []byte    // a value being rendered, before it is kept in text
	attrs  slab[datasources.Attribute]
	events slab[datasources.SpanEvent]
	links  slab[datasources.SpanLink]
	// details hold the rarer parts of the spans that have any.
	details slab[datasources.SpanDetails]
	// Scratch lists, one per kind of owner so nested owners never mix.
	spanAttrs, eventAttrs, otherAttrs, resAttrs []datasources.Attribute
	evScratch                                   []datasources.SpanEvent
	linkScratch                                 []datasources.SpanLink
	resources                                   []*datasources.Resource
	lastTID                                     string // raw bytes of the last trace ID
	lastTIDHex                                  string
	// jobs, for a huge trace, are its spans found but not yet decoded:
	// decoded by runJobs on every core once the walk is done.
	jobs   []spanJob
	scopes []scopeRange
	// lazy, for a huge trace, keeps span attributes in the body
	// (lazyAttrs reads them when asked).
	lazy *datasources.LazyAttributes
	// keys collects the spans' attribute keys; lastKeys are the
	// last span's, by place: spans of one shape repeat them, and a string
	// compare is cheaper than a map.
	keys     map[string]bool
	lastKeys []string
	// loose renders each value to a string of its own, not to text: a
	// lazy read renders a few values, and a text chunk is 256 KB.
	loose bool
}

// lazySpans is the trace size from which span attributes stay in the
// body until a page reads them: 400 bytes a span decoded, most of a huge
// trace's memory, for the few hundred spans a page shows.
const lazySpans = 20_000

// lazyAttrs reads the attributes of the span message at body[at[0]:at[1]]
// (see datasources.LazyAttributes). The decode checked them, so an
// error here cannot happen; a value that fails anyway is left out.
func lazyAttrs(body []byte, at [2]uint32, want func(string) bool, fn func(datasources.Attribute) bool) {
	d := &pdec{s: unsafe.String(unsafe.SliceData(body), len(body)), b: body, loose: true}
	it := d.iter(int(at[0]), int(at[1]))
	for it.next() {
		if it.num != 9 || !it.isBytes {
			continue
		}
		var pa datasources.Attribute
		key, v0, v1, hasVal, err := d.kvParts(it.v0, it.v1)
		if err != nil || want != nil && !want(key) {
			continue
		}
		pa.Key = key
		if hasVal && d.anyValue(v0, v1, &pa) != nil {
			continue
		}
		if !fn(pa) {
			return
		}
	}
}

// spanJob is a span still body[p:end]: the job at index i of jobs is
// spans[i] (a huge trace's every span is one).
type spanJob struct{ p, end uint32 }

// scopeRange gives spans[first:end] their resource and instrumentation
// scope.
type scopeRange struct {
	first, end int
	res        *datasources.Resource
	name       string
	attrs      []datasources.Attribute
}

// parallelSpans is the trace size from which spans are decoded on every
// core (a million spans take seconds on one).
const parallelSpans = 20_000

// runJobs decodes the deferred spans, each core a contiguous share with
// its own slabs and text (spans are written in place, each by one
// goroutine). An error is the first share's that failed.
func (d *pdec) runJobs() error {
	if len(d.jobs) == 0 {
		return nil
	}
	parts := runtime.GOMAXPROCS(0)
	errs := make([]error, parts)
	keys := make([]map[string]bool, parts)
	var wg sync.WaitGroup
	for w := range parts {
		lo, hi := w*len(d.jobs)/parts, (w+1)*len(d.jobs)/parts
		keys[w] = map[string]bool{}
		wg.Go(func() {
			wd := &pdec{s: d.s, b: d.b, lazy: d.lazy, keys: keys[w]}
			for i, j := range d.jobs[lo:hi] {
				if err := wd.spanInto(&d.spans[lo+i], int(j.p), int(j.end)); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, ks := range keys {
		maps.Copy(d.keys, ks)
	}
	return errors.Join(slices.DeleteFunc(errs, func(e error) bool { return e == nil })...)
}

func (d *pdec) str(it *iter) string { return d.s[it.v0:it.v1] }

func (d *pdec) tracesData(p, end int) error {
	it := d.iter(p, end)
	for it.next() {
		if it.num == 1 && it.isBytes {
			if err := d.resourceSpans(it.v0, it.v1); err != nil {
				return err
			}
		}
	}
	return it.err
}

func (d *pdec) resourceSpans(p, end int) error {
	res := &datasources.Resource{}
	d.resAttrs = d.resAttrs[:0]
	it := d.iter(p, end)
	for it.next() {
		switch {
		case it.num == 1 && it.isBytes: // Resource; a repeated one merges
			ri := d.iter(it.v0, it.v1)
			for ri.next() {
				if ri.num == 1 && ri.isBytes {
					if err := d.keyValue(ri.v0, ri.v1, &d.resAttrs); err != nil {
						return err
					}
				}
			}
			if ri.err != nil {
				return ri.err
			}
		case it.num == 2 && it.isBytes:
			if err := d.scopeSpans(it.v0, it.v1, res); err != nil {
				return err
			}
		}
	}
	res.Attributes = d.flushAttrs(d.resAttrs)
	d.resources = append(d.resources, res)
	return it.err
}

func (d *pdec) scopeSpans(p, end int, res *datasources.Resource) error {
	first := d.found
	scope := ""
	var scopeAttrs []datasources.Attribute
	it := d.iter(p, end)
	for it.next() {
		switch {
		case it.num == 1 && it.isBytes: // InstrumentationScope
			si := d.iter(it.v0, it.v1)
			d.otherAttrs = d.otherAttrs[:0]
			for si.next() {
				switch {
				case si.num == 1 && si.isBytes:
					scope = d.str(&si)
				case si.num == 3 && si.isBytes:
					if err := d.keyValue(si.v0, si.v1, &d.otherAttrs); err != nil {
						return err
					}
				}
			}
			if si.err != nil {
				return si.err
			}
			scopeAttrs = d.flushAttrs(d.otherAttrs)
		case it.num == 2 && it.isBytes:
			if err := d.span(it.v0, it.v1); err != nil {
				return err
			}
		}
	}
	d.scopes = append(d.scopes, scopeRange{first: first, end: d.found, res: res, name: scope, attrs: scopeAttrs})
	return it.err
}

// span decodes one span, or for a huge trace finds it for runJobs.
func (d *pdec) span(p, end int) error {
	i := d.found
	if i >= len(d.spans) {
		return errors.New("span count changed between passes")
	}
	d.found++
	if d.jobs != nil {
		d.jobs = append(d.jobs, spanJob{p: uint32(p), end: uint32(end)})
		return nil
	}
	return d.spanInto(&d.spans[i], p, end)
}

// spanInto decodes body[p:end] into sp (its resource and scope are set
// afterwards, from d.scopes).
func (d *pdec) spanInto(sp *datasources.Span, p, end int) error {
	d.spanAttrs = d.spanAttrs[:0]
	d.evScratch = d.evScratch[:0]
	d.linkScratch = d.linkScratch[:0]
	nk := 0 // attributes kept lazily
	var more datasources.SpanDetails
	it := d.iter(p, end)
	for it.next() {
		switch {
		case it.num == 1 && it.isBytes:
			d.traceID(sp, &it)
		case it.num == 2 && it.isBytes:
			d.hexField(&sp.SpanID, d.b[it.v0:it.v1], 16)
		case it.num == 3 && it.isBytes:
			more.TraceState = d.str(&it)
		case it.num == 4 && it.isBytes:
			if !allZero(d.b[it.v0:it.v1]) {
				d.hexField(&sp.ParentSpanID, d.b[it.v0:it.v1], 16)
			} else {
				sp.ParentSpanID = ""
			}
		case it.num == 5 && it.isBytes:
			sp.Name = d.str(&it)
		case it.num == 6 && it.isVarint:
			sp.Kind = otlp.SpanKind(tracepb.Span_SpanKind(int32(it.u)))
		case it.num == 7 && it.isFixed:
			sp.StartNs = int64(it.u)
		case it.num == 8 && it.isFixed:
			sp.EndNs = int64(it.u)
		case it.num == 9 && it.isBytes:
			if d.lazy != nil {
				// Checked now, so that reading it later cannot fail.
				key, err := d.checkKeyValue(it.v0, it.v1)
				if err != nil {
					return err
				}
				d.noteKey(nk, key)
				nk++
				continue
			}
			if err := d.keyValue(it.v0, it.v1, &d.spanAttrs); err != nil {
				return err
			}
			d.noteKey(len(d.spanAttrs)-1, d.spanAttrs[len(d.spanAttrs)-1].Key)
		case it.num == 11 && it.isBytes:
			if err := d.event(it.v0, it.v1); err != nil {
				return err
			}
		case it.num == 13 && it.isBytes:
			if err := d.link(it.v0, it.v1); err != nil {
				return err
			}
		case it.num == 15 && it.isBytes:
			si := d.iter(it.v0, it.v1) // a repeated message merges: fields override
			for si.next() {
				switch {
				case si.num == 2 && si.isBytes:
					more.StatusMsg = d.str(&si)
				case si.num == 3 && si.isVarint:
					sp.Status = otlp.StatusCode(tracepb.Status_StatusCode(int32(si.u)))
				}
			}
			if si.err != nil {
				return si.err
			}
		}
	}
	sp.Attrs = d.flushAttrs(d.spanAttrs)
	if nk > 0 {
		sp.SetLazyAttributes(d.lazy, [2]uint32{uint32(p), uint32(end)})
	}
	more.Events = d.events.take(d.evScratch)
	more.Links = d.links.take(d.linkScratch)
	if !more.IsZero() { // carved from a slab, not NewSpanDetails's one allocation a span
		sp.Details = &d.details.take([]datasources.SpanDetails{more})[0]
	}
	return it.err
}

// noteKey adds the key of a span's attribute j to keys.
func (d *pdec) noteKey(j int, key string) {
	if j >= len(d.lastKeys) {
		d.lastKeys = append(d.lastKeys, "")
	}
	if d.lastKeys[j] != key || key == "" {
		d.keys[key], d.lastKeys[j] = true, key
	}
}

func (d *pdec) event(p, end int) error {
	var ev datasources.SpanEvent
	d.eventAttrs = d.eventAttrs[:0]
	it := d.iter(p, end)
	for it.next() {
		switch {
		case it.num == 1 && it.isFixed:
			ev.TimeNs = int64(it.u)
		case it.num == 2 && it.isBytes:
			ev.Name = d.str(&it)
		case it.num == 3 && it.isBytes:
			if err := d.keyValue(it.v0, it.v1, &d.eventAttrs); err != nil {
				return err
			}
		}
	}
	ev.Attributes = d.flushAttrs(d.eventAttrs)
	d.evScratch = append(d.evScratch, ev)
	return it.err
}

// link is rare enough to render its IDs directly.
func (d *pdec) link(p, end int) error {
	var l datasources.SpanLink
	d.otherAttrs = d.otherAttrs[:0]
	it := d.iter(p, end)
	for it.next() {
		switch {
		case it.num == 1 && it.isBytes:
			l.TraceID = otlp.HexID(d.b[it.v0:it.v1], 32)
		case it.num == 2 && it.isBytes:
			l.SpanID = otlp.HexID(d.b[it.v0:it.v1], 16)
		case it.num == 4 && it.isBytes:
			if err := d.keyValue(it.v0, it.v1, &d.otherAttrs); err != nil {
				return err
			}
		}
	}
	l.Attributes = d.flushAttrs(d.otherAttrs)
	d.linkScratch = append(d.linkScratch, l)
	return it.err
}

// traceID renders a span's trace ID once per distinct value.
func (d *pdec) traceID(sp *datasources.Span, it *iter) {
	raw := d.s[it.v0:it.v1]
	if d.lastTIDHex == "" || raw != d.lastTID {
		d.lastTID, d.lastTIDHex = raw, otlp.HexID(d.b[it.v0:it.v1], 32)
	}
	sp.TraceID = d.lastTIDHex
}

// hexField renders id as hex, padded to width, into text.
func (d *pdec) hexField(dst *string, id []byte, width int) {
	if len(id) == 0 {
		*dst = ""
		return
	}
	b := d.text.alloc(max(width, 2*len(id)))
	pad := len(b) - 2*len(id)
	for i := range pad {
		b[i] = '0'
	}
	for i, x := range id {
		b[pad+2*i], b[pad+2*i+1] = otlp.HexDigits[x>>4], otlp.HexDigits[x&0xf]
	}
	*dst = unsafe.String(&b[0], len(b))
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// flushAttrs moves an owner's attributes to the slab.
func (d *pdec) flushAttrs(pending []datasources.Attribute) []datasources.Attribute {
	return d.attrs.take(pending)
}

// keyValue decodes one KeyValue onto dst.
func (d *pdec) keyValue(p, end int, dst *[]datasources.Attribute) error {
	var pa datasources.Attribute
	it := d.iter(p, end)
	for it.next() {
		switch {
		case it.num == 1 && it.isBytes:
			pa.Key = d.str(&it)
		case it.num == 2 && it.isBytes:
			pa.Value, pa.Type = "", datasources.TypeString
			if err := d.anyValue(it.v0, it.v1, &pa); err != nil {
				return err
			}
		}
	}
	*dst = append(*dst, pa)
	return it.err
}

// checkKeyValue checks one KeyValue's wire format, nested values too,
// without rendering it: the attribute a lazy span reads later.
func (d *pdec) checkKeyValue(p, end int) (key string, err error) {
	if key, ok := d.plainKeyValue(p, end); ok {
		return key, nil
	}
	return d.checkAnyKeyValue(p, end)
}

// plainKeyValue reads the key of the KeyValue at body[p:end] when it is
// laid out as nearly all are: the key, then a value that is one string,
// bytes, bool, int or double, with one-byte tags and lengths. ok is false
// for any other layout, valid or not, which checkAnyKeyValue reads.
func (d *pdec) plainKeyValue(p, end int) (key string, ok bool) {
	b := d.b[:end]
	if p+2 > end || b[p] != 0x0a || b[p+1] >= 0x80 {
		return "", false
	}
	k0, k1 := p+2, p+2+int(b[p+1])
	if k1+2 > end || b[k1] != 0x12 || b[k1+1] >= 0x80 || k1+2+int(b[k1+1]) != end {
		return "", false
	}
	v, n := k1+2, end-k1-2 // the AnyValue, n bytes
	switch {
	case n == 0:
		ok = true
	case b[v] == 0x0a || b[v] == 0x3a: // string_value, bytes_value
		ok = n >= 2 && b[v+1] < 0x80 && 2+int(b[v+1]) == n
	case b[v] == 0x10 || b[v] == 0x18: // bool_value, int_value
		_, m := protowire.ConsumeVarint(b[v+1:])
		ok = m == n-1
	case b[v] == 0x21: // double_value
		ok = n == 9
	}
	return d.s[k0:k1], ok
}

// checkAnyKeyValue is checkKeyValue for any layout.
func (d *pdec) checkAnyKeyValue(p, end int) (key string, err error) {
	it := d.iter(p, end)
	for it.next() {
		switch {
		case it.num == 1 && it.isBytes:
			key = d.str(&it)
		case it.num == 2 && it.isBytes:
			if err := d.checkAny(it.v0, it.v1); err != nil {
				return "", err
			}
		}
	}
	return key, it.err
}

// checkAny checks an AnyValue as checkKeyValue does.
func (d *pdec) checkAny(p, end int) error {
	it := d.iter(p, end)
	for it.next() {
		if (it.num == 5 || it.num == 6) && it.isBytes {
			// ArrayValue and KeyValueList: repeated field 1, an AnyValue
			// or a KeyValue.
			in := d.iter(it.v0, it.v1)
			for in.next() {
				if in.num != 1 || !in.isBytes {
					continue
				}
				var err error
				if it.num == 5 {
					err = d.checkAny(in.v0, in.v1)
				} else {
					_, err = d.checkKeyValue(in.v0, in.v1)
				}
				if err != nil {
					return err
				}
			}
			if in.err != nil {
				return in.err
			}
		}
	}
	return it.err
}

// anyValue renders the value into pa: strings slice the body, everything
// else is written to text.
func (d *pdec) anyValue(p, end int, pa *datasources.Attribute) error {
	it := d.iter(p, end)
	for it.next() {
		b := d.tmp[:0]
		switch {
		case it.num == 1 && it.isBytes:
			pa.Value, pa.Type = d.str(&it), datasources.TypeString
			continue
		case it.num == 2 && it.isVarint:
			pa.Value, pa.Type = strconv.FormatBool(it.u != 0), datasources.TypeBool
			continue
		case it.num == 3 && it.isVarint:
			b = strconv.AppendInt(b, int64(it.u), 10)
			pa.Type = datasources.TypeInt
		case it.num == 4 && it.isFixed:
			b = otlp.AppendFloat(b, math.Float64frombits(it.u))
			pa.Type = datasources.TypeDouble
		case it.num == 7 && it.isBytes:
			b = base64.StdEncoding.AppendEncode(b, d.b[it.v0:it.v1])
			pa.Type = datasources.TypeBytes
		case (it.num == 5 || it.num == 6) && it.isBytes:
			var err error
			if b, err = d.appendNested(b, it.num, it.v0, it.v1); err != nil {
				return err
			}
			pa.Type = datasources.TypeArray
			if it.num == 6 {
				pa.Type = datasources.TypeMap
			}
		default:
			continue
		}
		if d.loose {
			pa.Value = string(b)
		} else {
			pa.Value = d.text.str(b)
		}
		d.tmp = b
	}
	return it.err
}

// appendNested writes an ArrayValue (5) or KeyValueList (6) as the
// JSON-like text appendValue produces for the generated types.
func (d *pdec) appendNested(b []byte, kind protowire.Number, p, end int) ([]byte, error) {
	open, close := byte('['), byte(']')
	if kind == 6 {
		open, close = '{', '}'
	}
	b = append(b, open)
	first := true
	it := d.iter(p, end)
	for it.next() {
		if it.num != 1 || !it.isBytes {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		var err error
		if kind == 5 {
			b, err = d.appendAny(b, it.v0, it.v1)
		} else {
			b, err = d.appendKV(b, it.v0, it.v1)
		}
		if err != nil {
			return nil, err
		}
	}
	return append(b, close), it.err
}

func (d *pdec) appendKV(b []byte, p, end int) ([]byte, error) {
	key, v0, v1, has, err := d.kvParts(p, end)
	if err != nil {
		return nil, err
	}
	b = strconv.AppendQuote(b, key)
	b = append(b, ':')
	if !has {
		return append(b, "null"...), nil
	}
	return d.appendAny(b, v0, v1)
}

// kvParts reads a KeyValue's key and where its value lies (the last of
// each, as proto merges them), without rendering the value.
func (d *pdec) kvParts(p, end int) (key string, v0, v1 int, has bool, err error) {
	it := d.iter(p, end)
	for it.next() {
		switch {
		case it.num == 1 && it.isBytes:
			key = d.str(&it)
		case it.num == 2 && it.isBytes:
			v0, v1, has = it.v0, it.v1, true
		}
	}
	return key, v0, v1, has, it.err
}

// appendAny writes one nested AnyValue; the last value field wins, as in
// proto's oneof.
func (d *pdec) appendAny(b []byte, p, end int) ([]byte, error) {
	last := iter{}
	found := false
	it := d.iter(p, end)
	for it.next() {
		switch {
		case it.num == 1 && it.isBytes, it.num == 2 && it.isVarint, it.num == 3 && it.isVarint,
			it.num == 4 && it.isFixed, it.num == 5 && it.isBytes, it.num == 6 && it.isBytes, it.num == 7 && it.isBytes:
			last, found = it, true
		}
	}
	if it.err != nil {
		return nil, it.err
	}
	if !found {
		return append(b, "null"...), nil
	}
	switch last.num {
	case 1:
		return strconv.AppendQuote(b, d.s[last.v0:last.v1]), nil
	case 2:
		return strconv.AppendBool(b, last.u != 0), nil
	case 3:
		return strconv.AppendInt(b, int64(last.u), 10), nil
	case 4:
		return otlp.AppendFloat(b, math.Float64frombits(last.u)), nil
	case 7:
		return strconv.AppendQuote(b, base64.StdEncoding.EncodeToString(d.b[last.v0:last.v1])), nil
	}
	return d.appendNested(b, last.num, last.v0, last.v1)
}
