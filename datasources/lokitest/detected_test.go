package lokitest_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

// The detected fields API finds JSON and logfmt fields and structured
// metadata in a query's lines, counts their values, and types them.
func TestDetectedFields(t *testing.T) {
	srv, c := newPair(t)
	mustPush(t, srv, map[string]string{"service_name": "payments", "level": "error"},
		lokitest.Entry{Time: at(1), Line: `{"level":"error","msg":"charge failed","order":{"id":"ord-1"},"status":502,"took":"1.5s"}`,
			Metadata: map[string]string{"trace_id": "abc"}},
		lokitest.Entry{Time: at(2), Line: `{"level":"error","msg":"charge failed","order":{"id":"ord-2"},"status":504,"took":"2s"}`})
	mustPush(t, srv, map[string]string{"service_name": "orders", "level": "info"},
		lokitest.Entry{Time: at(3), Line: `level=info msg="order loaded" ok=true size=10KB`})
	ctx := context.Background()

	fs, err := c.DetectedFields(ctx, `{service_name=~".+"}`, t0, at(3600), 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]loki.DetectedField{}
	for _, f := range fs {
		got[f.Label] = f
	}
	want := map[string]struct {
		typ     string
		card    int
		parsers []string
	}{
		"level_extracted": {"string", 2, []string{"json", "logfmt"}}, // level is a stream label
		"msg":             {"string", 2, []string{"json", "logfmt"}},
		"order_id":        {"string", 2, []string{"json"}},
		"status":          {"int", 2, []string{"json"}},
		"took":            {"duration", 2, []string{"json"}},
		"ok":              {"boolean", 1, []string{"logfmt"}},
		"size":            {"bytes", 1, []string{"logfmt"}},
		"trace_id":        {"string", 1, nil}, // structured metadata: no parser
	}
	if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
		t.Fatalf("fields %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	for name, w := range want {
		g := got[name]
		slices.Sort(g.Parsers)
		if g.Type != w.typ || g.Cardinality != w.card || !slices.Equal(g.Parsers, w.parsers) {
			t.Errorf("%s = %+v, want %+v", name, g, w)
		}
	}

	// The query narrows the lines read; values come in the order seen (newest first).
	vs, err := c.DetectedFieldValues(ctx, "order_id", `{service_name="payments"} | json | status >= 500`, t0, at(3600), 0)
	if err != nil || !slices.Equal(vs, []string{"ord-2", "ord-1"}) {
		t.Errorf("values = %v, %v", vs, err)
	}
	if vs, err := c.DetectedFieldValues(ctx, "order_id", `{service_name="payments"}`, t0, at(3600), 1); err != nil || !slices.Equal(vs, []string{"ord-2"}) {
		t.Errorf("with line_limit=1: %v, %v", vs, err)
	}
	if vs, err := c.DetectedFieldValues(ctx, "nope", `{service_name="payments"}`, t0, at(3600), 0); err != nil || len(vs) != 0 {
		t.Errorf("unknown field: %v, %v", vs, err)
	}
	if _, err := c.DetectedFields(ctx, `sum(rate({a="b"}[1m]))`, t0, at(3600), 0); datasources.ErrorKindOf(err) != datasources.ErrorBadQuery {
		t.Errorf("metric query: %v", err)
	}
}

// An older Loki (< 3.1) has no detected fields API: 404, which the client
// reports as not found so that pages can fall back.
func TestDetectedFieldsAbsent(t *testing.T) {
	_, c := newPair(t, lokitest.WithoutDetectedFields())
	_, err := c.DetectedFields(context.Background(), `{a="b"}`, t0, at(3600), 0)
	if datasources.ErrorKindOf(err) != datasources.ErrorNotFound {
		t.Errorf("err = %v (%v), want not found", err, datasources.ErrorKindOf(err))
	}
}

// The answers have the keys of Loki's documented examples, and nothing in
// an envelope.
func TestDetectedFieldsShapeMatchesContract(t *testing.T) {
	srv, _ := newPair(t)
	mustPush(t, srv, map[string]string{"service_name": "a"}, lokitest.Entry{Time: at(1), Line: `level=info status=200 duration=1s`})
	q := url.Values{"query": {`{service_name="a"}`}, "start": {strconv.FormatInt(t0.UnixNano(), 10)}, "end": {strconv.FormatInt(at(3600).UnixNano(), 10)}}
	for _, tt := range []struct{ path, contract string }{
		{"/loki/api/v1/detected_fields", "detected_fields.json"},
		{"/loki/api/v1/detected_field/level/values", "detected_field_values.json"},
	} {
		code, body := get(t, srv.URL+tt.path+"?"+q.Encode())
		if code != 200 {
			t.Fatalf("%s: %d %s", tt.path, code, body)
		}
		ours, theirs := keysOf(t, []byte(body)), keysOf(t, contracttest.Read(t, "loki", "docs-examples", tt.contract))
		if !slices.Equal(ours, theirs) {
			t.Errorf("%s: keys %v, Loki's example has %v", tt.path, ours, theirs)
		}
	}
}

// keysOf lists the keys of a JSON object and of its first list's first
// object, as "fields", "fields[].label", ….
func keysOf(t *testing.T, b []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	var out []string
	for k, v := range m {
		out = append(out, k)
		var list []map[string]any
		if json.Unmarshal(v, &list) == nil && len(list) > 0 {
			for ik := range list[0] {
				out = append(out, k+"[]."+ik)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Label names and values scoped to a selector (query=, Loki ≥ 2.9).
func TestLabelsOfSelector(t *testing.T) {
	srv, c := newPair(t)
	mustPush(t, srv, map[string]string{"service_name": "payments", "level": "error"}, lokitest.Entry{Time: at(1), Line: "x"})
	mustPush(t, srv, map[string]string{"service_name": "orders", "level": "info", "env": "prod"}, lokitest.Entry{Time: at(1), Line: "y"})
	ctx := context.Background()
	if vs, err := c.LabelValuesOf(ctx, "level", `{service_name="payments"}`, t0, at(3600)); err != nil || !slices.Equal(vs, []string{"error"}) {
		t.Errorf("LabelValuesOf = %v, %v", vs, err)
	}
	if ls, err := c.LabelsOf(ctx, `{service_name="payments"}`, t0, at(3600)); err != nil || !slices.Equal(ls, []string{"level", "service_name"}) {
		t.Errorf("LabelsOf = %v, %v", ls, err)
	}
	if ls, err := c.LabelsOf(ctx, "", t0, at(3600)); err != nil || !slices.Equal(ls, []string{"env", "level", "service_name"}) {
		t.Errorf("LabelsOf all = %v, %v", ls, err)
	}
}
