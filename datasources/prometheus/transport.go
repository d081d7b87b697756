package prometheus

import (
	"errors"
	"io"
	"net/http"
)

// errTooLarge is what the capped body returns once the limit is passed;
// mapError turns it into datasources.TooLarge.
var errTooLarge = errors.New("response body over the size limit")

type callInfoKey struct{}

// callInfo records the last HTTP status of one client call: client_golang's
// v1 API does not return it, and it distinguishes 204, 404 and 5xx answers.
type callInfo struct{ status int }

// capTransport enforces the response-size cap on every body and records
// the status in the request's callInfo.
type capTransport struct {
	next  http.RoundTripper
	limit int64
}

func (t *capTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if info, ok := r.Context().Value(callInfoKey{}).(*callInfo); ok {
		info.status = resp.StatusCode
	}
	if resp.ContentLength > t.limit {
		resp.Body.Close()
		return nil, errTooLarge
	}
	resp.Body = &cappedBody{rc: resp.Body, left: t.limit}
	return resp, nil
}

// cappedBody fails, rather than truncates, a body longer than the cap: a
// truncated JSON document would only surface as a confusing decode error.
type cappedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errTooLarge
	}
	// Read one byte past the limit to tell "exactly at" from "over".
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, errTooLarge
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.rc.Close() }
