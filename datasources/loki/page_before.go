package loki

import (
	"context"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

// Paging the other way. Page continues in the query's own direction
// ("older" for a newest-first query). The page before a cursor {T, s}
// ("newer" for a newest-first page) is the s lines at T that the page at
// that cursor skipped, plus the lines beyond T nearest to it, which the
// reverse query finds. Lines of one timestamp keep the canonical order
// (stream labels, then text) in both directions, which is what makes both
// boundaries exact when many lines share a timestamp.

// PageBefore returns the q.Limit lines that come just before top in q's
// order, in q's order: the page that a link back from the page at top
// shows. Its Next leads to top again, and its Prev is its own top, zero
// when it is the query's first page. There is nothing before the zero
// Cursor (the query's start): it gives an empty page.
//
// When the farthest timestamp it reaches holds more lines than fit, it
// takes all of them, so that its own top is a whole timestamp: such a page
// is longer than q.Limit, and when that timestamp is the query's first,
// the page before it is empty. Where no timestamp holds more lines than a
// page, the pages going back are the pages Page gives going on.
func (c *Client) PageBefore(ctx context.Context, q Query, top Cursor) (*LogPage, error) {
	if top.IsZero() {
		return &LogPage{}, nil
	}
	n := q.Limit
	if n <= 0 {
		n = DefaultPageSize
	}
	// Entirely inside the group at T: the earlier part of it.
	if top.Skip >= n {
		start := Cursor{TimeNs: top.TimeNs, Skip: top.Skip - n}
		pg, err := c.Page(ctx, q, start)
		if err != nil {
			return nil, err
		}
		pg.Lines = pg.Lines[:min(len(pg.Lines), n)]
		pg.More, pg.Next, pg.Prev = true, top, start
		return pg, nil
	}

	// The lines beyond T, nearest first: the reverse query with its bound
	// just past T.
	rev := q
	rev.Limit = n - top.Skip
	if q.dir() == Forward {
		rev.Direction = Backward
		rev.End = time.Unix(0, top.TimeNs) // exclusive: strictly before T
	} else {
		rev.Direction = Forward
		rev.Start = time.Unix(0, top.TimeNs+1) // strictly after T
	}
	beyond, err := c.Page(ctx, rev, Cursor{})
	if err != nil {
		return nil, err
	}
	lines := beyond.Lines
	var newTop Cursor
	if len(lines) > 0 && beyond.More {
		// The farthest timestamp may be cut: take all of it, so the new
		// page's top is a whole group and its own cursor is {T2, 0}.
		far := lines[len(lines)-1].TimeNs
		g := q
		g.Start, g.End, g.Limit = time.Unix(0, far), time.Unix(0, far+1), MaxEntriesPerQuery
		group, err := c.QueryRange(ctx, g)
		if err != nil {
			return nil, err
		}
		i := len(lines)
		for i > 0 && lines[i-1].TimeNs == far {
			i--
		}
		lines = append(lines[:i:i], group.Lines...)
		newTop = Cursor{TimeNs: far}
	}

	// The first Skip lines at T, which the page at top left out.
	var atT []datasources.LogLine
	if top.Skip > 0 {
		at := q
		at.Limit = top.Skip
		pg, err := c.Page(ctx, at, Cursor{TimeNs: top.TimeNs})
		if err != nil {
			return nil, err
		}
		for _, l := range pg.Lines {
			if l.TimeNs == top.TimeNs && len(atT) < top.Skip {
				atT = append(atT, l)
			}
		}
	}

	out := &LogPage{Categorized: beyond.Categorized, Warnings: beyond.Warnings, More: true, Next: top, Prev: newTop}
	out.Lines = append(ReverseDirection(lines), atT...)
	if len(out.Lines) > 0 {
		last := out.Lines[len(out.Lines)-1].TimeNs
		out.Next = Cursor{TimeNs: last, Skip: countAt(out.Lines, last)}
	}
	return out, nil
}

// ReverseDirection puts lines ordered for one direction in the order of the
// other: their timestamps reversed, the lines of one timestamp kept in the
// canonical order, as Loki would have answered the reverse query.
func ReverseDirection(lines []datasources.LogLine) []datasources.LogLine {
	out := make([]datasources.LogLine, 0, len(lines))
	for end := len(lines); end > 0; {
		start := end - 1
		for start > 0 && lines[start-1].TimeNs == lines[end-1].TimeNs {
			start--
		}
		out = append(out, lines[start:end]...)
		end = start
	}
	return out
}
