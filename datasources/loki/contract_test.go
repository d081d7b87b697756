package loki

import (
	"context"
	"encoding/json"
	"maps"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
)

// wantLine is what a user sees of one decoded log line.
type wantLine struct {
	ts     int64
	line   string
	labels map[string]string
	sm     map[string]string
	parsed map[string]string
}

func checkLines(t *testing.T, got []datasources.LogLine, want []wantLine) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.TimeNs != w.ts || g.Line != w.line {
			t.Errorf("line %d = (%d, %q), want (%d, %q)", i, g.TimeNs, g.Line, w.ts, w.line)
		}
		if w.labels != nil && !maps.Equal(g.Labels, w.labels) {
			t.Errorf("line %d labels = %v, want %v", i, g.Labels, w.labels)
		}
		if !maps.Equal(g.StructuredMetadata, w.sm) || (w.sm == nil) != (g.StructuredMetadata == nil) {
			t.Errorf("line %d structured metadata = %v, want %v", i, g.StructuredMetadata, w.sm)
		}
		if !maps.Equal(g.Parsed, w.parsed) || (w.parsed == nil) != (g.Parsed == nil) {
			t.Errorf("line %d parsed = %v, want %v", i, g.Parsed, w.parsed)
		}
	}
}

type wantSeries struct {
	labels map[string]string
	points []datasources.Point
}

func checkSeries(t *testing.T, got []datasources.Series, want []wantSeries) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d series, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Labels == nil || !maps.Equal(got[i].Labels, w.labels) {
			t.Errorf("series %d labels = %#v, want %v", i, got[i].Labels, w.labels)
		}
		if len(got[i].Points) != len(w.points) {
			t.Errorf("series %d has %d points, want %d", i, len(got[i].Points), len(w.points))
			continue
		}
		for j, p := range w.points {
			g := got[i].Points[j]
			same := g.V == p.V || (math.IsNaN(g.V) && math.IsNaN(p.V))
			if g.TMs != p.TMs || !same {
				t.Errorf("series %d point %d = %+v, want %+v", i, j, g, p)
			}
		}
	}
}

// statsNumbers is Stats without Raw, so it can be compared.
func statsNumbers(s Stats) [5]int64 {
	return [5]int64{s.BytesProcessed, s.LinesProcessed, s.EntriesReturned, int64(s.ExecTime), int64(s.QueueTime)}
}

func pt(ms int64, v float64) datasources.Point { return datasources.Point{TMs: ms, V: v} }

var (
	moonOne = map[string]string{"code": "one\",", "location": "moon🌙"}
	moonTwo = map[string]string{"code": "\",two", "location": "moon🌙"}
	shop    = map[string]string{"namespace": "shop", "service_name": "checkout"}
)

// grafanaStreams is the content of Grafana's streams fixtures: the
// duplicate at ...587968 is there on purpose and must survive.
var grafanaStreams = []wantLine{
	{1645030247027735040, "log line info 1", moonTwo, nil, nil},
	{1645030246277587968, "log line info 2", moonTwo, nil, nil},
	{1645030246277587968, "log line info 2", moonTwo, nil, nil},
	{1645030245539423744, "log line info 3", moonTwo, nil, nil},
	{1645030244810757120, "log line error 1", moonOne, nil, nil},
	{1645030244091700992, "log line info 4", moonTwo, nil, nil},
}

var grafanaStats = Stats{BytesProcessed: 7772, LinesProcessed: 55, ExecTime: 2216125 * time.Nanosecond}

