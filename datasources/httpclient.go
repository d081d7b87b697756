package datasources

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/prefault"
	"github.com/ariadne-dev/ariadne/telemetry"
)

// Config is how Ariadne reaches one backend. Secrets are already read from
// their files (see the cmd/ariadne config); nothing here is ever logged.
type Config struct {
	URL              string // base URL; empty means "not configured"
	Tenant           string // sent in TenantHeader when set
	TenantHeader     string // empty means X-Scope-OrgID (Loki, Tempo, Prometheus-compatible stores); Jaeger's is x-tenant
	Username         string // basic auth, with Password
	Password         string
	BearerToken      string
	CAFile           string        // PEM bundle trusted in addition to the system's
	CAPEM            string        // the same, given as its content (e.g. Grafana's tlsCACert); not a secret
	Timeout          time.Duration // per request; 0 means DefaultTimeout
	MaxResponseBytes int64         // 0 means DefaultMaxResponseBytes
	// Telemetry makes each call a client span and a sample of the backend
	// metrics (Ariadne's own telemetry); nil records nothing.
	Telemetry *telemetry.Telemetry
}

const (
	DefaultTimeout          = 30 * time.Second
	DefaultMaxResponseBytes = 64 << 20
)

// Configured reports whether the backend has a URL.
func (c Config) Configured() bool { return c.URL != "" }

// Limit returns the response-size cap in force.
func (c Config) Limit() int64 {
	if c.MaxResponseBytes > 0 {
		return c.MaxResponseBytes
	}
	return DefaultMaxResponseBytes
}

// RequestTimeout returns the per-request timeout in force.
func (c Config) RequestTimeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// BaseURL returns URL without a trailing slash, so paths can be appended.
func (c Config) BaseURL() string { return strings.TrimRight(c.URL, "/") }

// checkURL returns the error every client's New gives for a URL that no
// request could be sent to, so that a bad URL is refused at start, alike
// for all backends, rather than at each request. An unset URL is fine:
// the backend is not configured.
func (c Config) checkURL(backend string) error {
	if !c.Configured() {
		return nil
	}
	if _, err := ParseBaseURL(c.URL); err != nil {
		return InvalidURL(backend, err)
	}
	return nil
}

// ParseBaseURL parses a backend's base URL: absolute, http or https, with
// a host. Its errors read like url.Parse's (`parse "htp//x": missing
// scheme`), which is how the configuration reports them at start.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "" {
		return nil, fmt.Errorf("parse %q: missing scheme", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("parse %q: scheme must be http or https", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("parse %q: missing host", raw)
	}
	return u, nil
}

// HTTPClient builds the client every backend's New uses, after refusing a
// URL no request could be sent to: tenant header, auth and TLS are
// applied by its transport; the timeout bounds each whole request. The
// outermost layer is Ariadne's own telemetry (otelhttp's client span,
// traceparent sent on, the backend metrics), so a call's span covers its
// auth and TLS too, and never records a credential: those headers are set
// beneath it.
func (c Config) HTTPClient(backend string) (*http.Client, error) {
	if err := c.checkURL(backend); err != nil {
		return nil, err
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 16
	if c.CAFile != "" || c.CAPEM != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if c.CAFile != "" {
			pem, err := os.ReadFile(c.CAFile)
			if err != nil {
				return nil, fmt.Errorf("reading CA file: %w", err)
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("CA file %s holds no PEM certificate", c.CAFile)
			}
		}
		if c.CAPEM != "" && !pool.AppendCertsFromPEM([]byte(c.CAPEM)) {
			return nil, errors.New("the CA certificate given holds no PEM certificate")
		}
		base.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{
		Transport: c.Telemetry.Transport(backend, &authTransport{next: base, cfg: c}),
		Timeout:   c.RequestTimeout(),
	}, nil
}

type authTransport struct {
	next http.RoundTripper
	cfg  Config
}

func (t *authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if t.cfg.Tenant != "" {
		h := t.cfg.TenantHeader
		if h == "" {
			h = "X-Scope-OrgID"
		}
		r.Header.Set(h, t.cfg.Tenant)
	}
	switch {
	case t.cfg.BearerToken != "":
		r.Header.Set("Authorization", "Bearer "+t.cfg.BearerToken)
	case t.cfg.Username != "":
		r.SetBasicAuth(t.cfg.Username, t.cfg.Password)
	}
	if r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", "ariadne")
	}
	return t.next.RoundTrip(r)
}

// ReadBody reads at most limit bytes of resp.Body and closes it. A longer
// body is a ErrorTooLarge error rather than a silently truncated decode.
//
// A trace can be hundreds of megabytes, and fresh memory costs a page
// fault per 4 KiB on first touch: a body of known length is read into one
// exact allocation, one of unknown length (chunked) into blocks joined
// once, never through a buffer that doubles and copies itself all the way
// up (which touched about three times the body; for a million-span trace,
// seconds).
func ReadBody(backend string, resp *http.Response, limit int64) ([]byte, error) {
	return ReadBodySized(backend, resp, limit, nil)
}

