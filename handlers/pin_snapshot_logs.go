package handlers

import (
	"fmt"
	"strconv"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/views"
)

// pinnedLineBytes bounds a log line pinned as posted: it is what the user
// saw, but the form is not trusted to be small.
const pinnedLineBytes = 16 << 10

// logQuery freezes a LogQL query's newest lines, or its series for a
// metric query.
func (pf *pinForm) logQuery() error {
	q, err := pf.query(true, "logs")
	if err != nil {
		return err
	}
	from, to, err := pf.window(true)
	if err != nil {
		return err
	}
	if pf.h.opt.Loki == nil {
		return datasources.NotConfigured("loki")
	}
	res, err := pf.h.opt.Loki.QueryRange(pf.ctx, loki.Query{Expr: q, Start: from, End: to, Limit: pf.lim.Lines + 1,
		Direction: loki.Backward, Step: pinStep(from, to)})
	if err != nil {
		return err
	}
	var omitted string
	if res.Type == loki.ResultMatrix {
		pf.snap.Series, omitted = snapshot.FromSeries(res.Series, pf.lim)
	} else {
		pf.snap.Lines, omitted = snapshot.FromLines(res.Lines, pf.lim)
		if omitted != "" {
			omitted = fmt.Sprintf("the newest %d lines kept", pf.lim.Lines)
		}
	}
	pf.omitted(omitted)
	pf.p.Ref = store.Ref{Query: q, From: from, To: to}
	pf.p.Title = snapshot.QueryTitle(q)
	return nil
}

// logLine keeps one line as posted (bounded), with the window around it
// that reopens it live.
func (pf *pinForm) logLine() error {
	f := pf.f
	ns, err := strconv.ParseInt(f.Get("time_ns"), 10, 64)
	if err != nil || ns <= 0 {
		return pf.bad("time_ns %s is not unix nanoseconds.", quoteShort(f.Get("time_ns")))
	}
	line := f.Get("line")
	if line == "" {
		return pf.bad("a log line pin needs the line.")
	}
	labels, err := datasources.ParseLabels(f.Get("labels"))
	if err != nil {
		return pf.bad("labels: %v", err)
	}
	pf.snap.Lines = []snapshot.Line{{TimeNs: ns, Labels: labels, Line: text.Shorten(line, pinnedLineBytes)}}
	if len(line) > pinnedLineBytes {
		pf.omitted(fmt.Sprintf("the line cut to %d KB", pinnedLineBytes>>10))
	}
	w := links.LineWindow(time.Unix(0, ns).UTC())
	pf.p.Ref = store.Ref{Query: views.LabelText(labels), TimeNs: ns, Labels: labels, From: w.From, To: w.To}
	pf.p.Title = snapshot.LineTitle(line)
	return nil
}
