package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/views"
)

// Every edit names the version the user saw (form field "version"). A
// stale one never overwrites: it gets a 409 page with both versions and a
// form to apply the user's version on top of the current one.

// renameInvestigation: POST /investigations/{id}/rename (title, version).
func (h *Handler) renameInvestigation(c echo.Context) error {
	return h.updateInvestigation(c, func(inv store.Investigation) (string, string) {
		return strings.TrimSpace(c.FormValue("title")), inv.Status
	})
}

// setInvestigationStatus: POST /investigations/{id}/status (status, version).
func (h *Handler) setInvestigationStatus(c echo.Context) error {
	return h.updateInvestigation(c, func(inv store.Investigation) (string, string) {
		return inv.Title, c.FormValue("status")
	})
}

// updateInvestigation applies change to what is stored now; the version
// check in the store decides whether the user saw that.
func (h *Handler) updateInvestigation(c echo.Context, change func(store.Investigation) (title, status string)) error {
	st, id, err := h.storeAndID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cur, err := st.Get(ctx, id)
	if err != nil {
		return err
	}
	title, status := change(cur)
	_, err = st.Update(ctx, id, formVersion(c), title, status, userOf(c))
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		now := ce.Investigation
		action := c.Request().URL.Path
		cf := views.Conflict{Heading: "Someone else changed this investigation",
			Message: h.lastChange(ctx, st, id) + " Your change was not saved.",
			Current: []views.InvFact{{Label: "Title", Value: now.Title}, {Label: "Status", Value: now.Status}, {Label: "Version", Value: strconv.Itoa(now.Version)}},
			Action:  action, Back: links.Investigation(id),
			Hidden: []views.Hidden{{Name: "_csrf", Value: invCSRF(c)}, {Name: "version", Value: strconv.Itoa(now.Version)}}}
		if strings.HasSuffix(action, "/rename") {
			cf.Yours = []views.InvFact{{Label: "Title", Value: title}}
			cf.Fields = []views.FormField{{Name: "title", Label: "Title", Value: title}}
		} else {
			cf.Yours = []views.InvFact{{Label: "Status", Value: status}}
			cf.Hidden = append(cf.Hidden, views.Hidden{Name: "status", Value: status})
		}
		return h.conflict(c, cf)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, links.Investigation(id))
}

// moveItem: POST /investigations/{id}/items/{item}/move (dir, version).
func (h *Handler) moveItem(c echo.Context) error {
	st, id, err := h.storeAndID(c)
	if err != nil {
		return err
	}
	itemID := itemParam(c)
	delta := 1
	if c.FormValue("dir") == "up" {
		delta = -1
	}
	ctx := c.Request().Context()
	_, err = st.Move(ctx, id, formVersion(c), itemID, delta, userOf(c))
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		items, lerr := st.Items(ctx, id)
		if lerr != nil {
			return lerr
		}
		var order []string
		moving := "this item"
		for i, it := range items {
			order = append(order, strconv.Itoa(i+1)+". "+views.ItemName(it))
			if it.ID == itemID {
				moving = "“" + views.ItemName(it) + "”"
			}
		}
		return h.conflict(c, views.Conflict{Heading: "Someone else changed this investigation",
			Message: h.lastChange(ctx, st, id) + " The move was not made.",
			Yours:   []views.InvFact{{Label: "Move", Value: moving + " " + c.FormValue("dir")}},
			Current: []views.InvFact{{Label: "Order now", Value: strings.Join(order, "\n")}},
			Action:  c.Request().URL.Path, Back: links.Investigation(id),
			Hidden: []views.Hidden{{Name: "_csrf", Value: invCSRF(c)}, {Name: "version", Value: strconv.Itoa(ce.Investigation.Version)},
				{Name: "dir", Value: c.FormValue("dir")}}})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, links.InvestigationItem(id, itemID))
}

