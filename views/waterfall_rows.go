package views

import (
	"context"
	"html"
	"io"
	"strconv"

	"github.com/a-h/templ"
)

// waterfallRows writes one window of the waterfall's rows, flat and in
// tree order, with links to the windows before and after it. It is plain
// Go rather than a templ template because it runs once per row and
// templ's class and attribute handling allocated several times per row;
// every value is escaped. The container carries the window for trace.js.
func waterfallRows(rows []TraceRow, w WindowView) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, out io.Writer) error {
		hw := htmlWriter{w: out}
		hw.raw(`<div class="wf-rows" id="wf-rows" data-start="`)
		hw.raw(strconv.Itoa(w.Start))
		hw.raw(`" data-end="`)
		hw.raw(strconv.Itoa(w.End))
		hw.raw(`" data-total="`)
		hw.raw(strconv.Itoa(w.Total))
		hw.raw(`" data-size="`)
		hw.raw(strconv.Itoa(w.Size))
		hw.raw(`">`)
		navRow(&hw, "prev", w.Prev, w.Start-w.Size)
		for i := range rows {
			r := &rows[i]
			if r.Group != nil {
				groupRowHTML(&hw, r)
				continue
			}
			hw.raw(`<div class="`)
			hw.esc(rowClass(*r))
			hw.raw(`" id="s-`)
			hw.esc(r.SpanID)
			hw.raw(`" data-d="`)
			hw.raw(strconv.Itoa(r.Depth))
			hw.raw(`">`)
			rowCellsHTML(&hw, r)
			hw.raw(`</div>`)
		}
		navRow(&hw, "next", w.Next, w.End)
		hw.raw(`</div>`)
		return hw.err
	})
}

// groupRowHTML writes the one row of a run of alike siblings: its
// control shows them span by span (a link, as folds are).
func groupRowHTML(hw *htmlWriter, r *TraceRow) {
	hw.raw(`<div class="row group closed`)
	if r.Error {
		hw.raw(` error`)
	}
	hw.raw(`" id="g-`)
	hw.esc(r.SpanID)
	hw.raw(`" data-d="`)
	hw.raw(strconv.Itoa(r.Depth))
	hw.raw(`"><span class="c1 `)
	hw.esc(r.DepthClass)
	hw.raw(`"><a class="tg" href="`)
	hw.esc(r.Group.ExpandURL)
	hw.raw(`" aria-expanded="false" title="Show each"></a><a class="nm" href="`)
	hw.esc(r.Group.ExpandURL)
	hw.raw(`"><span class="svc `)
	hw.esc(r.SvcClass)
	hw.raw(`">`)
	hw.esc(r.Service)
	hw.raw(`</span>`)
	hw.esc(r.Title)
	hw.raw(` <span class="times">× `)
	hw.raw(strconv.Itoa(r.Group.Count))
	hw.raw(`</span></a><span class="kids">`)
	hw.esc(r.Group.Stats)
	hw.raw(`</span></span>`)
	durAndBar(hw, r, ` grp`)
	hw.raw(`</div>`)
}

// navRow is the link to the window before or after this one; row is
// where that window starts, for the script.
func navRow(hw *htmlWriter, dir string, l Link, row int) {
	if l.URL == "" {
		return
	}
	hw.raw(`<div class="row more `)
	hw.raw(dir)
	hw.raw(`" data-row="`)
	hw.raw(strconv.Itoa(max(row, 0)))
	hw.raw(`"><span class="c1"><a href="`)
	hw.esc(l.URL)
	hw.raw(`">`)
	hw.esc(l.Label)
	hw.raw(`</a></span></div>`)
}

func rowCellsHTML(hw *htmlWriter, r *TraceRow) {
	hw.raw(`<span class="c1 `)
	hw.esc(r.DepthClass)
	hw.raw(`">`)
	if r.Parent {
		// A link, so folding works without JavaScript too.
		hw.raw(`<a class="tg" href="`)
		hw.esc(r.FoldURL)
		if r.Open {
			hw.raw(`" aria-expanded="true" title="Fold"></a>`)
		} else {
			hw.raw(`" aria-expanded="false" title="Unfold"></a>`)
		}
	}
	hw.raw(`<a class="nm" href="`)
	hw.esc(r.SelectURL)
	hw.raw(`">`)
	if r.Orphan {
		hw.raw(`<span class="orphan" title="The parent of this span is not in the trace">missing parent</span>`)
	}
	hw.raw(`<span class="svc `)
	hw.esc(r.SvcClass)
	hw.raw(`">`)
	hw.esc(r.Service)
	hw.raw(`</span>`)
	if r.Error {
		hw.raw(`<span class="err" title="error">error</span>`)
	}
	hw.esc(r.Title)
	if r.LogCount > 0 {
		hw.raw(`<span class="logcount" title="log lines of this span">`)
		hw.raw(strconv.Itoa(r.LogCount))
		hw.raw(` logs</span>`)
	}
	hw.raw(`</a>`)
	if r.Folded > 0 {
		hw.raw(`<span class="kids" title="spans folded under this one">+`)
		hw.raw(strconv.Itoa(r.Folded))
		hw.raw(`</span>`)
	}
	if r.GroupURL != "" {
		hw.raw(`<a class="kids regroup" href="`)
		hw.esc(r.GroupURL)
		hw.raw(`" title="show these alike spans as one row">group `)
		hw.raw(strconv.Itoa(r.GroupCount))
		hw.raw(`</a>`)
	}
	if r.Skew != "" {
		hw.raw(`<span class="skew" title="`)
		hw.esc(r.Skew)
		hw.raw(`">skew</span>`)
	}
	hw.raw(`</span>`)
	durAndBar(hw, r, "")
}

// durAndBar writes a row's duration and its bar, placed in percent of the
// trace; class is added to the bar's (" grp" for a group's extent).
func durAndBar(hw *htmlWriter, r *TraceRow, class string) {
	hw.raw(`<span class="dur">`)
	hw.esc(r.Duration)
	hw.raw(`</span><svg class="bar" width="100%" height="12" role="img" aria-label="`)
	hw.esc(r.Duration)
	hw.raw(`"><rect class="`)
	hw.esc(r.SvcClass)
	hw.raw(class)
	if r.Critical {
		hw.raw(` crit`)
	}
	hw.raw(`" x="`)
	hw.esc(r.X)
	hw.raw(`" width="`)
	hw.esc(r.W)
	hw.raw(`" y="1" height="10" rx="1"></rect></svg>`)
}

// htmlWriter writes markup, keeping the first error.
type htmlWriter struct {
	w   io.Writer
	err error
}

func (h *htmlWriter) raw(s string) {
	if h.err == nil {
		_, h.err = io.WriteString(h.w, s)
	}
}

// esc writes text escaped for both element content and quoted attributes.
func (h *htmlWriter) esc(s string) { h.raw(html.EscapeString(s)) }
