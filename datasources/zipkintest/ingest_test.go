package zipkintest_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/zipkintest"
)

func TestIngestOverHTTP(t *testing.T) {
	ok := `[{"traceId":"5af7183fb1d4cf5f","id":"352bff9a74ca9ad2","name":"get /api","timestamp":` +
		itoa(us(-1000000)) + `,"duration":1431,"kind":"SERVER","localEndpoint":{"serviceName":"backend"}}]`
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(ok))
	zw.Close()

	cases := []struct {
		name       string
		header     http.Header
		body       []byte
		wantStatus int
		wantBody   string // substring
		wantSpans  int
	}{
		{"a JSON v2 list", nil, []byte(ok), http.StatusAccepted, "", 1},
		{"gzip", http.Header{"Content-Encoding": {"gzip"}}, gz.Bytes(), http.StatusAccepted, "", 1},
		{"an empty body", nil, nil, http.StatusAccepted, "", 0},
		{"an empty list", nil, []byte("[]"), http.StatusAccepted, "", 0},
		{"not a list", nil, []byte(`{"traceId":"1"}`), http.StatusBadRequest, "Expected a JSON_V2 encoded list", 0},
		{"v1 spans", nil, []byte(`[{"traceId":"1","id":"1","binaryAnnotations":[]}]`), http.StatusBadRequest, "but received: JSON_V1", 0},
		{"broken JSON", nil, []byte(`[{"traceId":`), http.StatusBadRequest, "Malformed reading List<Span> from json", 0},
		{"a float timestamp", nil, []byte(`[{"traceId":"1","id":"1","timestamp":1.5}]`), http.StatusBadRequest, "Malformed", 0},
		{"no trace ID", nil, []byte(`[{"id":"1"}]`), http.StatusBadRequest, "traceId is empty", 0},
		{"no span ID", nil, []byte(`[{"traceId":"1"}]`), http.StatusBadRequest, "id is empty", 0},
		{"upper-case hex", nil, []byte(`[{"traceId":"5AF7183FB1D4CF5F","id":"1"}]`), http.StatusBadRequest, "should be lower-hex encoded", 0},
		{"a long span ID", nil, []byte(`[{"traceId":"1","id":"00000000000000001"}]`), http.StatusBadRequest, "id.length > 16", 0},
		{"an all-zero trace ID", nil, []byte(`[{"traceId":"0000","id":"1"}]`), http.StatusBadRequest, "traceId is all zeros", 0},
		{"an unknown kind", nil, []byte(`[{"traceId":"1","id":"1","kind":"LOCAL"}]`), http.StatusBadRequest, "kind \"LOCAL\"", 0},
		{"one bad span refuses the batch", nil, []byte(`[{"traceId":"1","id":"1"},{"traceId":"x","id":"1"}]`), http.StatusBadRequest, "lower-hex", 0},
		{"protobuf", http.Header{"Content-Type": {"application/x-protobuf"}}, []byte{0x0a}, http.StatusUnsupportedMediaType, "JSON v2 spans only", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := server(t)
			status, body := post(t, s.URL, tc.header, tc.body)
			if status != tc.wantStatus || !strings.Contains(body, tc.wantBody) {
				t.Errorf("POST: %d %q, want %d containing %q", status, body, tc.wantStatus, tc.wantBody)
			}
			if got := s.Len(); got != tc.wantSpans {
				t.Errorf("stored %d spans, want %d", got, tc.wantSpans)
			}
		})
	}
}

// TestNormalization: spans are stored as Zipkin's span builder leaves them.
func TestNormalization(t *testing.T) {
	cases := []struct {
		name string
		in   zipkintest.Span
		want zipkintest.Span
	}{
		{"short IDs are padded",
			zipkintest.Span{TraceID: "abc", ID: "1", ParentID: "2"},
			zipkintest.Span{TraceID: "0000000000000abc", ID: "0000000000000001", ParentID: "0000000000000002"}},
		{"a 128-bit ID with a zero high half is 64-bit",
			zipkintest.Span{TraceID: "00000000000000005af7183fb1d4cf5f", ID: "1"},
			zipkintest.Span{TraceID: "5af7183fb1d4cf5f", ID: "0000000000000001"}},
		{"a 17-character ID pads to 128 bits",
			zipkintest.Span{TraceID: "15af7183fb1d4cf5f", ID: "1"},
			zipkintest.Span{TraceID: "00000000000000015af7183fb1d4cf5f", ID: "0000000000000001"}},
		{"names are lower-cased",
			zipkintest.Span{TraceID: "1", ID: "1", Name: "GET /Api", LocalEndpoint: ep("Backend"), RemoteEndpoint: ep("DB")},
			zipkintest.Span{TraceID: "0000000000000001", ID: "0000000000000001", Name: "get /api", LocalEndpoint: ep("backend"), RemoteEndpoint: ep("db")}},
		{"a self-parent is removed",
			zipkintest.Span{TraceID: "1", ID: "1", ParentID: "1"},
			zipkintest.Span{TraceID: "0000000000000001", ID: "0000000000000001"}},
		{"an all-zero parent is none",
			zipkintest.Span{TraceID: "1", ID: "1", ParentID: "0000000000000000"},
			zipkintest.Span{TraceID: "0000000000000001", ID: "0000000000000001"}},
		{"shared is dropped from a client",
			zipkintest.Span{TraceID: "1", ID: "1", Kind: zipkintest.KindClient, Shared: true},
			zipkintest.Span{TraceID: "0000000000000001", ID: "0000000000000001", Kind: zipkintest.KindClient}},
		{"an empty endpoint is none",
			zipkintest.Span{TraceID: "1", ID: "1", LocalEndpoint: &zipkintest.Endpoint{}},
			zipkintest.Span{TraceID: "0000000000000001", ID: "0000000000000001"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := server(t)
			ingest(t, s, tc.in)
			got := s.Trace(tc.want.TraceID)
			if len(got) != 1 || !reflect.DeepEqual(got[0], tc.want) {
				t.Errorf("stored %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestIngestCopies: a caller reusing its span's map after Ingest does not
// change what is stored.
func TestIngestCopies(t *testing.T) {
	s := server(t)
	sp := zipkintest.Span{TraceID: "1", ID: "1", Tags: map[string]string{"a": "1"}}
	ingest(t, s, sp)
	sp.Tags["a"] = "2"
	if got := s.Trace("1")[0].Tags["a"]; got != "1" {
		t.Errorf("stored tag = %q, want 1", got)
	}
}
