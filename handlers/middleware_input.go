package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// What Ariadne takes from a request and what of it reaches the log: a
// proxy's request ID only when it is token-like, share tokens and CSRF
// tokens never, the CSRF token only from the body or a header, and query
// strings and bodies only up to a bound.

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
