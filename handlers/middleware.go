package handlers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/ariadne-dev/ariadne/telemetry"
)

type ctxKey int

const loggerKey ctxKey = iota

// requestLogger returns the request's logger, which carries its request ID.
func requestLogger(c echo.Context) *slog.Logger {
	if l, ok := c.Request().Context().Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// statusClientClosed is nginx's 499: the client closed the connection
// before the answer was complete.
const statusClientClosed = 499

// logRequests attaches a per-request logger and writes one line per request.
// The logger carries the request ID, and the request's trace_id and
// span_id (telemetry.LogHandler) on every line, those logged without a
// context included.
func (h *Handler) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		id := c.Response().Header().Get(echo.HeaderXRequestID)
		log := telemetry.WithSpan(h.log.With("request_id", id), req.Context())
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), loggerKey, log)))
		err := next(c)
		if err != nil {
			// Decide the status now, as the error handler will.
			c.Error(err)
		}
		res := c.Response()
		status := finalStatus(c, req.Context())
		path := RedactPath(req.URL.Path)
		query := redactQuery(req.URL.RawQuery)
		if strings.HasPrefix(path, "/s/") {
			query = ""
		}
		level := slog.LevelInfo
		switch {
		case res.Status >= 500:
			level = slog.LevelError
		case c.Path() == metricsPath && res.Status == 200:
			// A scrape every few seconds would drown the log.
			level = slog.LevelDebug
		}
		log.Log(req.Context(), level, "request",
			"method", req.Method, "path", path, "query", query, "status", status,
			"bytes", res.Size, "duration_ms", time.Since(start).Milliseconds(), "user", userOf(c))
		return nil
	}
}

// finalStatus is the status a request ended with, as the log and the
// metrics count it: the one written, or 499 when the client went away
// first. ctx is the request's context as the middleware received it (the
// handlers' own contexts are cancelled on return by their deadlines).
func finalStatus(c echo.Context, ctx context.Context) int {
	if ctx.Err() != nil && errors.Is(context.Cause(ctx), context.Canceled) {
		// The client went away: what the response says was never
		// read. 499 as nginx logs it, so a cancelled page is not
		// counted as served.
		return statusClientClosed
	}
	return c.Response().Status
}

// securityHeaders sets CSP with a fresh nonce (handed to templ) and the
// other defaults. No 'unsafe-inline' for scripts or styles.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		b := make([]byte, 16)
		rand.Read(b)
		nonce := base64.RawStdEncoding.EncodeToString(b)
		hd := c.Response().Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self' 'nonce-"+nonce+"'; style-src 'self' 'nonce-"+nonce+"'; "+
			"img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		req := c.Request()
		c.SetRequest(req.WithContext(templ.WithNonce(req.Context(), nonce)))
		return next(c)
	}
}

// requestTimeout bounds the work of one request with a context deadline
// (not Echo's timeout middleware, which races with the handler's writes).
func requestTimeout(d time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx, cancel := context.WithTimeout(c.Request().Context(), d)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

const userKey = "user"

// identify names the user: from the configured header when the request
// comes straight from a trusted proxy, else the default user.
func (h *Handler) identify(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		user := h.opt.DefaultUser
		if h.opt.UserHeader != "" {
			if v := strings.TrimSpace(c.Request().Header.Get(h.opt.UserHeader)); v != "" && h.fromTrustedProxy(c) {
				user = v
			}
		}
		if len(user) > 200 {
			user = user[:200]
		}
		c.Set(userKey, user)
		return next(c)
	}
}

func (h *Handler) fromTrustedProxy(c echo.Context) bool {
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range h.opt.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// userOf is the request's user name; "" when nobody is known.
func userOf(c echo.Context) string {
	u, _ := c.Get(userKey).(string)
	return u
}