// editItem: POST /investigations/{id}/items/{item}/edit (title, note, version).
func (h *Handler) editItem(c echo.Context) error {
	st, id, err := h.storeAndID(c)
	if err != nil {
		return err
	}
	itemID := itemParam(c)
	title, note := strings.TrimSpace(c.FormValue("title")), strings.TrimSpace(c.FormValue("note"))
	ctx := c.Request().Context()
	_, err = st.EditItem(ctx, id, itemID, formVersion(c), title, note, userOf(c))
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		now := ce.Item
		return h.conflict(c, views.Conflict{Heading: "Someone else edited this item",
			Message: h.lastChange(ctx, st, id) + " Your edit was not saved; it is below, ready to save over theirs.",
			Yours:   []views.InvFact{{Label: "Title", Value: title}, {Label: "Note", Value: note}},
			Current: []views.InvFact{{Label: "Title", Value: now.Title}, {Label: "Note", Value: now.Note}, {Label: "Version", Value: strconv.Itoa(now.Version)}},
			Action:  c.Request().URL.Path, Back: links.InvestigationItem(id, itemID),
			Hidden: []views.Hidden{{Name: "_csrf", Value: invCSRF(c)}, {Name: "version", Value: strconv.Itoa(now.Version)}},
			Fields: []views.FormField{{Name: "title", Label: "Title", Value: title}, {Name: "note", Label: "Note (Markdown)", Value: note, Multiline: true}}})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, links.InvestigationItem(id, itemID))
}

// deleteItem: POST /investigations/{id}/items/{item}/delete (version).
func (h *Handler) deleteItem(c echo.Context) error {
	st, id, err := h.storeAndID(c)
	if err != nil {
		return err
	}
	itemID := itemParam(c)
	ctx := c.Request().Context()
	gone, err := st.DeleteItem(ctx, id, itemID, formVersion(c), userOf(c))
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		now := ce.Item
		return h.conflict(c, views.Conflict{Heading: "Someone else edited this item",
			Message: h.lastChange(ctx, st, id) + " It was not deleted, so their edit is not lost.",
			Yours:   []views.InvFact{{Label: "Delete", Value: views.ItemName(*now)}},
			Current: []views.InvFact{{Label: "Title", Value: now.Title}, {Label: "Note", Value: now.Note}, {Label: "Version", Value: strconv.Itoa(now.Version)}},
			Action:  c.Request().URL.Path, Back: links.InvestigationItem(id, itemID),
			Hidden: []views.Hidden{{Name: "_csrf", Value: invCSRF(c)}, {Name: "version", Value: strconv.Itoa(now.Version)}}})
	}
	if err != nil {
		return err
	}
	what := strings.ToLower(views.KindLabel(gone.Kind))
	if gone.Title != "" {
		what += " “" + text.Shorten(gone.Title, 80) + "”"
	}
	setFlash(c, "Deleted "+what+".", "")
	return c.Redirect(http.StatusSeeOther, links.Investigation(id))
}

func (h *Handler) conflict(c echo.Context, cf views.Conflict) error {
	return render(c, http.StatusConflict, views.ConflictPage(h.invPage(c, "Edit conflict"), cf))
}

// lastChange names who changed what last, so the user knows whom to ask.
func (h *Handler) lastChange(ctx context.Context, st *store.Store, id int64) string {
	acts, err := st.Activity(ctx, id, 1)
	if err != nil || len(acts) == 0 {
		return "It changed after you loaded the page."
	}
	return acts[0].Actor + " " + views.ActivityText(acts[0]) + " at " + text.FormatTime(acts[0].At, nil) + ", after you loaded the page."
}

func formVersion(c echo.Context) int {
	v, _ := strconv.Atoi(c.FormValue("version"))
	return v
}

func itemParam(c echo.Context) int64 {
	v, _ := strconv.ParseInt(c.Param("item"), 10, 64)
	return v
}

func invCSRF(c echo.Context) string {
	s, _ := c.Get("csrf").(string)
	return s
}
