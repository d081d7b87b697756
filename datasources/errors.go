package datasources

import (
	"context"
	"errors"
	"fmt"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"net"
	"net/http"
	"strings"
)

// ErrorKind is the category of a backend failure. Handlers decide status
// codes and panel messages from the kind alone, never from the wrapped Go
// error. (Named apart from SpanKind, which shares this package.)
type ErrorKind int

const (
	// ErrorUnknown is an error that did not come from this package.
	ErrorUnknown ErrorKind = iota
	// ErrorNotConfigured: the backend's URL is unset. Not an error for the
	// page: its panels say so. Also a URL that cannot be used (InvalidURL),
	// which the clients refuse when they are built.
	ErrorNotConfigured
	// ErrorNotFound: the thing asked for does not exist (or is outside
	// retention or the time range).
	ErrorNotFound
	// ErrorBadQuery: the backend rejected the query; Message carries the
	// backend's own words (e.g. Loki's "parse error at line 1, col 5: ...").
	ErrorBadQuery
	// ErrorTooLarge: a response-size cap or a backend limit was hit.
	ErrorTooLarge
	// ErrorUnavailable: refused, timed out, 5xx, or rate limited.
	ErrorUnavailable
)

func (k ErrorKind) String() string {
	switch k {
	case ErrorNotConfigured:
		return "not configured"
	case ErrorNotFound:
		return "not found"
	case ErrorBadQuery:
		return "bad query"
	case ErrorTooLarge:
		return "too large"
	case ErrorUnavailable:
		return "unavailable"
	}
	return "unknown"
}

// Error is the one error type every client returns.
type Error struct {
	Kind    ErrorKind
	Backend string // "prometheus", "loki" or "tempo"
	// Message is safe to show a user: the backend's own text for a bad
	// query, or a short sentence written by us. Never a Go error string.
	Message string
	// Status is the backend's HTTP status, 0 when no response arrived.
	Status int
	// Err is the underlying cause, for logs only.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Backend)
	b.WriteString(": ")
	b.WriteString(e.Kind.String())
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(" (")
		b.WriteString(e.Err.Error())
		b.WriteString(")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorKindOf returns the kind of err, ErrorUnknown for errors from elsewhere.
func ErrorKindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ErrorUnknown
}

// UserMessage is what a panel shows for err: the Message of an *Error, or a
// generic sentence that leaks nothing meant for developers.
func UserMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	switch ErrorKindOf(err) {
	case ErrorNotConfigured:
		return "This backend is not configured."
	case ErrorNotFound:
		return "Not found."
	case ErrorTooLarge:
		return "The response was too large."
	case ErrorUnavailable:
		return "The backend is unavailable."
	}
	return "Something went wrong while asking the backend."
}

// NotConfigured is returned by clients whose base URL is empty.
func NotConfigured(backend string) error {
	return &Error{Kind: ErrorNotConfigured, Backend: backend, Message: DisplayName(backend) + " is not configured."}
}

// InvalidURL is the error of a client whose base URL cannot be used (see
// Config.HTTPClient). It is ErrorNotConfigured because the backend is as good
// as unset until its configuration is fixed; the message says why, and why
// exactly (err) goes to the log.
func InvalidURL(backend string, err error) error {
	return &Error{Kind: ErrorNotConfigured, Backend: backend,
		Message: "The " + DisplayName(backend) + " URL is not a valid URL.", Err: err}
}

