package views

import (
	"context"
	"html"
	"io"
	"strconv"

	"github.com/a-h/templ"
)

// waterfallRows writes the waterfall's rows. It is plain Go rather than a
// templ template because it runs once per span (10,000 rows on a large
// trace) and templ's class and attribute handling allocated several times
// per row; the markup is the same. Every value is escaped.
func waterfallRows(rows []TraceRow) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		hw := htmlWriter{w: w}
		for i := range rows {
			r := &rows[i]
			if r.HasChildren {
				hw.raw(detailsOpen(*r))
				hw.raw(`<summary class="`)
				hw.esc(rowClass(*r))
				hw.raw(`">`)
				rowCellsHTML(&hw, r)
				hw.raw(`</summary>`)
			} else {
				hw.raw(`<div class="`)
				hw.esc(rowClass(*r))
				hw.raw(` leaf" id="s-`)
				hw.esc(r.SpanID)
				hw.raw(`">`)
				rowCellsHTML(&hw, r)
				hw.raw(`</div>`)
			}
			if r.HiddenBelow > 0 {
				hw.raw(`<div class="row more `)
				hw.esc(r.DepthClass)
				hw.raw(`"><span class="c1"><a href="`)
				hw.esc(r.FocusURL)
				hw.raw(`">`)
				hw.raw(strconv.Itoa(r.HiddenBelow))
				hw.raw(` spans below: open this subtree</a></span></div>`)
			}
			hw.raw(closeDetails(r.Close))
		}
		return hw.err
	})
}

func rowCellsHTML(hw *htmlWriter, r *TraceRow) {
	hw.raw(`<span class="c1 `)
	hw.esc(r.DepthClass)
	hw.raw(`"><span class="tg" aria-hidden="true"></span><a class="nm" href="`)
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
	if r.Skew != "" {
		hw.raw(`<span class="skew" title="`)
		hw.esc(r.Skew)
		hw.raw(`">skew</span>`)
	}
	hw.raw(`</span><span class="dur">`)
	hw.esc(r.Duration)
	hw.raw(`</span><svg class="bar" width="100%" height="12" role="img" aria-label="`)
	hw.esc(r.Duration)
	hw.raw(`"><rect class="`)
	hw.esc(r.SvcClass)
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