func TestQueryRangeReplaysRecordedStreams(t *testing.T) {
	tests := []struct {
		file        []string
		categorized bool
		lines       []wantLine
		stats       Stats
	}{
		{[]string{"grafana-fixtures", "query_range_streams_stats.json"}, false, grafanaStreams, grafanaStats},
		{[]string{"grafana-fixtures", "query_range_streams_categorized_empty_meta.json"}, true, grafanaStreams, grafanaStats},
		{[]string{"grafana-fixtures", "query_range_streams_categorized_parsed.json"}, true, []wantLine{
			{1704895296244577000, `{"field2":"two"}`, moonTwo, nil, map[string]string{"field2": "two"}},
			{1704895267503906000, `{"field1":"one"}`, moonTwo, nil, map[string]string{"field1": "one"}},
			{1704895245190222000, `{"field1":"one"}`, moonTwo, nil, map[string]string{"field1": "one"}},
		}, grafanaStats},
		{[]string{"handwritten", "query_range_streams_categorized_sm.json"}, true, []wantLine{
			{1705313100250000000, `level=error msg="payment declined" order_id=8812`, shop,
				map[string]string{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7"},
				map[string]string{"level": "error", "msg": "payment declined", "order_id": "8812"}},
			{1705312920125000000, `level=error msg="card service timeout" order_id=8790`, shop,
				map[string]string{"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "b7ad6b7169203331"},
				map[string]string{"level": "error", "msg": "card service timeout", "order_id": "8790"}},
		}, Stats{EntriesReturned: 2, ExecTime: 1200 * time.Microsecond, QueueTime: 100 * time.Microsecond}},
		{[]string{"handwritten", "query_range_streams_folded_sm.json"}, false, []wantLine{
			{1705313100250000000, `level=error msg="payment declined" order_id=8812`, map[string]string{
				"level": "error", "msg": "payment declined", "namespace": "shop", "order_id": "8812",
				"service_name": "checkout", "span_id": "00f067aa0ba902b7", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}, nil, nil},
			{1705312920125000000, `level=error msg="card service timeout" order_id=8790`, map[string]string{
				"level": "error", "msg": "card service timeout", "namespace": "shop", "order_id": "8790",
				"service_name": "checkout", "span_id": "b7ad6b7169203331", "trace_id": "0af7651916cd43dd8448eb211c80319c"}, nil, nil},
		}, Stats{EntriesReturned: 2, ExecTime: 1200 * time.Microsecond, QueueTime: 100 * time.Microsecond}},
		{[]string{"grafana-fixtures", "query_range_streams_parse_errors.json"}, false, []wantLine{
			{1655448594000000000, `"hello4`, map[string]string{"__error__": "LogfmtParserErr", "place": "moon"}, nil, nil},
			{1655448593000000000, `text=hello3`, map[string]string{"place": "moon", "text": "hello4"}, nil, nil},
			{1655448592000000000, `text=hello2`, map[string]string{"place": "moon", "text": "hello3"}, nil, nil},
			{1655448591000000000, `"hello1`, map[string]string{"__error__": "LogfmtParserErr", "place": "moon"}, nil, nil},
		}, Stats{}},
		{[]string{"real", "query_streams_minimal.json"}, false, []wantLine{
			{1765569953149339232, "Test log message", map[string]string{"job": "test", "source": "curl"}, nil, nil},
		}, Stats{BytesProcessed: 16, LinesProcessed: 1, EntriesReturned: 1, ExecTime: 935 * time.Microsecond, QueueTime: 106 * time.Microsecond}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.file, "/"), func(t *testing.T) {
			c, f := serve(t, 200, contracttest.Read(t, append([]string{"loki"}, tt.file...)...))
			res, err := c.QueryRange(context.Background(), Query{Expr: `{location="moon🌙"}`, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if res.Type != ResultStreams || res.Categorized != tt.categorized {
				t.Errorf("type %q categorized %v, want streams %v", res.Type, res.Categorized, tt.categorized)
			}
			checkLines(t, res.Lines, tt.lines)
			if st := statsNumbers(res.Stats); st != statsNumbers(tt.stats) {
				t.Errorf("stats = %+v, want %+v", st, statsNumbers(tt.stats))
			}
			if statsNumbers(tt.stats) != (statsNumbers(Stats{})) && !json.Valid(res.Stats.Raw) {
				t.Errorf("raw stats %q are not kept", res.Stats.Raw)
			}
			if got := f.last(t).Header.Get(EncodingFlagsHeader); got != FlagCategorizeLabels {
				t.Errorf("%s header = %q", EncodingFlagsHeader, got)
			}
		})
	}
}

// The real Loki 2.x answer of /query to a log query: both lines, with the
// logfmt fields folded into the stream labels, and the 2.9 stats tree.
func TestQueryReplaysRealLoki2Streams(t *testing.T) {
	c, f := serve(t, 200, contracttest.Read(t, "loki", "real", "query_streams_logfmt_loki2.json"))
	at := time.Unix(0, 1695038431700000000)
	res, err := c.Query(context.Background(), `{container_name="grafana"} |= "" | logfmt`, at, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lines) != 2 {
		t.Fatalf("got %d lines", len(res.Lines))
	}
	first := res.Lines[0]
	if first.TimeNs != 1695038431631605691 || first.Labels["file"] != "/etc/grafana/provisioning/dashboards/zookeeper-cluster.json" ||
		first.Labels["level"] != "warn" || !strings.HasPrefix(first.Line, "logger=provisioning.dashboard type=file") {
		t.Errorf("newest line = %+v", first)
	}
	if res.Lines[1].TimeNs != 1695038431626162301 {
		t.Errorf("second line at %d", res.Lines[1].TimeNs)
	}
	want := Stats{BytesProcessed: 6885, LinesProcessed: 29, EntriesReturned: 2, ExecTime: 1489 * time.Microsecond, QueueTime: 62 * time.Microsecond}
	if st := statsNumbers(res.Stats); st != statsNumbers(want) {
		t.Errorf("stats = %+v, want %+v", st, statsNumbers(want))
	}
	q := f.last(t).URL.Query()
	if q.Get("time") != "1695038431700000000" || q.Get("limit") != "2" || f.last(t).URL.Path != "/loki/api/v1/query" {
		t.Errorf("request = %s", f.last(t).URL)
	}
}

func TestQueryReplaysRecordedMetrics(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		file   []string
		typ    string
		series []wantSeries
	}{
		{[]string{"grafana-fixtures", "query_range_matrix.json"}, ResultMatrix, []wantSeries{
			{map[string]string{"level": "error", "location": "moon"}, []datasources.Point{
				pt(1639125366989, 0.4), pt(1639125406989, 0.2), pt(1639125416989, 0.2), pt(1639125466989, 0.6)}},
			{map[string]string{"level": "info", "location": "mars"}, []datasources.Point{
				pt(1639125386989, 0.6), pt(1639125396989, 0.8), pt(1639125406989, 0.8), pt(1639125416989, 0.8), pt(1639125476989, 2.6)}},
		}},
		{[]string{"grafana-fixtures", "query_range_matrix_nan.json"}, ResultMatrix, []wantSeries{
			{map[string]string{}, []datasources.Point{pt(1643014450417, nan), pt(1643014750417, nan)}},
		}},
		// Steps without logs are absent, not zero: 1705313040 has no point.
		{[]string{"handwritten", "query_range_matrix_level_histogram.json"}, ResultMatrix, []wantSeries{
			{map[string]string{"level": "error"}, []datasources.Point{pt(1705312920000, 1), pt(1705313100000, 1)}},
			{map[string]string{"level": "info"}, []datasources.Point{
				pt(1705312860000, 14), pt(1705312920000, 9), pt(1705312980000, 12), pt(1705313100000, 7)}},
		}},
		{[]string{"handwritten", "index_volume_range.json"}, ResultMatrix, []wantSeries{
			{map[string]string{"service_name": "checkout"}, []datasources.Point{pt(1705314599999, 3100000), pt(1705316400000, 3161236)}},
		}},
		{[]string{"grafana-fixtures", "query_vector.json"}, ResultVector, []wantSeries{
			{map[string]string{"level": "error", "location": "moon"}, []datasources.Point{pt(1645029699000, 23)}},
			{map[string]string{"level": "info", "location": "moon"}, []datasources.Point{pt(1645029699000, 47)}},
		}},
		{[]string{"grafana-fixtures", "query_vector_special_values.json"}, ResultVector, []wantSeries{
			{map[string]string{"level": "error", "location": "moon"}, []datasources.Point{pt(1645029699000, math.Inf(1))}},
			{map[string]string{"level": "info", "location": "moon"}, []datasources.Point{pt(1645029699000, math.Inf(-1))}},
			{map[string]string{"level": "debug", "location": "moon"}, []datasources.Point{pt(1645029699000, nan)}},
		}},
		{[]string{"handwritten", "query_vector_grafana_healthcheck.json"}, ResultVector, []wantSeries{
			{map[string]string{}, []datasources.Point{pt(4000000000000, 2)}},
		}},
		{[]string{"handwritten", "index_volume.json"}, ResultVector, []wantSeries{
			{map[string]string{"service_name": "checkout"}, []datasources.Point{pt(1705316400000, 6261236)}},
			{map[string]string{"service_name": "frontend"}, []datasources.Point{pt(1705316400000, 1048576)}},
		}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.file, "/"), func(t *testing.T) {
			c, f := serve(t, 200, contracttest.Read(t, append([]string{"loki"}, tt.file...)...))
			var res *Result
			var err error
			if tt.typ == ResultMatrix {
				res, err = c.QueryRange(context.Background(), Query{Expr: `sum(rate({a="b"}[1m]))`, Step: 90 * time.Second})
				if step := f.last(t).URL.Query().Get("step"); step != "90" {
					t.Errorf("step sent as %q, want 90 (seconds)", step)
				}
			} else {
				res, err = c.Query(context.Background(), `vector(1)+vector(1)`, time.Time{}, 0)
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Type != tt.typ {
				t.Fatalf("type = %q, want %q", res.Type, tt.typ)
			}
			got := res.Series
			if tt.typ == ResultVector {
				got = res.Vector
			}
			checkSeries(t, got, tt.series)
		})
	}
}

func TestWarningsWithoutData(t *testing.T) {
	c, _ := serve(t, 200, contracttest.Read(t, "loki", "grafana-fixtures", "query_warning_only.json"))
	res, err := c.QueryRange(context.Background(), Query{Expr: `{a="b"}`})
	if err != nil {
		t.Fatal(err)
	}
	if res.Type != "" || len(res.Lines) != 0 || len(res.Warnings) != 1 ||
		res.Warnings[0] != "Some logs may have been dropped by Adaptive Logs sampling" {
		t.Errorf("result = %+v", res)
	}
}

func TestLabelsAndSeriesReplayRecorded(t *testing.T) {
	start, end := time.Unix(0, 1705312800000000000), time.Unix(0, 1705316400000000000)
	t.Run("labels", func(t *testing.T) {
		c, f := serve(t, 200, contracttest.Read(t, "loki", "real", "labels.json"))
		got, err := c.Labels(context.Background(), start, end)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"compose_project", "compose_service", "container_name", "filename", "host", "source"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("labels = %v", got)
		}
		r := f.last(t)
		if r.URL.Path != "/loki/api/v1/labels" || r.URL.Query().Get("start") != "1705312800000000000" || r.URL.Query().Get("end") != "1705316400000000000" {
			t.Errorf("request = %s", r.URL)
		}
	})
	t.Run("label values", func(t *testing.T) {
		c, f := serve(t, 200, contracttest.Read(t, "loki", "real", "label_values.json"))
		got, err := c.LabelValues(context.Background(), "container_name", start, end)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ",") != "grafana,wetty" {
			t.Errorf("values = %v", got)
		}
		if p := f.last(t).URL.Path; p != "/loki/api/v1/label/container_name/values" {
			t.Errorf("path = %s", p)
		}
	})
	t.Run("empty labels have no data key", func(t *testing.T) {
		c, _ := serve(t, 200, []byte(`{"status":"success"}`))
		got, err := c.Labels(context.Background(), start, end)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("labels = %#v, %v; want an empty list", got, err)
		}
	})
	t.Run("series", func(t *testing.T) {
		c, f := serve(t, 200, contracttest.Read(t, "loki", "docs-examples", "series.json"))
		got, err := c.Series(context.Background(), []string{`{container_name=~"prometheus.*", component="server"}`, `{app="loki"}`}, start, end)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0]["statefulset_kubernetes_io_pod_name"] != "loki-stack-0" || got[1]["pod_template_hash"] != "696cc9ddff" || len(got[1]) != 12 {
			t.Errorf("series = %v", got)
		}
		if m := f.last(t).URL.Query()["match[]"]; len(m) != 2 || m[1] != `{app="loki"}` {
			t.Errorf("match[] = %v", m)
		}
	})
}