// FromStatus maps a non-2xx backend answer to an *Error. body is the
// backend's error text (Loki and Tempo answer in plain text); for a 4xx it
// becomes the user message, trimmed. A body that is not an API's text (an
// HTML page from a proxy, a load balancer or a login wall) is never shown:
// the message says what answered and how ("Tempo answered 429 Too Many
// Requests"), and the body goes to Err for the log.
//
// Status semantics follow whose problem it is: refused credentials and
// rate limits are the backend's (or Ariadne's configuration's), so they
// are ErrorUnavailable (a bad gateway with advice), never the user's bad
// request.
func FromStatus(backend string, status int, body []byte) error {
	msg := text.Shorten(strings.TrimSpace(string(body)), 2000)
	e := &Error{Backend: backend, Status: status, Message: msg}
	answered := fmt.Sprintf("%s answered %d %s", DisplayName(backend), status, http.StatusText(status))
	if IsMarkup(msg) {
		e.Message, e.Err = answered+".", errors.New(msg)
		msg = ""
	}
	switch {
	case status == http.StatusNotFound:
		e.Kind = ErrorNotFound
	case status == http.StatusRequestEntityTooLarge, status == http.StatusUnprocessableEntity:
		e.Kind = ErrorTooLarge
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		e.Kind = ErrorUnavailable
		e.Message = AuthMessage(backend, status, msg, "the credentials and tenant")
	case status == http.StatusTooManyRequests:
		e.Kind = ErrorUnavailable
		if msg == "" { // the backend's own text says which limit
			e.Message = DisplayName(backend) + " is rate limiting requests (429 Too Many Requests); try again in a moment."
		}
	case status >= 400 && status < 500:
		e.Kind = ErrorBadQuery
		if e.Message == "" {
			e.Message = answered + "."
		}
	default:
		e.Kind = ErrorUnavailable
		e.Message = answered + "."
		if e.Err == nil {
			e.Err = errors.New(msg)
		}
	}
	return e
}

// AuthMessage is what a refused request says: who refused, the backend's
// own words when it gave some, and what to check.
func AuthMessage(backend string, status int, detail, check string) string {
	m := fmt.Sprintf("%s answered %d %s", DisplayName(backend), status, http.StatusText(status))
	if detail != "" {
		m += " (" + detail + ")"
	}
	return m + ": check " + check + " Ariadne is configured with for " + DisplayName(backend) + "."
}

// IsMarkup reports whether a body is an HTML or XML page rather than an
// API's error text: a proxy's error page, a login wall, a wrong URL.
func IsMarkup(body string) bool {
	b := strings.TrimSpace(body)
	if !strings.HasPrefix(b, "<") {
		return false
	}
	head := strings.ToLower(b[:min(len(b), 512)])
	for _, tag := range []string{"<!doctype", "<html", "<head", "<body", "<?xml", "<title", "<h1", "<center", "<p>", "<div"} {
		if strings.Contains(head, tag) {
			return true
		}
	}
	return false
}

// FromTransport maps a failure to get any answer (refused, DNS, timeout,
// cancellation) to ErrorUnavailable with a message a user can act on.
func FromTransport(backend string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	msg := DisplayName(backend) + " is unreachable."
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		msg = DisplayName(backend) + " did not answer in time."
	case errors.Is(err, context.Canceled):
		msg = "The request was cancelled."
	}
	return &Error{Kind: ErrorUnavailable, Backend: backend, Message: msg, Err: err}
}

// TooLarge reports a response over the configured size cap.
func TooLarge(backend string, limit int64) error {
	return &Error{Kind: ErrorTooLarge, Backend: backend,
		Message: fmt.Sprintf("The %s response is larger than the configured limit of %d bytes; narrow the query or time range.", backend, limit)}
}

// DisplayName capitalises a backend name for messages ("loki" → "Loki").
func DisplayName(backend string) string {
	if backend == "" {
		return "The backend"
	}
	if c := backend[0]; c >= 'a' && c <= 'z' {
		return string(c-'a'+'A') + backend[1:]
	}
	return backend
}

// ErrNotAnAPI is the cause of an answer that is not the backend's at all:
// a readiness check answered by a web page, a login wall or another
// service behind a wrong URL.
var ErrNotAnAPI = errors.New("not the backend's API")

// ReadyBody checks a 200 answer to a readiness endpoint: Prometheus, Loki
// and Tempo answer a short text saying they are ready ("ready",
// "Prometheus Server is Ready."). Anything else (an HTML page, a long or
// empty body) means the URL reaches something else, which is not "up".
func ReadyBody(backend string, body []byte) error {
	b := strings.TrimSpace(string(body))
	if len(b) > 0 && len(b) <= 256 && !IsMarkup(b) && strings.Contains(strings.ToLower(b), "ready") {
		return nil
	}
	return &Error{Kind: ErrorUnavailable, Backend: backend, Status: http.StatusOK, Err: ErrNotAnAPI,
		Message: DisplayName(backend) + "'s URL answers, but not as " + DisplayName(backend) + ": check that it is the API's base URL."}
}
