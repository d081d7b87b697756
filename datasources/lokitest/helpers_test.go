package lokitest_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// t0 is the tests' "now": 2024-01-15T10:00:00Z.
var t0 = time.Unix(1705312800, 0)

func at(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }

// newPair starts a server whose clock is t0+1h and a client for it.
func newPair(t *testing.T, opts ...lokitest.Option) (*lokitest.Server, *loki.Client) {
	t.Helper()
	opts = append([]lokitest.Option{lokitest.WithClock(func() time.Time { return t0.Add(time.Hour) })}, opts...)
	srv := lokitest.NewTestServer(t, opts...)
	c, err := loki.New(datasources.Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func mustPush(t *testing.T, srv *lokitest.Server, labels map[string]string, entries ...lokitest.Entry) {
	t.Helper()
	if err := srv.Push(labels, entries...); err != nil {
		t.Fatalf("Push: %v", err)
	}
}

// window is the range every test queries: t0 to t0+1h.
func window(expr string, limit int) loki.Query {
	return loki.Query{Expr: expr, Start: t0, End: t0.Add(time.Hour), Limit: limit}
}

func lines(ls []datasources.LogLine) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Line
	}
	return out
}

func queryLines(t *testing.T, c *loki.Client, q loki.Query) []datasources.LogLine {
	t.Helper()
	res, err := c.QueryRange(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q.Expr, err)
	}
	if res.Type != loki.ResultStreams {
		t.Fatalf("%s: result type %q", q.Expr, res.Type)
	}
	return res.Lines
}

func kindOf(t *testing.T, err error) (datasources.ErrorKind, string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	e, ok := err.(*datasources.Error)
	if !ok {
		t.Fatalf("error %T: %v", err, err)
	}
	return e.Kind, e.Message
}

func get(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
