package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/views"
)

// reply is how a failure answers: the status of a page that fails with it
// and the sentence a user reads, on the error page or in a panel.
type reply struct {
	Status  int
	Message string
	// Unexpected marks an error outside the vocabulary (a bug): it is
	// logged with its Go text, which never reaches the user.
	Unexpected bool
}

// Messages of the switch that no error carries itself.
const (
	msgDeadline = "This page took longer than the server allows (ARIADNE_REQUEST_TIMEOUT). Narrow the time range or the query and try again."
	msgNotFound = "There is no such investigation, item or link (it may have been deleted)."
	msgConflict = "Someone else changed this investigation meanwhile: reload it and try again."
	msgInternal = "Something went wrong on our side; the server log has the details."
)

// replyTo is the one switch from an error's category to its status and
// message, for the whole app (the error page, every panel, and pages that
// show a failure in place), as Prometheus's respondError does for its API.
// Store errors arrive in the same vocabulary: store.ErrNotFound,
// store.ErrInvalid, and Postgres unreachable as an unavailable
// datasources.Error from store.Backend.
func replyTo(err error) reply {
	var he *echo.HTTPError
	var ce *store.ConflictError
	var de *datasources.Error
	switch {
	case errors.As(err, &he):
		// Ours (written for the user) or Echo's (404 route, 405, CSRF).
		msg, ok := he.Message.(string)
		if !ok {
			msg = http.StatusText(he.Code)
		}
		return reply{Status: he.Code, Message: msg}
	case errors.Is(err, store.ErrNotFound):
		return reply{Status: http.StatusNotFound, Message: msgNotFound}
	case errors.Is(err, store.ErrInvalid):
		return reply{Status: http.StatusBadRequest, Message: strings.TrimPrefix(err.Error(), store.ErrInvalid.Error()+": ")}
	case errors.As(err, &ce):
		return reply{Status: http.StatusConflict, Message: msgConflict}
	case errors.As(err, &de) && de.Kind != datasources.ErrorUnknown:
		return reply{Status: kindStatus(de), Message: datasources.UserMessage(err)}
	case errors.Is(err, context.DeadlineExceeded):
		// The request's own deadline: no layer below took it for one of
		// its failures.
		return reply{Status: http.StatusGatewayTimeout, Message: msgDeadline}
	}
	return reply{Status: http.StatusInternalServerError, Message: msgInternal, Unexpected: true}
}

// kindStatus is the status for a backend or store failure by its kind.
// Postgres down is Ariadne unavailable (503, retry safe: nothing was
// saved); a backend down is a bad gateway (502) that fails one panel.
func kindStatus(e *datasources.Error) int {
	switch e.Kind {
	case datasources.ErrorNotConfigured:
		return http.StatusServiceUnavailable
	case datasources.ErrorNotFound:
		return http.StatusNotFound
	case datasources.ErrorBadQuery:
		return http.StatusBadRequest
	case datasources.ErrorTooLarge:
		return http.StatusUnprocessableEntity
	case datasources.ErrorUnavailable:
		if e.Backend == store.Backend {
			return http.StatusServiceUnavailable
		}
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

// handleError is Echo's one error handler: it takes the status and message
// from replyTo, logs server-side failures once, and renders the error
// page. It does nothing when the response has already started or the
// client has gone.
func (h *Handler) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		return
	}
	r := replyTo(err)
	if r.Status >= 500 {
		requestLogger(c).Error("request failed", "err", err, "status", r.Status)
	}
	e := views.ErrorPage{Status: r.Status, Heading: http.StatusText(r.Status), Message: r.Message,
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	// The request's own context may already be cancelled by its deadline
	// middleware; the error page must still render.
	c.SetRequest(c.Request().WithContext(context.WithoutCancel(c.Request().Context())))
	if c.Request().Method == http.MethodHead {
		c.NoContent(r.Status)
		return
	}
	if err := render(c, r.Status, views.Error(h.page(c, e.Heading, ""), e)); err != nil {
		requestLogger(c).Error("rendering the error page failed", "err", err)
		c.String(r.Status, r.Message)
	}
}
