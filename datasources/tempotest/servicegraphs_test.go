package tempotest

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

func sgSpan(trace, id, parent byte, kind tracepb.Span_SpanKind, ms uint64, failed bool) *tracepb.Span {
	s := &tracepb.Span{TraceId: append(make([]byte, 15), trace), SpanId: append(make([]byte, 7), id), Kind: kind,
		StartTimeUnixNano: 1e18, EndTimeUnixNano: 1e18 + ms*1e6}
	if parent != 0 {
		s.ParentSpanId = append(make([]byte, 7), parent)
	}
	if failed {
		s.Status = &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR}
	}
	return s
}

func sgResource(service string, spans ...*tracepb.Span) *tracepb.ResourceSpans {
	return &tracepb.ResourceSpans{Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{{Key: "service.name",
		Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: service}}}}}, ScopeSpans: []*tracepb.ScopeSpans{{Spans: spans}}}
}

func TestServiceGraphs(t *testing.T) {
	g := NewServiceGraphs()
	now := time.Unix(1_700_000_000, 0)
	g.now = func() time.Time { return now }
	s := New(WithServiceGraphs(g))
	const (
		client = tracepb.Span_SPAN_KIND_CLIENT
		server = tracepb.Span_SPAN_KIND_SERVER
	)
	// Two calls gateway → orders, the second failing on the server; the
	// server half of the first arrives in a later batch. A call within
	// orders is no edge; a client span nobody answers expires.
	s.Ingest(&tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{
		sgResource("gateway", sgSpan(1, 1, 0, server, 100, false), sgSpan(1, 2, 1, client, 90, false), sgSpan(2, 2, 1, client, 300, false)),
		sgResource("orders", sgSpan(2, 3, 2, server, 250, true), sgSpan(2, 4, 3, client, 5, false), sgSpan(2, 5, 4, server, 4, false)),
		sgResource("orders", sgSpan(3, 9, 1, client, 5, false)),
	}})
	s.Ingest(&tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{sgResource("orders", sgSpan(1, 3, 2, server, 80, false))}})
	now = now.Add(time.Minute)
	s.Ingest(&tracepb.TracesData{})

	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(b)
	for _, want := range []string{
		`traces_service_graph_request_total{client="gateway",connection_type="",server="orders"} 2`,
		`traces_service_graph_request_failed_total{client="gateway",connection_type="",server="orders"} 1`,
		`traces_service_graph_request_server_seconds_bucket{client="gateway",connection_type="",server="orders",le="0.1"} 1`,
		`traces_service_graph_request_client_seconds_count{client="gateway",connection_type="",server="orders"} 2`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s:\n%s", want, text)
		}
	}
	if strings.Contains(text, `server="orders",client="orders"`) || strings.Contains(text, `client="orders",connection_type="",server="orders"`) {
		t.Error("a call within one service is an edge")
	}
	if n := len(g.pending); n != 0 {
		t.Errorf("%d halves still waiting after a minute", n)
	}
}
