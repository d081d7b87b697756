package views

import (
	"context"
	"io"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/a-h/templ"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
)

// Log rows are the logs page's hot loop (up to 5,000 per page, each with
// its expanded view), so they are written as bytes, not through templ:
// the same markup logs.templ wrote, at a fraction of the calls and
// allocations. Every attribute goes through appendEscaped, every text
// through appendText.

// logRows writes rows in 64 KB chunks, on every core for a page of many
// (writePieces).
func logRows(rows []LogRow) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		return writePieces(w, len(rows), func() pieceWriter {
			return func(w io.Writer, lo, hi int) error {
				return writeChunked(w, hi-lo, func(b []byte, i int) []byte { return appendLogRow(b, &rows[lo+i]) })
			}
		})
	})
}

// builtLogRows builds lines' rows as it writes them: each core's builder
// fills one row and writes it before the next, so no page of rows and
// their strings is held (for the GC to mark) between building and
// writing, and a row is written while it is in the cache.
func builtLogRows(lines []datasources.LogLine, in LogRowsInput) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		return writePieces(w, len(lines), func() pieceWriter {
			bld := newRowBuilder(in, 0, false)
			var r LogRow
			return func(w io.Writer, lo, hi int) error {
				return writeChunked(w, hi-lo, func(b []byte, i int) []byte {
					bld.build(&r, &lines[lo+i], lo+i)
					return appendLogRow(b, &r)
				})
			}
		})
	})
}

// pieceWriter writes rows [lo, hi) to w.
type pieceWriter func(w io.Writer, lo, hi int) error

// pieceRows is how many rows a piece of a page holds (writePieces).
const pieceRows = 256

// writePieces writes n rows. A page of many (rowShares) is cut into
// pieces that every core takes in turn, each with a writer of its own
// (newWriter: a builder made once per core, not per piece), into chunks
// of their own; this goroutine writes them out in order as they are
// done, and takes pieces itself while the next is not. Pieces, not one
// share a core, so that a core held up (by the collector, or the other
// work of a busy server) does not hold the page up by its whole share.
func writePieces(w io.Writer, n int, newWriter func() pieceWriter) error {
	cores := rowShares(n)
	if cores == 1 {
		return newWriter()(w, 0, n)
	}
	pieces := (n + pieceRows - 1) / pieceRows
	out := make([]chunks, pieces)
	ready := make([]chan struct{}, pieces)
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	var taken atomic.Int32
	take := func(write pieceWriter) bool {
		i := int(taken.Add(1)) - 1
		if i >= pieces {
			return false
		}
		_ = write(&out[i], i*pieceRows, min((i+1)*pieceRows, n)) // chunks take every write
		close(ready[i])
		return true
	}
	for range cores - 1 {
		go func() {
			write := newWriter()
			for take(write) {
			}
		}()
	}
	mine := newWriter()
	var err error
	for k := range pieces {
	wait:
		for {
			select {
			case <-ready[k]:
				break wait
			default:
				if !take(mine) {
					<-ready[k]
					break wait
				}
			}
		}
		// After an error the pieces are still waited for: their
		// buffers go back to the pool only once no one writes them.
		for _, bp := range out[k] {
			if err == nil {
				_, err = w.Write(*bp)
			}
			*bp = (*bp)[:0]
			rowBuffers.Put(bp)
		}
	}
	return err
}

// chunks keeps what is written to it in pooled buffers of its own.
type chunks []*[]byte

// keep takes over the pooled buffer bp, now holding b.
func (c *chunks) keep(bp *[]byte, b []byte) {
	*bp = b
	*c = append(*c, bp)
}

func (c *chunks) Write(b []byte) (int, error) {
	bp := rowBuffers.Get().(*[]byte)
	*bp = append((*bp)[:0], b...)
	*c = append(*c, bp)
	return len(b), nil
}

