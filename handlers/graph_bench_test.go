package handlers

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/views"
)

// graphBenchData is 50 series × 1,000 points (a p99 with a spike) and
// 1,000 exemplars, as Prometheus sends them.
func graphBenchData() (rangeJSON, exemplarJSON []byte, start time.Time) {
	const nSeries, nPoints, nEx = 50, 1000, 1000
	start = time.Unix(1795659000, 0).UTC()
	var sb strings.Builder
	sb.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[`)
	for s := 0; s < nSeries; s++ {
		if s > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"metric":{"service":"svc-%d","route":"/api/r%d"},"values":[`, s, s%7)
		for p := 0; p < nPoints; p++ {
			if p > 0 {
				sb.WriteByte(',')
			}
			v := 0.1 + 0.02*math.Sin(float64(p+s)/7)
			if p >= 400 && p < 460 {
				v = 2.2 + 0.1*math.Sin(float64(p))
			}
			fmt.Fprintf(&sb, `[%d,"%g"]`, start.Unix()+int64(p), v)
		}
		sb.WriteString(`]}`)
	}
	sb.WriteString(`]}}`)
	rangeJSON = []byte(sb.String())

	sb.Reset()
	sb.WriteString(`{"status":"success","data":[`)
	for s := 0; s < nSeries; s++ {
		if s > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"seriesLabels":{"__name__":"http_server_request_duration_seconds_bucket","service":"svc-%d","route":"/api/r%d","le":"2.5"},"exemplars":[`, s, s%7)
		for e := 0; e < nEx/nSeries; e++ {
			if e > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, `{"labels":{"trace_id":"%032x"},"value":"%g","timestamp":%d.5}`, s*1000+e+1, 0.05+float64(e)/10, start.Unix()+int64(e*50))
		}
		sb.WriteString(`]}`)
	}
	sb.WriteString(`]}`)
	return rangeJSON, []byte(sb.String()), start
}

// BenchmarkGraph measures laying out and rendering one panel of 50 series ×
// 1,000 points + 1,000 exemplars to SVG, against decoding Prometheus's
// answers for the same data (query_range and query_exemplars through our
// client, over loopback) in the same run. Target: render/decode < 1.
func BenchmarkGraph(b *testing.B) {
	rangeJSON, exJSON, start := graphBenchData()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "query_exemplars") {
			w.Write(exJSON)
			return
		}
		w.Write(rangeJSON)
	}))
	defer srv.Close()
	c, err := prometheus.New(datasources.Config{URL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	end := start.Add(999 * time.Second)
	load := func() (*prometheus.Result, []datasources.Exemplar) {
		res, err := c.QueryRange(context.Background(), "q", start, end, time.Second)
		if err != nil {
			b.Fatal(err)
		}
		ex, err := c.Exemplars(context.Background(), "q", start, end)
		if err != nil {
			b.Fatal(err)
		}
		return res, ex
	}
	res, ex := load()
	if len(res.Series) != 50 || len(res.Series[0].Points) != 1000 || len(ex) != 1000 {
		b.Fatalf("bench data: %d series, %d exemplars", len(res.Series), len(ex))
	}
	render := func(w io.Writer) {
		chart := chart.BuildChart(chart.ChartInput{Series: res.Series, Exemplars: ex, From: start, To: end,
			Step: time.Second, Unit: chart.UnitSeconds})
		body := views.GraphBody{Chart: chart, Unit: "seconds", Label: "bench"}
		for _, s := range chart.Series {
			body.Legend = append(body.Legend, views.LegendEntry{Series: s, IsolateURL: "/graph?only=" + s.ID})
		}
		if err := views.GraphPanelBody(body).Render(context.Background(), w); err != nil {
			b.Fatal(err)
		}
	}
	var size countWriter
	render(&size)
	if !strings.Contains(size.first, "<svg") {
		b.Fatal("no SVG rendered")
	}

	// The baseline, measured once per run of this benchmark.
	decodeNs, decodeAllocs := measure(load)
	b.ReportAllocs()
	b.ResetTimer()
	t0 := time.Now()
	for i := 0; i < b.N; i++ {
		render(io.Discard)
	}
	renderNs := float64(time.Since(t0).Nanoseconds()) / float64(b.N)
	b.StopTimer()
	b.ReportMetric(float64(size.n), "svg-bytes")
	b.ReportMetric(decodeNs, "decode-ns/op")
	b.ReportMetric(decodeAllocs, "decode-allocs/op")
	b.ReportMetric(renderNs/decodeNs, "render/decode")
}

// measure runs f for at least half a second and returns its time and
// allocations per call.
func measure[T, U any](f func() (T, U)) (nsPerOp, allocsPerOp float64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n, t0 := 0, time.Now()
	for ; n < 3 || time.Since(t0) < 500*time.Millisecond; n++ {
		f()
	}
	elapsed := time.Since(t0)
	runtime.ReadMemStats(&after)
	return float64(elapsed.Nanoseconds()) / float64(n), float64(after.Mallocs-before.Mallocs) / float64(n)
}

type countWriter struct {
	n     int
	first string
}

func (w *countWriter) Write(p []byte) (int, error) {
	if w.first == "" {
		w.first = string(p[:min(len(p), 4096)])
	}
	w.n += len(p)
	return len(p), nil
}
