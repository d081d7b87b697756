package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/telemetry"
	"github.com/ariadne-dev/ariadne/views"
)

// Share links are capabilities: whoever holds /s/{token} reads the
// investigation. Tokens are shown once, stored as SHA-256, redacted from
// request logs (RedactPath), never sent on as a Referer, never cached.

// sharePath is the share page's route.
const sharePath = "/s/:token"

// createShare: POST /investigations/{id}/shares. The answer is a page, not
// a redirect: the token must not travel in a Location header or history.
func (h *Handler) createShare(c echo.Context) error {
	st, id, err := h.storeAndID(c)
	if err != nil {
		return err
	}
	name := c.FormValue("expires")
	if name == "" {
		name = store.DefaultShareLifetime
	}
	lifetime, ok := store.ShareLifetimes[name]
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "expires must be 1d, 7d, 30d or never.")
	}
	ctx := c.Request().Context()
	token, link, err := st.Share(ctx, id, userOf(c), lifetime)
	if err != nil {
		return err
	}
	inv, err := st.Get(ctx, id)
	if err != nil {
		return err
	}
	capabilityHeaders(c)
	// The link's host is never the request's: a Host header is the
	// client's to choose, and the link is given to other people.
	return render(c, http.StatusCreated, views.ShareCreatedPage(h.invPage(c, "Share link"), views.ShareCreated{
		Title: inv.Title, URL: h.opt.PublicURL + links.Share(token), Relative: h.opt.PublicURL == "", Back: links.Investigation(id),
		Expires: "It " + views.ShareExpiry(link.ExpiresAt, false, views.TimeIn(zoneOf(c)))}))
}

// revokeShare: POST /investigations/{id}/shares/{link}/revoke.
func (h *Handler) revokeShare(c echo.Context) error {
	st, id, err := h.storeAndID(c)
	if err != nil {
		return err
	}
	link, _ := strconv.ParseInt(c.Param("link"), 10, 64)
	if err := st.Revoke(c.Request().Context(), id, link, userOf(c)); err != nil {
		return err
	}
	setFlash(c, "Revoked share link #"+strconv.FormatInt(link, 10)+": it no longer opens this investigation, for anyone.", "")
	return c.Redirect(http.StatusSeeOther, links.Investigation(id))
}

// shared: GET /s/{token}. Built from the stored snapshots only, so it
// works after the backends' retention and while they are down. An unknown
// and a revoked token get the same 404 through the same path.
func (h *Handler) shared(c echo.Context) error {
	capabilityHeaders(c)
	st, err := h.investigationStore()
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	target, err := st.ShareTarget(ctx, c.Param("token"))
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return echo.NewHTTPError(http.StatusNotFound, "This share link does not exist, was revoked or has expired.")
		}
		return err
	}
	inv, loc := target.Investigation, zoneOf(c)
	key := strconv.FormatInt(inv.ID, 10) + "|" + target.Fingerprint + "|" + loc.String() + "|" + target.ExpiresAt.String()
	page, ok := h.sharePages.get(key)
	h.tel.Metrics.CacheLookup(telemetry.CacheShare, ok)
	if !ok {
		items, err := st.Items(ctx, inv.ID)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		v, desc := sharedView(inv, items, loc)
		v.Expires = views.ShareExpiry(target.ExpiresAt, false, views.SharedTime(loc))
		if err := views.SharedPage(v, desc).Render(ctx, &buf); err != nil {
			return err
		}
		page = h.sharePages.put(key, buf.Bytes())
	}
	// Served as stored: the router's gzip middleware skips this route.
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
		c.Response().Header().Set(echo.HeaderContentEncoding, "gzip")
		return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, page.gz)
	}
	return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, page.html)
}

// sharedView is the read-only page's model and its OpenGraph description.
func sharedView(inv store.Investigation, items []store.Item, loc *time.Location) (views.Investigation, string) {
	v := views.BuildInvestigation(views.InvestigationInput{Investigation: inv, Items: items, Time: views.SharedTime(loc), ReadOnly: true})
	v.Zones = "UTC"
	if loc != time.UTC {
		v.Zones = loc.String() + ", with UTC after each time"
	}
	desc := fmt.Sprintf("%s investigation opened by %s · %d pinned items", inv.Status, inv.Author, len(items))
	if v.Range != "" {
		desc += " · " + v.Range
	}
	return v, desc
}

// capabilityHeaders keep a share URL out of Referer headers and caches.
func capabilityHeaders(c echo.Context) {
	hd := c.Response().Header()
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Robots-Tag", "noindex")
}