// writeChunked writes n rows, each appended by row, to w in 64 KB chunks.
func writeChunked(w io.Writer, n int, row func(b []byte, i int) []byte) error {
	bp := rowBuffers.Get().(*[]byte)
	b := (*bp)[:0]
	var err error
	for i := range n {
		b = row(b, i)
		if len(b) >= 64<<10 {
			if c, ok := w.(*chunks); ok {
				// A later share's chunk is kept as it is, not copied.
				c.keep(bp, b)
				bp = rowBuffers.Get().(*[]byte)
				b = (*bp)[:0]
				continue
			}
			if _, err = w.Write(b); err != nil {
				break
			}
			b = b[:0]
		}
	}
	if err == nil && len(b) > 0 {
		if c, ok := w.(*chunks); ok {
			c.keep(bp, b)
			return nil
		}
		_, err = w.Write(b)
	}
	*bp = b[:0]
	rowBuffers.Put(bp)
	return err
}

var rowBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 80<<10); return &b }}

func appendLogRow(b []byte, r *LogRow) []byte {
	b = append(b, `<details class="logline`...)
	if r.LevelClass != "" {
		b = append(b, ' ')
		b = appendEscaped(b, r.LevelClass)
	}
	if r.Highlight {
		b = append(b, " hl"...)
	}
	b = append(b, '"')
	if r.Open {
		b = append(b, " open"...)
	}
	b = append(b, ` id="`...)
	b = appendEscaped(b, r.ID)
	b = append(b, `" data-span="`...)
	b = appendEscaped(b, r.SpanID)
	b = append(b, `"><summary><time class="t" title="`...)
	if st := r.stamp; st != nil {
		b = append(b, st.headHTML...)
		b = append(b, '.')
		b = appendDigits(b, r.frac, 9)
		b = append(b, st.tailHTML...)
		b = append(b, `">`...)
		b = append(b, st.clockHTML...)
		b = append(b, '.')
		b = appendDigits(b, r.frac/1e6, 3)
	} else {
		b = appendEscaped(b, r.TimeTitle)
		b = append(b, `">`...)
		b = appendText(b, r.Time)
	}
	b = append(b, `</time> `...)
	if r.Offset != "" {
		b = append(b, `<span class="off">`...)
		b = appendText(b, r.Offset)
		b = append(b, `</span> `...)
	}
	b = append(b, `<span class="lvl`...)
	if r.LevelClass != "" {
		b = append(b, ' ')
		b = appendEscaped(b, r.LevelClass)
	}
	b = append(b, `">`...)
	b = appendText(b, r.Level)
	b = append(b, `</span> <span class="svc`...)
	if r.SvcClass != "" {
		b = append(b, ' ')
		b = appendEscaped(b, r.SvcClass)
	}
	b = append(b, `">`...)
	b = appendText(b, r.Service)
	b = append(b, `</span> `...)
	if r.summary != nil {
		b = append(b, r.summary...)
	} else {
		b = appendSummary(b, r)
	}
	b = append(b, `</summary><div class="logbody">`...)
	if r.line.parts != nil || r.LineURL != "" {
		// Built Lazy: a link to the line's page, which logs.js swaps for
		// the expanded view itself (that page's fragment, links.LogLineBody)
		// when the line is opened.
		b = append(b, `<p class="line-more"><a href="`...)
		if p := r.line.parts; p != nil {
			// Head and Mid are escaped already; the hash (base 36) and
			// the time (digits) need no escape.
			b = append(b, p.Head...)
			b = appendBase36(b, r.line.hash)
			b = append(b, p.Mid...)
			b = strconv.AppendInt(b, r.line.tsNs, 10)
		} else {
			b = appendEscaped(b, r.LineURL)
		}
		b = append(b, `">The whole line, its links and fields</a></p>`...)
	} else {
		b = appendLogBody(b, r)
	}
	return append(b, `</div></details>`...)
}

// appendSummary writes what a row's summary shows of its line: its
// message and other fields, or the line cut short, and its trace links.
func appendSummary(b []byte, r *LogRow) []byte {
	if r.Message != "" {
		b = append(b, `<span class="msg"><span class="m">`...)
		b = appendText(b, r.Message)
		b = append(b, `</span> <span class="kvs">`...)
		for i, f := range r.MessageRest {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendText(b, f.Key)
			b = append(b, '=')
			b = appendText(b, f.Value)
		}
		b = append(b, `</span></span> `...)
	} else {
		b = append(b, `<span class="msg">`...)
		b = appendText(b, r.Preview)
		if r.Rest != "" {
			b = append(b, ` <span class="cut">… (`...)
			b = appendText(b, r.RestSize)
			b = append(b, ` more)</span>`...)
		}
		b = append(b, `</span> `...)
	}
	for _, t := range r.Traces {
		b = append(b, `<a class="tlink mono" href="`...)
		b = appendTraceURL(b, r, &t)
		b = append(b, `" title="Open trace `...)
		b = appendEscaped(b, t.Label)
		b = append(b, `">trace `...)
		b = appendText(b, shortID(t.Label))
		b = append(b, `</a>`...)
	}
	return b
}

