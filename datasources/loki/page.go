package loki

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Loki has no cursor: a page of log lines is a query whose time bound moves
// to the last line shown. Many lines can share one nanosecond (batch
// imports, coarse clocks), so the bound alone would repeat or lose lines;
// a Cursor also counts the lines at its timestamp that were already shown.
// That count is reproducible because lines of one timestamp are always
// ordered by stream labels, then line text (see Result.Lines), and because
// Page only counts lines of a timestamp it holds completely.

// DefaultPageSize is used when Query.Limit is zero.
const DefaultPageSize = 100

// MaxEntriesPerQuery is Loki's default max_entries_limit_per_query; it
// bounds the one extra request that fetches every line of a timestamp.
const MaxEntriesPerQuery = 5000

// Cursor is where the next page starts: lines at or before TimeNs (at or
// after, for forward), minus the first Skip lines at exactly TimeNs. The
// zero Cursor starts at the query's own bound.
type Cursor struct {
	TimeNs int64
	Skip   int
}

// IsZero reports whether c is the start of the query.
func (c Cursor) IsZero() bool { return c == Cursor{} }

// String encodes c for a URL: "<ns>:<skip>", or "" for the zero Cursor.
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	return strconv.FormatInt(c.TimeNs, 10) + ":" + strconv.Itoa(c.Skip)
}

// ParseCursor reads what String wrote; "" is the zero Cursor.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	tsText, skipText, ok := strings.Cut(s, ":")
	ts, err1 := strconv.ParseInt(tsText, 10, 64)
	skip, err2 := strconv.Atoi(skipText)
	if !ok || err1 != nil || err2 != nil || skip < 0 {
		return Cursor{}, errors.New(`a page cursor is "<unix ns>:<lines to skip>", e.g. 1705313100250000000:3`)
	}
	return Cursor{TimeNs: ts, Skip: skip}, nil
}

// LogPage is one page of log lines.
type LogPage struct {
	Lines []datasources.LogLine
	// Next continues in the query's direction; meaningful when More.
	Next Cursor
	More bool
	// Prev is where the page begins: PageBefore(Prev) is the page before
	// it. Zero on the query's first page.
	Prev        Cursor
	Categorized bool
	Stats       Stats
	Warnings    []string
}

// Page returns up to q.Limit lines of a log query starting at cur. It
// usually costs one request, and a second one when the page ends inside a
// timestamp that the first answer may not hold completely.
func (c *Client) Page(ctx context.Context, q Query, cur Cursor) (*LogPage, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	forward := q.dir() == Forward
	w := q
	if !cur.IsZero() {
		if forward {
			w.Start = time.Unix(0, cur.TimeNs)
		} else {
			w.End = time.Unix(0, cur.TimeNs+1) // end is exclusive
		}
	} else {
		cur.Skip = 0
	}
	// One line more than the page, so that we see whether the page's
	// last timestamp continues beyond it.
	w.Limit = limit + cur.Skip + 1
	res, err := c.QueryRange(ctx, w)
	if err != nil {
		return nil, err
	}
	if res.Type != "" && res.Type != ResultStreams {
		return nil, &datasources.Error{Kind: datasources.ErrorBadQuery, Backend: Backend,
			Message: "This is a metric query; log pages need a log query."}
	}
	page := &LogPage{Prev: cur, Categorized: res.Categorized, Stats: res.Stats, Warnings: res.Warnings}
	lines := res.Lines
	full := len(lines) >= w.Limit
	after := skipAt(lines, cur)
	if !full {
		// Everything left in the window is here.
		page.Lines = after
		return page, nil
	}
	page.More = true
	oldest := lines[len(lines)-1].TimeNs // "oldest": last in direction
	complete := after
	for i, l := range after {
		if l.TimeNs == oldest {
			complete = after[:i]
			break
		}
	}
	if len(complete) >= limit {
		page.Lines = complete[:limit]
		last := page.Lines[limit-1].TimeNs
		page.Next = Cursor{TimeNs: last, Skip: countAt(page.Lines, last)}
		if last == cur.TimeNs {
			page.Next.Skip += cur.Skip
		}
		return page, nil
	}
	// The page ends inside the last timestamp of the answer, which may be
	// cut: fetch all of its lines.
	g := q
	g.Start, g.End = time.Unix(0, oldest), time.Unix(0, oldest+1)
	g.Limit = MaxEntriesPerQuery
	group, err := c.QueryRange(ctx, g)
	if err != nil {
		return nil, err
	}
	if len(group.Lines) >= MaxEntriesPerQuery {
		page.Warnings = append(page.Warnings, fmt.Sprintf(
			"At least %d log lines share the timestamp %d; paging may skip some of them.", MaxEntriesPerQuery, oldest))
	}
	base := 0
	if oldest == cur.TimeNs {
		base = cur.Skip
	}
	base = min(base, len(group.Lines))
	take := min(limit-len(complete), len(group.Lines)-base)
	page.Lines = append(complete[:len(complete):len(complete)], group.Lines[base:base+take]...)
	page.Next = Cursor{TimeNs: oldest, Skip: base + take}
	return page, nil
}

// skipAt drops the first cur.Skip lines at cur.TimeNs; they lead lines,
// since the window starts (or ends) at that timestamp.
func skipAt(lines []datasources.LogLine, cur Cursor) []datasources.LogLine {
	n := 0
	for n < len(lines) && n < cur.Skip && lines[n].TimeNs == cur.TimeNs {
		n++
	}
	return lines[n:]
}

func countAt(lines []datasources.LogLine, ts int64) int {
	n := 0
	for i := len(lines) - 1; i >= 0 && lines[i].TimeNs == ts; i-- {
		n++
	}
	return n
}

// QueryAll pages through a log query until it has max lines or the range
// is exhausted. Each request asks for q.Limit lines (DefaultPageSize when
// zero). The returned page's Next and More say where to continue.
func (c *Client) QueryAll(ctx context.Context, q Query, max int) (*LogPage, error) {
	out := &LogPage{}
	if max <= 0 {
		return out, nil
	}
	var cur Cursor
	for {
		pq := q
		if pq.Limit <= 0 {
			pq.Limit = DefaultPageSize
		}
		pq.Limit = min(pq.Limit, max-len(out.Lines))
		p, err := c.Page(ctx, pq, cur)
		if err != nil {
			return nil, err
		}
		out.Lines = append(out.Lines, p.Lines...)
		out.Categorized = out.Categorized || p.Categorized
		out.Warnings = append(out.Warnings, p.Warnings...)
		out.Stats.BytesProcessed += p.Stats.BytesProcessed
		out.Stats.LinesProcessed += p.Stats.LinesProcessed
		out.Stats.EntriesReturned += p.Stats.EntriesReturned
		out.Stats.ExecTime += p.Stats.ExecTime
		out.Stats.QueueTime += p.Stats.QueueTime
		out.Next, out.More = p.Next, p.More
		if !p.More || len(out.Lines) >= max {
			return out, nil
		}
		cur = p.Next
	}
}
