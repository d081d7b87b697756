package prometheus

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestLabelLookups(t *testing.T) {
	f := newFake(t, map[string]reply{
		"/api/v1/labels":           {file: "labels.json"},
		"/api/v1/label/job/values": {file: "label_values.json"},
		"/api/v1/series":           {file: "series.json"},
	})
	c := f.client(t, datasources.Config{})
	ctx := context.Background()
	start, end := time.Unix(1795650000, 0), time.Unix(1795653600, 0)

	names, err := c.LabelNames(ctx, []string{`{job="checkout"}`}, start, end)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"__name__", "instance", "job", "le"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names = %v, want %v", names, want)
	}
	if req := f.last("/api/v1/labels"); req.form.Get("match[]") != `{job="checkout"}` || req.form.Get("start") != "1795650000" {
		t.Errorf("labels request form = %v", req.form)
	}

	vals, err := c.LabelValues(ctx, "job", nil, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"checkout", "payments"}; !reflect.DeepEqual(vals, want) {
		t.Errorf("values = %v, want %v", vals, want)
	}
	if req := f.last("/api/v1/label/job/values"); req.form.Has("start") || req.form.Has("end") {
		t.Errorf("zero times were sent: %v", req.form)
	}

	series, err := c.Series(ctx, []string{"up", `{job="node"}`}, start, end)
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"__name__": "up", "instance": "127.0.0.1:9090", "job": "prometheus"},
		{"__name__": "up", "instance": "127.0.0.1:9100", "job": "node"},
	}
	if !reflect.DeepEqual(series, want) {
		t.Errorf("series = %v, want %v", series, want)
	}
	if got := f.last("/api/v1/series").form["match[]"]; !reflect.DeepEqual(got, []string{"up", `{job="node"}`}) {
		t.Errorf("match[] = %q", got)
	}
}

func TestSeriesNeedsAMatcher(t *testing.T) {
	f := newFake(t, map[string]reply{"/api/v1/series": {file: "series.json"}})
	_, err := f.client(t, datasources.Config{}).Series(context.Background(), nil, time.Time{}, time.Time{})
	wantError(t, err, datasources.ErrorBadQuery)
}
