package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/views"
)

// handleError is Echo's one error handler: it decides the status, logs
// server-side failures once, and renders the error page. It does nothing
// when the response has already started or the client has gone.
func (h *Handler) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		return
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = echo.NewHTTPError(http.StatusGatewayTimeout,
			"This page took longer than the server allows (ARIADNE_REQUEST_TIMEOUT). Narrow the time range or the query and try again.")
	}
	status := statusOf(err)
	msg := errorText(err)
	if status >= 500 {
		requestLogger(c).Error("request failed", "err", err, "status", status)
		var he *echo.HTTPError
		if !errors.As(err, &he) {
			// Never show a Go error meant for developers.
			msg = "Something went wrong on our side. The request ID below helps an operator find it in the logs."
		}
	}
	e := views.ErrorPage{Status: status, Heading: http.StatusText(status), Message: msg,
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	// The request's own context may already be cancelled by its deadline
	// middleware; the error page must still render.
	c.SetRequest(c.Request().WithContext(context.WithoutCancel(c.Request().Context())))
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	if err := render(c, status, views.Error(h.page(c, e.Heading, ""), e)); err != nil {
		requestLogger(c).Error("rendering the error page failed", "err", err)
		c.String(status, msg)
	}
}
