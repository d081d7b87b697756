package prometheus

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestExemplars(t *testing.T) {
	f := newFake(t, map[string]reply{"/api/v1/query_exemplars": {file: "exemplars.json"}})
	start := time.Unix(1795655800, 0)
	got, err := f.client(t, datasources.Config{}).Exemplars(context.Background(), "demo_request_duration_seconds_bucket", start, start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	req := f.last("/api/v1/query_exemplars")
	if req.form.Get("query") != "demo_request_duration_seconds_bucket" || req.form.Get("start") != "1795655800" || req.form.Get("end") != "1795659400" {
		t.Errorf("request form = %v", req.form)
	}
	bucket := func(le string) map[string]string {
		return map[string]string{"__name__": "demo_request_duration_seconds_bucket", "instance": "127.0.0.1:41873", "job": "ariadne", "le": le}
	}
	want := []datasources.Exemplar{
		{SeriesLabels: bucket("0.1"), Labels: map[string]string{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}, TMs: 1795655864810, Value: 0.05},
		{SeriesLabels: bucket("0.1"), Labels: map[string]string{"trace_id": "A3CE929D0E0E4736", "span_id": "00f067aa0ba902b7"}, TMs: 1795655865812, Value: 0.07},
		{SeriesLabels: bucket("+Inf"), Labels: map[string]string{"traceID": "00000000000000000000000000c0ffee"}, TMs: 1795655866000, Value: 12.5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("exemplars =\n%v\nwant\n%v", got, want)
	}

	// The graph links each exemplar to its trace: IDs padded, lower-cased.
	wantIDs := []string{"4bf92f3577b34da6a3ce929d0e0e4736", "0000000000000000a3ce929d0e0e4736", "00000000000000000000000000c0ffee"}
	for i, e := range got {
		if id, ok := TraceID(e); !ok || id != wantIDs[i] {
			t.Errorf("TraceID(exemplar %d) = %q, %v; want %q", i, id, ok, wantIDs[i])
		}
	}
}

func TestTraceIDAbsentOrInvalid(t *testing.T) {
	for _, labels := range []map[string]string{{"span_id": "00f067aa0ba902b7"}, {"trace_id": "not-hex"}, {"trace_id": "0000"}} {
		if id, ok := TraceID(datasources.Exemplar{Labels: labels}); ok {
			t.Errorf("TraceID(%v) = %q, true; want false", labels, id)
		}
	}
}

// Prometheus 2.42 answers the same 200 {"data":[]} whether exemplar storage
// is off or there are no exemplars; only the flags tell them apart.
func TestEmptyExemplars(t *testing.T) {
	tests := []struct {
		name         string
		routes       map[string]reply
		wantDisabled bool
	}{
		{"storage disabled", map[string]reply{"/api/v1/query_exemplars": {file: "exemplars_empty.json"}, "/api/v1/status/flags": {file: "flags_disabled.json"}}, true},
		{"storage enabled, none yet", map[string]reply{"/api/v1/query_exemplars": {file: "exemplars_empty.json"}, "/api/v1/status/flags": {file: "flags_enabled.json"}}, false},
		{"flags not served (Mimir, Thanos)", map[string]reply{"/api/v1/query_exemplars": {file: "exemplars_empty.json"}}, false},
		{"204 for a query without selectors", map[string]reply{"/api/v1/query_exemplars": {status: 204}, "/api/v1/status/flags": {file: "flags_disabled.json"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.routes)
			got, err := f.client(t, datasources.Config{}).Exemplars(context.Background(), "x_bucket", time.Now().Add(-time.Hour), time.Now())
			if len(got) != 0 {
				t.Errorf("exemplars = %v, want none", got)
			}
			if !tt.wantDisabled {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrExemplarsUnavailable) {
				t.Fatalf("err = %v, want ErrExemplarsUnavailable", err)
			}
			e := wantError(t, err, datasources.ErrorNotFound)
			if e.Message != "Prometheus is not storing exemplars, so the graph cannot link to traces: start it with --enable-feature=exemplar-storage." {
				t.Errorf("message = %q", e.Message)
			}
		})
	}
}

func TestExemplarsBadQuery(t *testing.T) {
	f := newFake(t, map[string]reply{"/api/v1/query_exemplars": {status: 400,
		body: `{"status":"error","errorType":"bad_data","error":"1:4: parse error: unclosed left parenthesis"}`}})
	_, err := f.client(t, datasources.Config{}).Exemplars(context.Background(), "up(", time.Time{}, time.Time{})
	if e := wantError(t, err, datasources.ErrorBadQuery); e.Message != "1:4: parse error: unclosed left parenthesis" {
		t.Errorf("message = %q", e.Message)
	}
}
