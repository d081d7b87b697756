package handlers

import (
	"context"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
)

// Paging both ways through a log query. Loki has no cursor; loki.Page moves
// the time bound and counts the lines already shown at it, so "older" (the
// query's own direction) is one Page call. The other way ("newer" for a
// newest-first page) is the page that ends just before the current page's
// top cursor {T, s}: the s lines at T that the current page skipped, plus
// the lines beyond T nearest to it. Lines of one timestamp keep Loki's
// canonical order (stream labels, then text) in both directions, which is
// what makes both boundaries exact when many lines share a timestamp.

// logPage returns a page of q and the cursor of its top (for the link the
// other way; zero when the page is the first). With newer set it returns
// the page just before that cursor instead of the page at cur.
func (h *Handler) logPage(ctx context.Context, q loki.Query, cur, newer loki.Cursor) (*loki.LogPage, loki.Cursor, error) {
	if newer.IsZero() {
		pg, err := h.opt.Loki.Page(ctx, q, cur)
		return pg, cur, err
	}
	return h.pageBefore(ctx, q, newer)
}

// pageBefore returns up to q.Limit lines that come just before top in q's
// order, in q's order, and the cursor of the returned page's own top.
func (h *Handler) pageBefore(ctx context.Context, q loki.Query, top loki.Cursor) (*loki.LogPage, loki.Cursor, error) {
	n := q.Limit
	if n <= 0 {
		n = loki.DefaultPageSize
	}
	// Entirely inside the group at T: the earlier part of it.
	if top.Skip >= n {
		c := loki.Cursor{TimeNs: top.TimeNs, Skip: top.Skip - n}
		pg, err := h.opt.Loki.Page(ctx, q, c)
		if err != nil {
			return nil, loki.Cursor{}, err
		}
		pg.Lines = pg.Lines[:min(len(pg.Lines), n)]
		pg.More, pg.Next = true, top
		return pg, c, nil
	}

	// The lines beyond T, nearest first: the reverse query with its bound
	// just past T.
	rev := q
	rev.Limit = n - top.Skip
	if q.Direction == loki.Forward {
		rev.Direction = loki.Backward
		rev.End = time.Unix(0, top.TimeNs) // exclusive: strictly before T
	} else {
		rev.Direction = loki.Forward
		rev.Start = time.Unix(0, top.TimeNs+1) // strictly after T
	}
	beyond, err := h.opt.Loki.Page(ctx, rev, loki.Cursor{})
	if err != nil {
		return nil, loki.Cursor{}, err
	}
	lines := beyond.Lines
	var newTop loki.Cursor
	if len(lines) > 0 && beyond.More {
		// The farthest timestamp may be cut: take all of it, so the new
		// page's top is a whole group and its own cursor is {T2, 0}.
		far := lines[len(lines)-1].TimeNs
		g := q
		g.Start, g.End, g.Limit = time.Unix(0, far), time.Unix(0, far+1), loki.MaxEntriesPerQuery
		group, err := h.opt.Loki.QueryRange(ctx, g)
		if err != nil {
			return nil, loki.Cursor{}, err
		}
		i := len(lines)
		for i > 0 && lines[i-1].TimeNs == far {
			i--
		}
		lines = append(lines[:i:i], group.Lines...)
		newTop = loki.Cursor{TimeNs: far}
	}

	// The first Skip lines at T, which the current page left out.
	var atT []datasources.LogLine
	if top.Skip > 0 {
		at := q
		at.Limit = top.Skip
		pg, err := h.opt.Loki.Page(ctx, at, loki.Cursor{TimeNs: top.TimeNs})
		if err != nil {
			return nil, loki.Cursor{}, err
		}
		for _, l := range pg.Lines {
			if l.TimeNs == top.TimeNs && len(atT) < top.Skip {
				atT = append(atT, l)
			}
		}
	}

	out := &loki.LogPage{Categorized: beyond.Categorized, Warnings: beyond.Warnings, More: true, Next: top}
	out.Lines = append(reverseGroups(lines), atT...)
	if len(out.Lines) > 0 {
		last := out.Lines[len(out.Lines)-1].TimeNs
		out.Next = loki.Cursor{TimeNs: last, Skip: countAtEnd(out.Lines, last)}
	}
	return out, newTop, nil
}

// reverseGroups reverses the order of timestamps but keeps the canonical
// order of the lines within one timestamp.
func reverseGroups(lines []datasources.LogLine) []datasources.LogLine {
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

func countAtEnd(lines []datasources.LogLine, ts int64) int {
	n := 0
	for i := len(lines) - 1; i >= 0 && lines[i].TimeNs == ts; i-- {
		n++
	}
	return n
}
