package prometheus

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	promclient "github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/promrun"
)

// The exemplars the target records before Prometheus first scrapes it, one
// per bucket: what the graph must find again to link metrics to traces.
var seededExemplars = []struct {
	le, traceID string
	value       float64
}{
	{"0.1", "4bf92f3577b34da6a3ce929d0e0e4736", 0.05},
	{"0.25", "0af7651916cd43dd8448eb211c80319c", 0.2},
	// OpenMetrics writes whole bucket bounds as "1.0", and Prometheus keeps
	// that spelling in the le label.
	{"1.0", "5b8efff798038103d269b633813fc60c", 0.7},
}

// exemplarTarget serves a histogram in OpenMetrics (the only format that
// carries exemplars) and keeps observing 0.3s, so the rate is non-zero and
// the 0.9 quantile is known: all new observations fall in (0.25, 0.5], so
// histogram_quantile interpolates 0.25 + 0.9*(0.5-0.25) = 0.475.
func exemplarTarget(t *testing.T) string {
	t.Helper()
	reg := promclient.NewRegistry()
	h := promclient.NewHistogram(promclient.HistogramOpts{
		Name:    "demo_request_duration_seconds",
		Help:    "Request latency of the integration-test target.",
		Buckets: []float64{0.1, 0.25, 0.5, 1},
	})
	reg.MustRegister(h)
	for _, e := range seededExemplars {
		h.(promclient.ExemplarObserver).ObserveWithExemplar(e.value, promclient.Labels{"trace_id": e.traceID})
	}
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}))
	t.Cleanup(srv.Close)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				h.Observe(0.3)
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done })
	u, _ := url.Parse(srv.URL)
	return u.Host
}

// eventually retries check every 250ms for 30s; check returns why it is
// not yet satisfied, or "" when it is.
func eventually(t *testing.T, what string, check func() string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		why := check()
		if why == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still failing after 30s: %s", what, why)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func TestAgainstRealPrometheus(t *testing.T) {
	target := exemplarTarget(t)
	// Both servers start before either is waited on: each takes ~5s to
	// first scrape (Prometheus applies new targets on a 5s tick).
	withStorage := promrun.StartTest(t, target)
	withoutStorage := promrun.StartTestOptions(t, promrun.Options{Targets: []string{target}, DisableExemplarStorage: true})
	ctx := context.Background()
	client := func(p *promrun.Prometheus) *Client {
		c, err := New(datasources.Config{URL: p.URL, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c, cNo := client(withStorage), client(withoutStorage)

	t.Run("ready", func(t *testing.T) {
		if err := c.Ready(ctx); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("exemplars carry the seeded trace IDs", func(t *testing.T) {
		type ex struct {
			le, traceID string
			value       float64
		}
		var want []ex
		for _, e := range seededExemplars {
			want = append(want, ex{e.le, e.traceID, e.value})
		}
		var got []ex
		eventually(t, "exemplars", func() string {
			res, err := c.Exemplars(ctx, "demo_request_duration_seconds_bucket", time.Now().Add(-5*time.Minute), time.Now().Add(time.Minute))
			if err != nil {
				return err.Error()
			}
			got = got[:0]
			for _, e := range res {
				id, _ := TraceID(e)
				got = append(got, ex{e.SeriesLabels["le"], id, e.Value})
			}
			sort.Slice(got, func(i, j int) bool { return got[i].value < got[j].value })
			if len(got) < len(want) {
				return fmt.Sprintf("%d of %d exemplars so far", len(got), len(want))
			}
			return ""
		})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("exemplars = %v, want %v", got, want)
		}
	})

	t.Run("p90 over a range", func(t *testing.T) {
		const q = `histogram_quantile(0.9, sum by (le) (rate(demo_request_duration_seconds_bucket[1m])))`
		var res *Result
		eventually(t, "quantile series", func() string {
			var err error
			res, err = c.QueryRange(ctx, q, time.Now().Add(-time.Minute), time.Now(), time.Second)
			if err != nil {
				return err.Error()
			}
			if len(res.Series) != 1 || finite(res.Series[0].Points) == 0 {
				return "no finite quantile yet"
			}
			return ""
		})
		s := res.Series[0]
		if len(s.Labels) != 0 {
			t.Errorf("labels = %v, want none after sum by (le) and histogram_quantile", s.Labels)
		}
		for _, p := range s.Points {
			if !math.IsNaN(p.V) && math.Abs(p.V-0.475) > 1e-9 {
				t.Errorf("p90 at %d = %v, want 0.475", p.TMs, p.V)
			}
		}
	})

	t.Run("bucket label values", func(t *testing.T) {
		vals, err := c.LabelValues(ctx, "le", []string{"demo_request_duration_seconds_bucket"}, time.Now().Add(-time.Hour), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"+Inf", "0.1", "0.25", "0.5", "1.0"}; !reflect.DeepEqual(vals, want) {
			t.Errorf("le values = %v, want %v", vals, want)
		}
	})

	t.Run("parse error in Prometheus's words", func(t *testing.T) {
		_, err := c.QueryRange(ctx, "sum(rate(demo_request_duration_seconds_bucket[1m])", time.Now().Add(-time.Minute), time.Now(), time.Second)
		e := wantError(t, err, datasources.ErrorBadQuery)
		if !strings.Contains(e.Message, "parse error: unclosed left parenthesis") || e.Status != 400 {
			t.Errorf("error = %+v, want a 400 carrying Prometheus's parse error", e)
		}
	})

	t.Run("without exemplar storage", func(t *testing.T) {
		// Wait for the histogram itself, so "no exemplars" cannot mean
		// "not scraped yet".
		eventually(t, "histogram scraped", func() string {
			res, err := cNo.Query(ctx, "demo_request_duration_seconds_count", time.Time{})
			if err != nil {
				return err.Error()
			}
			if len(res.Series) == 0 {
				return "not scraped yet"
			}
			return ""
		})
		res, err := cNo.Exemplars(ctx, "demo_request_duration_seconds_bucket", time.Now().Add(-5*time.Minute), time.Now().Add(time.Minute))
		if !errors.Is(err, ErrExemplarsUnavailable) || len(res) != 0 {
			t.Fatalf("Exemplars = %v, %v; want none and ErrExemplarsUnavailable", res, err)
		}
		if on, err := c.ExemplarStorageEnabled(ctx); err != nil || !on {
			t.Errorf("ExemplarStorageEnabled on the other server = %v, %v; want true", on, err)
		}
	})
}

func finite(pts []datasources.Point) int {
	n := 0
	for _, p := range pts {
		if !math.IsNaN(p.V) && !math.IsInf(p.V, 0) {
			n++
		}
	}
	return n
}