// appendTraceURL writes the URL of the row's trace link t, from its
// parts when the row has them (LogRow.traceQuery).
func appendTraceURL(b []byte, r *LogRow, t *Link) []byte {
	if r.traceQuery == "" {
		return appendEscaped(b, t.URL)
	}
	b = append(b, links.TracesPath+"/"...)
	b = appendEscaped(b, t.Label) // a trace ID, lower-case hex: as url.PathEscape writes it
	return append(b, r.traceQuery...)
}

// lineRef is a lazy row's LineURL in its parts: its stream's
// links.LineURLs escaped for an attribute, and its hash and time.
type lineRef struct {
	parts *links.LineURLs
	hash  uint64
	tsNs  int64
}

// appendLogBody writes a line's expanded view: the line whole (indented
// when asked), its links, its pin button and its tables.
func appendLogBody(b []byte, r *LogRow) []byte {
	switch {
	case r.Pretty != "":
		b = append(b, `<pre class="raw pretty">`...)
		b = appendText(b, r.Pretty)
		b = append(b, `</pre>`...)
	case r.Message != "":
		b = append(b, `<pre class="raw">`...)
		b = appendText(b, r.Preview)
		b = append(b, `</pre>`...)
	}
	if r.Rest != "" {
		b = append(b, `<details class="showall"><summary>show all (`...)
		b = appendText(b, r.RestSize)
		b = append(b, ` more)</summary><pre class="rest">`...)
		b = appendText(b, r.Rest)
		b = append(b, `</pre></details>`...)
	}
	b = append(b, `<p class="actions">`...)
	for _, t := range r.Traces {
		b = append(b, `<a href="`...)
		b = appendTraceURL(b, r, &t)
		b = append(b, `">Trace <span class="mono">`...)
		b = appendText(b, t.Label)
		b = append(b, `</span></a> `...)
	}
	if r.SpanURL != "" {
		b = append(b, `<a href="`...)
		b = appendEscaped(b, r.SpanURL)
		b = append(b, `">Span <span class="mono">`...)
		b = appendText(b, r.SpanID)
		b = append(b, `</span></a> `...)
	}
	if r.ContextURL != "" {
		b = append(b, `<a href="`...)
		b = appendEscaped(b, r.ContextURL)
		b = append(b, `">show context</a> `...)
	}
	if r.PinRef != "" {
		b = append(b, `<button type="submit" class="secondary pin-line" form="pin-lines" name="pin_ref" value="`...)
		b = appendEscaped(b, r.PinRef)
		b = append(b, `">Pin line</button>`...)
	}
	b = append(b, `</p>`...)
	return appendFieldTables(b, r)
}

func appendFieldTables(b []byte, r *LogRow) []byte {
	b = appendFieldTable(b, "Fields", r.Fields)
	b = appendFieldTable(b, "Stream labels", r.Labels)
	return appendFieldTable(b, "Structured metadata", r.Metadata)
}

// LogLineBody is a line's expanded view alone: the fragment a lazily
// built row (LogRowsInput.Lazy) fetches when opened.
func LogLineBody(r LogRow) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := w.Write(appendLogBody(nil, &r))
		return err
	})
}

