package handlers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
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

// requestID names each request in the logs, the error page and the
// response's X-Request-ID. A proxy's ID is adopted only when it is short
// and token-like (letters, digits, '-', '_', '.', ':'; at most 64): an
// 8 KB or multi-line header must not be copied into every log line.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !tokenLike(id) {
			b := make([]byte, 16)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func tokenLike(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// RedactPath hides share tokens: a share link is a capability, and logs are
// read by more people than the link was given to. The path is judged as
// cleaned and in any case ("//s/T", "/./s/T", "/S/T", "/x/../s/T" all
// name /s/T to someone who reads the log), and everything after /s/ goes.
func RedactPath(p string) string {
	if c := path.Clean("/" + p); len(c) >= 3 && strings.EqualFold(c[:3], "/s/") {
		return "/s/[redacted]"
	}
	return p
}

// redactQuery hides a CSRF token sent in the query string (it is refused
// there, see csrfTokenFromBody, but still must not be logged).
func redactQuery(raw string) string {
	if !strings.Contains(raw, csrfField) {
		return raw
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "[unreadable query]"
	}
	if q.Has(csrfField) {
		q.Set(csrfField, "[redacted]")
	}
	return q.Encode()
}

// csrfField is the form field that carries the CSRF token.
const csrfField = "_csrf"

// csrfTokenFromBody makes the CSRF check read the token from the request
// body or the X-CSRF-Token header only. Echo's form lookup reads
// Request.Form, which merges the query string in; a token in a URL would
// end up in logs, history and Referer headers, so it does not count.
func csrfTokenFromBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			return next(c)
		}
		if r.URL.Query().Has(csrfField) {
			// Parse now (as Echo would), then keep only the body's token.
			if err := r.ParseMultipartForm(32 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
			}
			if body := r.PostForm[csrfField]; len(body) > 0 {
				r.Form[csrfField] = body
			} else {
				delete(r.Form, csrfField)
			}
		}
		return next(c)
	}
}

// statusClientClosed is nginx's 499: the client closed the connection
// before the answer was complete.
const statusClientClosed = 499

// logRequests attaches a per-request logger and writes one line per request.
func (h *Handler) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		req := c.Request()
		id := c.Response().Header().Get(echo.HeaderXRequestID)
		log := h.log.With("request_id", id)
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), loggerKey, log)))
		err := next(c)
		if err != nil {
			// Decide the status now, as the error handler will.
			c.Error(err)
		}
		res := c.Response()
		status := res.Status
		if req.Context().Err() != nil && errors.Is(context.Cause(req.Context()), context.Canceled) {
			// The client went away: what the response says was never
			// read. 499 as nginx logs it, so a cancelled page is not
			// counted as served.
			status = statusClientClosed
		}
		path := RedactPath(req.URL.Path)
		query := redactQuery(req.URL.RawQuery)
		if strings.HasPrefix(path, "/s/") {
			query = ""
		}
		level := slog.LevelInfo
		if res.Status >= 500 {
			level = slog.LevelError
		}
		log.Log(req.Context(), level, "request",
			"method", req.Method, "path", path, "query", query, "status", status,
			"bytes", res.Size, "duration_ms", time.Since(start).Milliseconds(), "user", userOf(c))
		return nil
	}
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

// DefaultMaxQueryBytes bounds a request's query string (ARIADNE_MAX_QUERY_BYTES):
// far above any query a person writes, far below what would make a page
// forward megabytes to a backend and echo them back.
const DefaultMaxQueryBytes = 64 << 10

// boundInput refuses a query string over limit bytes with a 400 that names
// the limit (and echoes none of it), and caps a request body at the larger
// of 1 MiB and twice limit, so no form can make Ariadne read without end.
func boundInput(limit int) echo.MiddlewareFunc {
	body := int64(max(1<<20, 2*limit))
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if n := len(r.URL.RawQuery); n > limit {
				return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf(
					"The request's query is %d bytes; Ariadne accepts at most %d (ARIADNE_MAX_QUERY_BYTES). Shorten the query.", n, limit))
			}
			if r.Body != nil {
				r.Body = http.MaxBytesReader(c.Response(), r.Body, body)
			}
			return next(c)
		}
	}
}