// BodySize reads, from a body's Content-Type and first bytes, how long the
// whole body is at least by its own framing (a protobuf message's
// length-delimited first field, with its tag and length), or -1 when they
// do not say. Room is left after it for what the framing does not count
// (sizeRoom: a protobuf's later fields), and a body that runs on past that
// is still read whole.
type BodySize func(contentType string, head []byte) int64

// sizeRoom is what a sized read leaves room for past the size it was told.
const sizeRoom = 4096

// ReadBodySized is ReadBody for a body whose first bytes can say how long
// it is (size; nil for none). A backend written in Go answers a large body
// chunked, without a Content-Length (Tempo does), and joining the blocks
// of a chunked read copies the whole body once more into fresh memory:
// for a million-span trace, 384 MB and, on this project's 2-core machines,
// almost two seconds. With the size known after the first block, the rest
// is read into one allocation of that size.
func ReadBodySized(backend string, resp *http.Response, limit int64, size BodySize) ([]byte, error) {
	defer resp.Body.Close()
	if resp.ContentLength > limit {
		return nil, TooLarge(backend, limit)
	}
	body := io.LimitReader(resp.Body, limit+1)
	if resp.ContentLength >= 0 {
		b := make([]byte, resp.ContentLength)
		if _, err := prefault.Read(body, b); err != nil {
			return nil, FromTransport(backend, err)
		}
		// Nothing may follow what the header announced (net/http holds
		// a server to it; this keeps the limit exact whatever the reader).
		var one [1]byte
		if n, err := body.Read(one[:]); n > 0 || (err != nil && err != io.EOF) {
			if err != nil {
				return nil, FromTransport(backend, err)
			}
			return nil, FromTransport(backend, errors.New("body longer than its Content-Length"))
		}
		return b, nil
	}
	// Each read fills buf; a full buf is kept in blocks and the next is
	// twice its size (at most 16 MB). Once, when the first is full and
	// the body's first bytes say how long it is, buf grows to that size
	// instead, so the rest lands straight after it.
	var blocks [][]byte
	buf := make([]byte, 0, 64<<10)
	total, asked := 0, size == nil
	for {
		n, err := prefault.Read(body, buf[len(buf):cap(buf)])
		buf, total = buf[:len(buf)+n], total+n
		if int64(total) > limit {
			return nil, TooLarge(backend, limit)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, FromTransport(backend, err)
		}
		if !asked {
			asked = true
			if want := size(resp.Header.Get("Content-Type"), buf); want > int64(total) {
				if want > limit {
					return nil, TooLarge(backend, limit) // it is at least that long
				}
				whole := make([]byte, total, min(want+sizeRoom, limit+1))
				copy(whole, buf)
				buf = whole
				continue
			}
		}
		blocks = append(blocks, buf)
		buf = make([]byte, 0, min(2*cap(buf), 16<<20))
	}
	if len(buf) > 0 || len(blocks) == 0 {
		blocks = append(blocks, buf) // not the empty read that found the end
	}
	if len(blocks) == 1 {
		return blocks[0], nil
	}
	out := make([]byte, 0, total)
	for _, b := range blocks {
		out = append(out, b...)
	}
	return out, nil
}

// Response is a backend's whole answer, whatever its status: clients
// decide what a status means for each endpoint (a 404 is "no such trace"
// on one and "wrong URL" on another).
type Response struct {
	Status      int
	ContentType string
	Body        []byte
}

// Get sends one GET to base+path?q with the client every backend uses and
// reads the body under the configured cap. An unconfigured backend, a URL
// that makes no request, no answer at all and a body over the cap are
// errors in the vocabulary; any status is a Response.
func Get(ctx context.Context, hc *http.Client, cfg Config, backend, path string, q url.Values, accept string) (*Response, error) {
	return GetSized(ctx, hc, cfg, backend, path, q, accept, nil)
}

// GetSized is Get for an answer whose first bytes say how long it is (see
// ReadBodySized).
func GetSized(ctx context.Context, hc *http.Client, cfg Config, backend, path string, q url.Values, accept string, size BodySize) (*Response, error) {
	if !cfg.Configured() {
		return nil, NotConfigured(backend)
	}
	u := cfg.BaseURL() + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &Error{Kind: ErrorBadQuery, Backend: backend,
			Message: "The " + DisplayName(backend) + " URL or query could not be turned into a request.", Err: err}
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, FromTransport(backend, err)
	}
	body, err := ReadBodySized(backend, resp, cfg.Limit(), size)
	if err != nil {
		return nil, err
	}
	return &Response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: body}, nil
}