func appendFieldTable(b []byte, title string, kvs []KV) []byte {
	if len(kvs) == 0 {
		return b
	}
	b = append(b, `<table class="kv fields"><caption>`...)
	b = append(b, title...) // ours, plain text
	if kvs[0].Narrow != "" {
		b = append(b, ` <span class="muted">· a value narrows the query to it</span>`...)
	}
	b = append(b, `</caption> `...)
	for _, kv := range kvs {
		b = append(b, `<tr><th>`...)
		b = appendText(b, kv.Key)
		b = append(b, `</th><td>`...)
		switch {
		case kv.Narrow != "":
			b = append(b, `<button form="`+LogsFormID+`" name="where" value="`...)
			b = appendEscaped(b, kv.Narrow)
			b = append(b, ':')
			b = appendEscaped(b, kv.Key)
			b = append(b, '=')
			b = appendEscaped(b, kv.Value)
			b = append(b, `">`...)
			b = appendText(b, kv.Value)
			b = append(b, `</button>`...)
		case kv.URL != "":
			b = append(b, `<a href="`...)
			b = appendEscaped(b, kv.URL)
			b = append(b, `" title="Only lines whose `...)
			b = appendEscaped(b, kv.Key)
			b = append(b, ` is this">`...)
			b = appendText(b, kv.Value)
			b = append(b, `</a>`...)
		default:
			b = appendText(b, kv.Value)
		}
		b = append(b, `</td></tr>`...)
	}
	return append(b, `</table>`...)
}

// appendText appends s escaped for an element's text: & < >. Quotes mean
// nothing there, and JSON lines are full of them.
func appendText(b []byte, s string) []byte { return appendHTML(b, s, false) }

// appendEscaped appends s escaped for a quoted attribute value (and any
// text), as html.EscapeString (and so templ) escapes: & < > " '.
func appendEscaped(b []byte, s string) []byte { return appendHTML(b, s, true) }

func appendHTML(b []byte, s string, quotes bool) []byte {
	// Most of a log page's bytes need no escape: look at eight at a time
	// (mayEscape), a byte at a time by table only where one may, and
	// copy the runs between escapes whole.
	need := byte(escText)
	if quotes {
		need = escText | escQuote
	}
	if n := len(s); n >= 4 && n < 8 {
		// A short string (a key, a value, a level): its bytes in one
		// word, from two overlapping halves.
		if !mayEscape(uint64(text.Word32(s, 0))|uint64(text.Word32(s, n-4))<<32, quotes) {
			return append(b, s...)
		}
	}
	last, i := 0, 0
	for ; i+8 <= len(s); i += 8 {
		if !mayEscape(text.Word(s, i), quotes) {
			continue
		}
		for j := i; j < i+8; j++ {
			if htmlEscapes[s[j]]&need != 0 {
				b = append(b, s[last:j]...)
				b = append(b, htmlEntities[s[j]]...)
				last = j + 1
			}
		}
	}
	if i < len(s) && len(s) >= 8 && !mayEscape(text.Word(s, len(s)-8), quotes) {
		i = len(s) // the last word, overlapping the one before, is clean
	}
	for ; i < len(s); i++ {
		if htmlEscapes[s[i]]&need != 0 {
			b = append(b, s[last:i]...)
			b = append(b, htmlEntities[s[i]]...)
			last = i + 1
		}
	}
	return append(b, s[last:]...)
}

// mayEscape says whether any of the eight bytes of v may be one that
// appendHTML escapes: & or ' (a byte that is 0x27 with its lowest bit
// set), < or > (0x3e with bit 1 set), and with quotes ". It may say so
// of eight that need none (' in text, or the borrow of hasZero), never
// the other way: the look-up per byte decides.
func mayEscape(v uint64, quotes bool) bool {
	t := text.HasZero((v|text.Ones)^(0x27*text.Ones)) | text.HasZero((v|2*text.Ones)^(0x3e*text.Ones))
	if quotes {
		t |= text.HasZero(v ^ (0x22 * text.Ones))
	}
	return t != 0
}

// htmlEntities are the escapes appendHTML writes, as html.EscapeString
// does.
var htmlEntities = [256]string{'&': "&amp;", '<': "&lt;", '>': "&gt;", '"': "&#34;", '\'': "&#39;"}

// htmlEscapes marks the bytes appendHTML escapes: & < > always, the
// quotes in attribute values.
const (
	escText  = 1
	escQuote = 2
)

var htmlEscapes = [256]byte{'&': escText, '<': escText, '>': escText, '"': escQuote, '\'': escQuote}
