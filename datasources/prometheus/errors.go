package prometheus

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/ariadne-dev/ariadne/datasources"
)

// mapError turns what client_golang returns into a *datasources.Error.
// Prometheus's own message is kept for anything about the query, because
// "1:5: parse error: unexpected <by>" is what the user needs to fix it.
func (c *Client) mapError(err error, info *callInfo) error {
	if err == nil {
		return nil
	}
	var de *datasources.Error
	if errors.As(err, &de) {
		return err
	}
	status := 0
	if info != nil {
		status = info.status
	}
	if errors.Is(err, errTooLarge) {
		return datasources.TooLarge(Backend, c.cfg.Limit())
	}
	var ae *v1.Error
	if !errors.As(err, &ae) {
		return datasources.FromTransport(Backend, err)
	}
	// client_golang decodes the JSON error envelope only for 400 and 422;
	// Prometheus also sends it with 503 (query timeout) and 500 (storage).
	if ae.Type == v1.ErrServer || ae.Type == v1.ErrClient {
		if env, ok := envelope(ae.Detail); ok {
			ae = env
		}
	}
	e := &datasources.Error{Backend: Backend, Status: status, Message: ae.Msg, Err: err}
	switch ae.Type {
	case v1.ErrBadData:
		e.Kind = datasources.ErrorBadQuery
	case v1.ErrExec:
		// Execution errors are mostly about the query ("many-to-many
		// matching not allowed"); one is about its size.
		e.Kind = datasources.ErrorBadQuery
		if strings.Contains(ae.Msg, "too many samples") {
			e.Kind = datasources.ErrorTooLarge
		}
	case v1.ErrTimeout:
		e.Kind = datasources.ErrorUnavailable
		e.Message = "Prometheus gave up on the query (" + ae.Msg + "); narrow the query or the time range."
	case v1.ErrCanceled:
		e.Kind = datasources.ErrorUnavailable
		e.Message = "The query was cancelled."
	case v1.ErrServer, v1.ErrClient:
		return statusError(status, ae, err)
	case v1.ErrBadResponse:
		if strings.Contains(ae.Msg, `unexpected value type "string"`) {
			// Valid PromQL ("foo" is a string literal) that client_golang
			// does not decode and a graph could not draw anyway.
			e.Kind = datasources.ErrorBadQuery
			e.Message = "The query returns a string; graphs need a vector, a matrix or a scalar."
			break
		}
		e.Kind = datasources.ErrorUnavailable
		e.Message = "Prometheus sent an answer Ariadne could not read; is the URL a Prometheus API?"
	default: // "internal", "unavailable", "not_found" and future types
		e.Kind = datasources.ErrorUnavailable
		e.Message = fmt.Sprintf("Prometheus failed to answer: %s", ae.Msg)
	}
	if e.Message == "" {
		// An error envelope without text: name at least its type.
		e.Message = fmt.Sprintf("Prometheus answered with a %s error and no message.", ae.Type)
	}
	return e
}

// statusError covers answers without a Prometheus error envelope: proxies,
// auth gateways, or a URL that is not a Prometheus at all.
func statusError(status int, ae *v1.Error, cause error) error {
	e := &datasources.Error{Kind: datasources.ErrorUnavailable, Backend: Backend, Status: status, Err: cause}
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		e.Message = fmt.Sprintf("Prometheus refused Ariadne's credentials (%d %s).", status, http.StatusText(status))
	case http.StatusNotFound:
		// Not ErrorNotFound: nothing the user asked for is missing, the
		// configured URL is wrong.
		e.Message = "Prometheus answered 404 Not Found; check that the URL is the Prometheus API root."
	default:
		if status == 0 {
			e.Message = "Prometheus sent an unexpected answer."
			break
		}
		err := datasources.FromStatus(Backend, status, []byte(ae.Detail))
		if de, ok := err.(*datasources.Error); ok && de.Message == "" {
			// An empty 4xx body: still say what happened.
			de.Message = fmt.Sprintf("Prometheus rejected the request (%d %s).", status, http.StatusText(status))
		}
		return err
	}
	return e
}

// envelope decodes Prometheus's {"status":"error","errorType":..,"error":..}.
func envelope(body string) (*v1.Error, bool) {
	var env struct {
		Status    string `json:"status"`
		ErrorType string `json:"errorType"`
		Error     string `json:"error"`
	}
	if json.Unmarshal([]byte(body), &env) != nil || env.Status != "error" || env.ErrorType == "" {
		return nil, false
	}
	return &v1.Error{Type: v1.ErrorType(env.ErrorType), Msg: env.Error}, true
}
