package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/views"
)

// pin: POST /pins. The server builds the frozen snapshot itself by asking
// the backend; if that fails the pin fails, nothing is saved, and the
// same form may be submitted again (its idempotency key lands once).
//
// Fields: kind, idempotency_key, return_to, new_title or investigation_id
// (a typed title wins: it means "new"), and per kind:
//
//	graph      q, from, to
//	exemplar   trace_id, value, time (RFC3339 or unix s), labels; optional q, from, to
//	trace      trace_id; optional from, to
//	span       trace_id, span_id; optional from, to
//	log_query  q, from, to
//	log_line   time_ns, labels ({k="v", ...}), line
func (h *Handler) pin(c echo.Context) error {
	st, err := h.investigationStore()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The pin form could not be read.")
	}
	// A line's "Pin line" button carries that line's fields and its own
	// idempotency key in pin_ref, so one shared form serves every line.
	if ref := f.Get("pin_ref"); ref != "" {
		vals, err := url.ParseQuery(ref)
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "The pinned line's fields could not be read.")
		}
		for _, name := range []string{"idempotency_key", "time_ns", "labels", "line"} {
			f.Set(name, vals.Get(name))
		}
	}
	kind, k := f.Get("kind"), f.Get("idempotency_key")
	if len(k) > 128 {
		k = k[:128]
	}
	if !store.ValidKind(kind) || kind == store.KindNote {
		return echo.NewHTTPError(http.StatusBadRequest, "Unknown pin kind "+quoteShort(kind)+".")
	}
	if k == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "The pin form has no idempotency_key: reload the page and pin again.")
	}
	p := store.Pin{Kind: kind, Author: userOf(c), IdempotencyKey: k, NewTitle: strings.TrimSpace(f.Get("new_title"))}
	if p.NewTitle == "" {
		p.InvestigationID, _ = strconv.ParseInt(f.Get("investigation_id"), 10, 64)
		if p.InvestigationID <= 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "Choose an investigation, or type a title to start a new one.")
		}
	}
	returnTo := localPath(f.Get("return_to"))

	// A retry of a pin that already landed answers at once, without
	// asking the backend again.
	if done, err := st.Pinned(ctx, k); err == nil {
		return h.pinned(c, done, returnTo, true)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := h.snapshot(ctx, &p, f); err != nil {
		if datasources.ErrorKindOf(err) == datasources.ErrorUnknown {
			return err
		}
		r := replyTo(err)
		return echo.NewHTTPError(r.Status, "Nothing was pinned: "+r.Message+
			" Submitting the same form again is safe: it will not pin twice.")
	}
	done, err := st.Pin(ctx, p)
	if err != nil {
		return err
	}
	return h.pinned(c, done, returnTo, !done.Created)
}

// pinned redirects back where the pin came from, with a notice.
func (h *Handler) pinned(c echo.Context, p store.Pinned, returnTo string, again bool) error {
	what := "Pinned"
	if again {
		what = "Already pinned"
	}
	setFlash(c, what+" “"+text.Shorten(views.ItemName(p.Item), 80)+"” to “"+p.Investigation.Title+"”.",
		links.InvestigationItem(p.Investigation.ID, p.Item.ID))
	// The next pin goes to the same investigation unless the user picks
	// another: the forms put this one first and name it.
	c.SetCookie(&http.Cookie{Name: pinToCookie, Value: strconv.FormatInt(p.Investigation.ID, 10), Path: "/",
		MaxAge: 30 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if returnTo == "" {
		returnTo = links.InvestigationItem(p.Investigation.ID, p.Item.ID)
	}
	return c.Redirect(http.StatusSeeOther, returnTo)
}

// localPath accepts only a path on this site ("/graph?q=..."), so a
// crafted form cannot send the user elsewhere after pinning.
func localPath(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\\r\n") || len(s) > 4096 {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return s
}

// pinForms builds pin forms for one page render: the open investigations
// are read once, however many forms the page has.
type pinForms struct {
	csrf, returnTo, unavailable string
	targets                     []views.PinTarget
}

// pinForms reads the open investigations (newest first) for the page's
// pin forms. Postgres down or slow leaves the forms saying so; the page
// itself renders normally.
func (h *Handler) pinForms(c echo.Context) *pinForms {
	pf := &pinForms{csrf: invCSRF(c), returnTo: c.Request().URL.RequestURI()}
	pf.targets, pf.unavailable = h.pinTargets(c.Request().Context())
	if ck, err := c.Cookie(pinToCookie); err == nil {
		pf.targets = lastPinnedFirst(pf.targets, ck.Value)
	}
	return pf
}

// pinToCookie remembers the investigation the user last pinned to.
const pinToCookie = "ariadne_pin_to"

// lastPinnedFirst moves the investigation id (if still open) to the front
// of the pin forms' choices, where it is the default.
func lastPinnedFirst(targets []views.PinTarget, id string) []views.PinTarget {
	for i, t := range targets {
		if t.ID == id && i > 0 {
			out := append([]views.PinTarget{t}, targets[:i]...)
			return append(out, targets[i+1:]...)
		}
	}
	return targets
}

// Form is one pin form for kind, labelled label ("Pin span"), carrying the
// item's reference fields.
func (pf *pinForms) Form(kind, label string, fields ...views.Hidden) views.PinFormData {
	return views.PinFormData{Label: label, Kind: kind, Fields: fields, ReturnTo: pf.returnTo, CSRF: pf.csrf,
		Key: newFormKey(), Targets: pf.targets, Unavailable: pf.unavailable}
}

// pinTargets lists open investigations, or says why it cannot.
func (h *Handler) pinTargets(ctx context.Context) ([]views.PinTarget, string) {
	const why = "Investigations are unavailable (Postgres is unreachable), so nothing can be pinned right now."
	if h.opt.Store == nil || !h.db.Up() {
		return nil, why
	}
	// A page that does not need Postgres must not wait long for it: past
	// this, the page renders and its pin forms say why they cannot pin.
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	list, err := h.opt.Store.List(ctx, store.Filter{Status: store.StatusOpen, Limit: 50})
	if err != nil {
		return nil, why
	}
	out := make([]views.PinTarget, len(list))
	for i, inv := range list {
		out[i] = views.PinTarget{ID: strconv.FormatInt(inv.ID, 10), Title: inv.Title}
	}
	return out, ""
}

const flashCookie = "ariadne_flash"

// setFlash leaves a one-time notice for the next page (see takeFlash),
// with a link to a local path (what was just changed).
func setFlash(c echo.Context, msg, link string) {
	v := url.Values{"m": {text.Shorten(msg, 600)}}
	if link != "" {
		v.Set("u", link)
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: v.Encode(), Path: "/",
		MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// takeFlash returns and clears the notice: its text, shown as text only,
// and its link, kept only when it is a path on this site (the cookie is
// the client's to change).
func takeFlash(c echo.Context) (string, string) {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return "", ""
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	v, err := url.ParseQuery(ck.Value)
	if err != nil {
		return "", ""
	}
	return v.Get("m"), localPath(v.Get("u"))
}
