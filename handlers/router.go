package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/static"
)

// Router returns the Echo instance with every route and middleware. All
// routes are readable here, in one place.
func (h *Handler) Router() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = h.handleError

	// Outermost first: the request ID exists before anything logs, the
	// span and the request metrics wrap everything after (the logger's
	// lines carry the span), the logger sees the final status, and
	// recovery turns a panic into an error for the error handler.
	e.Use(requestID)
	e.Use(h.observeRequests())
	e.Use(h.logRequests)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		// The error handler logs it, once, with the stack.
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			return fmt.Errorf("panic: %w\n%s", err, stack)
		}}))
	e.Use(securityHeaders)
	// Events must reach the browser as they are written, share pages
	// are stored compressed (sharePages), and the metrics handler
	// compresses by itself.
	e.Use(compress(func(c echo.Context) bool {
		return c.Path() == links.LogsLivePath || c.Path() == sharePath || c.Path() == metricsPath
	}))
	e.Use(requestTimeout(h.opt.RequestTimeout))
	e.Use(h.identify)
	e.Use(boundInput(h.opt.MaxQueryBytes))
	e.Use(csrfTokenFromBody)
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:" + csrfField + ",header:X-CSRF-Token",
		CookieName:     "_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteStrictMode,
		ContextKey:     "csrf",
	}))

	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)
	if !h.opt.MetricsOwnListener {
		e.GET(metricsPath, h.metricsHandler())
	}
	e.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))
	e.GET("/favicon.ico", func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, static.URL("img/favicon.svg"))
	})

	e.GET("/", h.home)
	e.GET(links.ServicesPath+":name", h.servicePage)
	// Pages: each feature adds its routes below, one line per route.
	e.GET("/traces", h.traces)
	e.GET("/traces/diff", h.traceDiff)
	e.GET("/traces/compare", h.traceCompare)
	e.GET("/traces/:id", h.trace)
	e.GET("/traces/:id/spans/:span", h.traceSpan)
	e.GET("/traces/:id/find", h.traceFind)
	e.GET("/traces/:id/rows", h.traceRows)
	e.GET("/logs", h.logs)
	e.GET("/logs/context", h.logContext)
	e.GET(links.LogLinePath, h.logLine)
	e.GET(links.LogLineBodyPath, h.logLineBody)
	e.GET(links.LogsLivePath, h.logsLive)
	e.GET("/logs/labels", h.logsLabels)
	e.GET("/graph", h.graph)
	e.GET("/graph/labels", h.graphLabels)
	e.GET("/quality", h.qualityPage)
	e.GET("/sampling", h.samplingPage)
	e.GET("/investigations", h.investigations)
	e.POST("/investigations", h.createInvestigation)
	e.GET("/investigations/:id", h.investigation)
	e.POST("/investigations/:id/rename", h.renameInvestigation)
	e.POST("/investigations/:id/status", h.setInvestigationStatus)
	e.POST("/investigations/:id/notes", h.addNote)
	e.POST("/investigations/:id/items/:item/move", h.moveItem)
	e.POST("/investigations/:id/items/:item/edit", h.editItem)
	e.POST("/investigations/:id/items/:item/delete", h.deleteItem)
	e.POST("/investigations/:id/shares", h.createShare)
	e.POST("/investigations/:id/shares/:link/revoke", h.revokeShare)
	e.GET(sharePath, h.shared)
	e.POST("/pins", h.pin)
	return e
}
