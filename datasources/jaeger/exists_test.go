package jaeger

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestExists(t *testing.T) {
	const id = "4bf92f3577b34da6a3ce929d0e0e4736"
	cases := []struct {
		name string
		v3   func(w http.ResponseWriter)
		want bool
		kind datasources.ErrorKind
	}{
		{"v3 has it", func(w http.ResponseWriter) {
			w.Write([]byte(`{"result":{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"` + id + `","spanId":"00000000000000a1"}]}]}]}}`))
		}, true, datasources.ErrorUnknown},
		{"v3 not found", func(w http.ResponseWriter) {
			w.WriteHeader(404)
			w.Write([]byte(`{"error":{"httpCode":404,"message":"No traces found"}}`))
		}, false, datasources.ErrorUnknown},
		{"classic has it", func(w http.ResponseWriter) { w.WriteHeader(404) }, true, datasources.ErrorUnknown},
		{"failing", func(w http.ResponseWriter) { w.WriteHeader(500) }, false, datasources.ErrorUnavailable},
	}
	for _, c := range cases {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/api/v3/") {
				c.v3(w)
				return
			}
			w.Write([]byte(classicTraceJSON))
		}))
		cl, _ := New(datasources.Config{URL: s.URL})
		got, err := cl.Exists(context.Background(), id, time.Time{}, time.Time{})
		s.Close()
		if got != c.want || datasources.ErrorKindOf(err) != c.kind {
			t.Errorf("%s: %v, %v", c.name, got, err)
		}
	}
}
