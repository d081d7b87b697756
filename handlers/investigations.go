package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/views"
)

// investigations lists investigations: GET /investigations?q=&status=.
func (h *Handler) investigations(c echo.Context) error {
	p := h.invPage(c, "Investigations")
	l := views.InvestigationList{Query: c.QueryParam("q"), Status: c.QueryParam("status"), CreateKey: newFormKey()}
	if l.Status != store.StatusOpen && l.Status != store.StatusResolved {
		l.Status = ""
	}
	st, err := h.investigationStore()
	if err == nil {
		var list []store.Investigation
		list, err = st.List(c.Request().Context(), store.Filter{Title: l.Query, Status: l.Status})
		l.Rows = views.BuildInvestigationRows(list, views.TimeIn(zoneOf(c)))
	}
	status := http.StatusOK
	if err != nil {
		// The page (and its create form) still renders; the list says why
		// it is missing.
		r := replyTo(err)
		l.Error, status = r.Message, r.Status
		if r.Unexpected {
			requestLogger(c).Error("listing investigations failed", "err", err)
		}
	}
	return render(c, status, views.Investigations(p, l))
}

// createInvestigation: POST /investigations (title, idempotency_key).
func (h *Handler) createInvestigation(c echo.Context) error {
	st, err := h.investigationStore()
	if err != nil {
		return err
	}
	inv, err := st.Create(c.Request().Context(), store.NewInvestigation{Title: strings.TrimSpace(c.FormValue("title")),
		Author: userOf(c), IdempotencyKey: formKey(c)})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, links.Investigation(inv.ID))
}

// investigation shows one investigation: GET /investigations/{id}.
func (h *Handler) investigation(c echo.Context) error {
	st, id, err := h.storeAndID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	inv, err := st.Get(ctx, id)
	if err != nil {
		return err
	}
	items, err := st.Items(ctx, id)
	if err != nil {
		return err
	}
	acts, err := st.Activity(ctx, id, 200)
	if err != nil {
		return err
	}
	shares, err := st.ShareLinks(ctx, id)
	if err != nil {
		return err
	}
	v := views.BuildInvestigation(views.InvestigationInput{Investigation: inv, Items: items, Activity: acts, Shares: shares,
		Time: views.TimeIn(zoneOf(c))})
	v.NoteKey = newFormKey()
	return render(c, http.StatusOK, views.InvestigationPage(h.invPage(c, inv.Title), v))
}

// addNote: POST /investigations/{id}/notes (note, idempotency_key).
func (h *Handler) addNote(c echo.Context) error {
	st, id, err := h.storeAndID(c)
	if err != nil {
		return err
	}
	note := strings.TrimSpace(c.FormValue("note"))
	if note == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "A note needs some text.")
	}
	res, err := st.Pin(c.Request().Context(), store.Pin{InvestigationID: id, Kind: store.KindNote, Note: note,
		Author: userOf(c), IdempotencyKey: formKey(c)})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, links.InvestigationItem(id, res.Item.ID))
}

// The store, or why investigations cannot work right now.
func (h *Handler) investigationStore() (*store.Store, error) {
	if h.opt.Store == nil {
		return nil, echo.NewHTTPError(http.StatusServiceUnavailable, "Investigations need Postgres, and none is configured (DATABASE_URL).")
	}
	return h.opt.Store, nil
}

func (h *Handler) storeAndID(c echo.Context) (*store.Store, int64, error) {
	st, err := h.investigationStore()
	if err != nil {
		return nil, 0, err
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, 0, echo.NewHTTPError(http.StatusNotFound, "There is no such investigation.")
	}
	return st, id, nil
}

// invPage is the chrome of every investigations page.
func (h *Handler) invPage(c echo.Context, title string) views.Page {
	p := h.page(c, title, "investigations")
	p.Styles = append(p.Styles, "css/investigations.css")
	return p
}

// formKey is the form's idempotency key, bounded.
func formKey(c echo.Context) string {
	k := c.FormValue("idempotency_key")
	if len(k) > 128 {
		k = k[:128]
	}
	return k
}

// newFormKey is a fresh idempotency key for one rendered form.
func newFormKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
