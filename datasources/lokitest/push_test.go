package lokitest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"
	lokiclient "github.com/grafana/loki-client-go/loki"
	"github.com/grafana/loki/pkg/push"
	"github.com/prometheus/common/model"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

func post(t *testing.T, url, ctype string, body []byte, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// The contract's v1 JSON push comes back with its structured metadata.
func TestPushJSONFromContract(t *testing.T) {
	srv, c := newPair(t, lokitest.WithRetention(0))
	body := contracttest.Read(t, "loki", "handwritten", "push_request_v1.json")
	if status, text := post(t, srv.URL+"/loki/api/v1/push", "application/json", body); status != http.StatusNoContent || text != "" {
		t.Fatalf("push = %d %q, want 204 and no body", status, text)
	}
	q := loki.Query{Expr: `{service_name="checkout"}`, Start: time.Unix(1705312800, 0), End: time.Unix(1705316400, 0), Limit: 10}
	ls := queryLines(t, c, q)
	if len(ls) != 3 {
		t.Fatalf("got %d lines", len(ls))
	}
	if ls[0].TimeNs != 1705313101000000000 || ls[0].Line != `level=info msg="order placed" order_id=8813` || ls[0].StructuredMetadata != nil {
		t.Errorf("newest = %+v", ls[0])
	}
	want := map[string]string{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7"}
	if ls[1].TimeNs != 1705313100250000000 || !maps.Equal(ls[1].StructuredMetadata, want) ||
		!maps.Equal(ls[1].Labels, map[string]string{"service_name": "checkout", "namespace": "shop"}) {
		t.Errorf("second = %+v", ls[1])
	}
	// The same push gzip-compressed is accepted too (idempotent: same lines).
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(body)
	w.Close()
	if status, text := post(t, srv.URL+"/loki/api/v1/push", "application/json", gz.Bytes(), "Content-Encoding", "gzip"); status != 204 {
		t.Fatalf("gzip push = %d %q", status, text)
	}
	if n := len(queryLines(t, c, q)); n != 3 {
		t.Errorf("after pushing the same lines again: %d lines, want 3 (identical entries are stored once)", n)
	}
}

func TestPushLegacyJSON(t *testing.T) {
	srv, c := newPair(t, lokitest.WithRetention(0))
	body := contracttest.Read(t, "loki", "handwritten", "push_request_legacy_v0.json")
	// Loki's v1 path sees no labels in the legacy shape: refused clearly.
	if status, text := post(t, srv.URL+"/loki/api/v1/push", "application/json", body); status != 400 || text != "error at least one label pair is required per stream" {
		t.Errorf("legacy body on v1 = %d %q", status, text)
	}
	if status, text := post(t, srv.URL+"/api/prom/push", "application/json", body); status != 204 {
		t.Fatalf("legacy push = %d %q", status, text)
	}
	ts := time.Date(2023, 11, 14, 22, 13, 20, 123456789, time.UTC)
	ls := queryLines(t, c, loki.Query{Expr: `{service_name="checkout"}`, Start: ts, End: ts.Add(time.Second)})
	if len(ls) != 1 || ls[0].TimeNs != ts.UnixNano() || ls[0].Line != "hello" {
		t.Errorf("lines = %+v", ls)
	}
}

func TestPushRejections(t *testing.T) {
	srv, _ := newPair(t)
	tests := []struct {
		name, ctype, body string
		status            int
		text              string
	}{
		{"numeric timestamp", "application/json", `{"streams":[{"stream":{"a":"b"},"values":[[1705312800000000000,"x"]]}]}`, 400, "not a string"},
		{"no labels", "application/json", `{"streams":[{"stream":{},"values":[["1705312800000000000","x"]]}]}`, 400, "error at least one label pair is required per stream"},
		{"too old", "application/json", `{"streams":[{"stream":{"a":"b"},"values":[["1000000000000000000","x"]]}]}`, 400, "has timestamp too old"},
		{"not snappy", "application/x-protobuf", "garbage", 400, "snappy"},
		{"bad JSON", "application/json", `{"streams":`, 400, "couldn't parse push request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, text := post(t, srv.URL+"/loki/api/v1/push", tt.ctype, []byte(tt.body))
			if status != tt.status || !strings.Contains(text, tt.text) {
				t.Errorf("got %d %q, want %d containing %q", status, text, tt.status, tt.text)
			}
		})
	}
}

// A hand-built snappy protobuf request, with structured metadata.
func TestPushProtobuf(t *testing.T) {
	srv, c := newPair(t)
	req := push.PushRequest{Streams: []push.Stream{{
		Labels: `{service_name="checkout", namespace="shop"}`,
		Entries: []push.Entry{{Timestamp: at(10.000000123), Line: "proto line",
			StructuredMetadata: push.LabelsAdapter{{Name: "trace_id", Value: "5b8efff798038103d269b633813fc60c"}}}},
	}}}
	raw, err := req.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if status, text := post(t, srv.URL+"/loki/api/v1/push", "application/x-protobuf", snappy.Encode(nil, raw)); status != 204 {
		t.Fatalf("push = %d %q", status, text)
	}
	ls := queryLines(t, c, window(`{namespace="shop"} | trace_id="5b8efff798038103d269b633813fc60c"`, 10))
	if len(ls) != 1 || ls[0].TimeNs != at(10.000000123).UnixNano() || ls[0].Line != "proto line" ||
		ls[0].StructuredMetadata["trace_id"] != "5b8efff798038103d269b633813fc60c" || ls[0].Labels["service_name"] != "checkout" {
		t.Errorf("lines = %+v", ls)
	}
}

// loki-client-go → lokitest → our client: labels and exact times survive.
func TestRoundTripWithLokiClientGo(t *testing.T) {
	for _, multi := range []bool{false, true} {
		name := "single tenant"
		if multi {
			name = "tenant team-a"
		}
		t.Run(name, func(t *testing.T) {
			opts := []lokitest.Option{lokitest.WithRetention(0)}
			tenant := ""
			if multi {
				opts, tenant = append(opts, lokitest.WithMultiTenant()), "team-a"
			}
			srv := lokitest.NewTestServer(t, opts...)
			cfg, err := lokiclient.NewDefaultConfig(srv.URL + "/loki/api/v1/push")
			if err != nil {
				t.Fatal(err)
			}
			cfg.BatchWait = 10 * time.Millisecond
			cfg.TenantID = tenant
			pusher, err := lokiclient.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			base := time.Now().Truncate(time.Second)
			ls := model.LabelSet{"service_name": "checkout", "namespace": "shop"}
			pusher.Handle(ls, base.Add(1), "first line")
			pusher.Handle(ls, base.Add(2), "second line")
			pusher.HandleWithMetadata(ls, base.Add(3), "with metadata", push.LabelsAdapter{{Name: "trace_id", Value: "4bf92f3577b34da6a3ce929d0e0e4736"}})
			pusher.Stop() // flushes

			c, err := loki.New(datasources.Config{URL: srv.URL, Tenant: tenant})
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.QueryRange(context.Background(), loki.Query{Expr: `{service_name="checkout"}`, Start: base, End: base.Add(time.Second), Direction: loki.Forward})
			if err != nil {
				t.Fatal(err)
			}
			want := []struct {
				ts   int64
				line string
			}{{base.UnixNano() + 1, "first line"}, {base.UnixNano() + 2, "second line"}, {base.UnixNano() + 3, "with metadata"}}
			if len(res.Lines) != len(want) {
				t.Fatalf("got %d lines: %+v", len(res.Lines), res.Lines)
			}
			for i, w := range want {
				l := res.Lines[i]
				if l.TimeNs != w.ts || l.Line != w.line || !maps.Equal(l.Labels, map[string]string{"service_name": "checkout", "namespace": "shop"}) {
					t.Errorf("line %d = %+v, want %d %q", i, l, w.ts, w.line)
				}
			}
			if res.Lines[2].StructuredMetadata["trace_id"] != "4bf92f3577b34da6a3ce929d0e0e4736" {
				t.Errorf("structured metadata = %v", res.Lines[2].StructuredMetadata)
			}
			if multi {
				// Another tenant sees nothing; no tenant is refused.
				other, _ := loki.New(datasources.Config{URL: srv.URL, Tenant: "team-b"})
				if r, err := other.QueryRange(context.Background(), loki.Query{Expr: `{service_name="checkout"}`, Start: base, End: base.Add(time.Second)}); err != nil || len(r.Lines) != 0 {
					t.Errorf("team-b sees %d lines, %v", len(r.Lines), err)
				}
				anon, _ := loki.New(datasources.Config{URL: srv.URL})
				_, err := anon.Labels(context.Background(), time.Time{}, time.Time{})
				if k, msg := kindOf(t, err); k != datasources.ErrorUnavailable || !strings.Contains(msg, "no org id") {
					t.Errorf("without tenant: %v %q", k, msg)
				}
			}
		})
	}
}
