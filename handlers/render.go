package handlers

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/views"
)

// render writes comp with status. Output is buffered until the component
// flushes (templ.Flush) or ends, so the status is only committed with the
// first complete chunk: a render that fails before that still becomes a
// proper error page, never half a page with 200.
func render(c echo.Context, status int, comp templ.Component) error {
	cw := &chunkWriter{c: c, status: status}
	if err := comp.Render(c.Request().Context(), cw); err != nil {
		if !cw.committed {
			return err
		}
		// Mid-stream: the status is sent. Log it once and end the page.
		requestLogger(c).Error("render failed after the first chunk", "err", err)
		return nil
	}
	return cw.Flush()
}

type chunkWriter struct {
	c         echo.Context
	status    int
	buf       bytes.Buffer
	committed bool
}

func (w *chunkWriter) Write(p []byte) (int, error) { return w.buf.Write(p) }

// Flush sends the buffered chunk whole and pushes it to the client.
func (w *chunkWriter) Flush() error {
	res := w.c.Response()
	if !w.committed {
		res.Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
		res.WriteHeader(w.status)
		w.committed = true
	}
	if w.buf.Len() > 0 {
		if _, err := res.Write(w.buf.Bytes()); err != nil {
			return err
		}
		w.buf.Reset()
	}
	res.Flush()
	return nil
}

// page builds the chrome every page shares.
func (h *Handler) page(c echo.Context, title, section string) views.Page {
	p := views.Page{Title: title, Section: section, User: userOf(c)}
	if tok, ok := c.Get("csrf").(string); ok {
		p.CSRF = tok
	}
	if msg, link := takeFlash(c); msg != "" {
		b := views.Banner{Kind: "ok", Text: msg}
		if link != "" {
			b.Link = &views.Link{Label: "Open the investigation", URL: link}
		}
		p.Banners = append(p.Banners, b)
	}
	if !h.db.Up() {
		p.Banners = append(p.Banners, views.Banner{Kind: "error",
			Text: "Postgres is unreachable: investigations cannot be opened or saved until it is back. Everything else works."})
	}
	return p
}

// timeRange parses from/to of the request and builds the range control. A
// bad value falls back to the default range, with the error shown next to
// the kept input, so the page still renders.
func (h *Handler) timeRange(c echo.Context) (links.TimeRange, *views.RangeControl) {
	q := c.QueryParams()
	from, to := q.Get("from"), q.Get("to")
	zone, now := zoneOf(c), h.now()
	ctrl := &views.RangeControl{Action: c.Request().URL.Path, From: from, To: to, Zone: zone.String()}
	r, err := links.ParseTimeRangeIn(from, to, now, zone)
	if err != nil {
		ctrl.Error = err.Error() // the control keeps what was typed
		r, _ = links.ParseTimeRange("", "", now)
	} else {
		// No window runs into the future, and an absolute bound reads as
		// a time in the viewer's zone, not as unix seconds.
		r = r.ClampToNow(now)
		ctrl.From, ctrl.To = links.Display(r.RawFrom, r.From, zone), links.Display(r.RawTo, r.To, zone)
	}
	if ctrl.From == "" {
		ctrl.From = r.RawFrom
	}
	if ctrl.To == "" {
		ctrl.To = r.RawTo
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "from" && k != "to" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range q[k] {
			ctrl.Hidden = append(ctrl.Hidden, views.Hidden{Name: k, Value: v})
		}
	}
	for _, p := range []struct{ label, from string }{
		{"5m", "now-5m"}, {"15m", "now-15m"}, {"1h", "now-1h"}, {"6h", "now-6h"}, {"24h", "now-24h"}, {"7d", "now-7d"},
	} {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("from", p.from)
		v.Set("to", "now")
		ctrl.Presets = append(ctrl.Presets, views.Link{Label: p.label,
			URL:     c.Request().URL.Path + "?" + v.Encode(),
			Current: r.RawFrom == p.from && r.RawTo == "now"})
	}
	return r, ctrl
}

// zoneOf returns the viewer's zone from the tz cookie our JS sets, UTC
// without one or for a zone Go does not know.
func zoneOf(c echo.Context) *time.Location {
	ck, err := c.Cookie("tz")
	if err != nil || ck.Value == "" {
		return time.UTC
	}
	name, err := url.QueryUnescape(ck.Value)
	if err != nil || len(name) > 64 {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

func lower(s string) string { return strings.ToLower(s) }

// withParam is the current page's URL with one parameter set (or removed
// when value is empty), everything else kept.
func withParam(c echo.Context, key, value string) string {
	return urlWith(c.Request().URL.Path, c.QueryParams())(key, value)
}

// urlWith captures a page's path and parameters (a copy: panels run on
// after the request's echo.Context is recycled) and makes URLs from them
// with one parameter changed.
func urlWith(path string, params url.Values) func(key, value string) string {
	base := url.Values{}
	for k, vs := range params {
		base[k] = slices.Clone(vs)
	}
	return func(key, value string) string {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		if value == "" {
			v.Del(key)
		} else {
			v.Set(key, value)
		}
		return path + "?" + v.Encode()
	}
}
