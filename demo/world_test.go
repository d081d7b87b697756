package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/jaeger"
	"github.com/ariadne-dev/ariadne/datasources/jaegerrun"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/prometheus"
	"github.com/ariadne-dev/ariadne/datasources/promrun"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
)

type worldClients struct {
	prom  *prometheus.Client
	loki  *loki.Client
	tempo *tempo.Client
}

// startWorld runs a demo world for a test, without Postgres (the
// correlation checks do not need it; TestStartPostgres covers it).
func startWorld(t *testing.T, opt Options) (*World, worldClients) {
	t.Helper()
	promrun.RequireBinary(t)
	opt.DatabaseURL = "postgres://unused"
	opt.DataDir = t.TempDir()
	opt.ScrapeInterval = time.Second
	w, err := Start(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	var c worldClients
	c.prom, _ = prometheus.New(datasources.Config{URL: w.PrometheusURL, Timeout: 5 * time.Second})
	c.loki, _ = loki.New(datasources.Config{URL: w.LokiURL, Timeout: 5 * time.Second})
	c.tempo, _ = tempo.New(datasources.Config{URL: w.TempoURL, Timeout: 5 * time.Second})
	return w, c
}

// eventually retries f until it returns nil or the deadline passes.
func eventually(t *testing.T, limit time.Duration, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s: %v", what, limit, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// TestWorldCorrelates is the demo's promise: an exemplar in Prometheus
// resolves to a trace across at least four services with correct parent
// links over HTTP hops, and Loki holds that trace's lines from at least
// three services.
func TestWorldCorrelates(t *testing.T) {
	w, c := startWorld(t, Options{Rate: 20, SampleRatio: 1, Spikes: Spikes{Every: time.Minute, Length: 30 * time.Second, AtStart: true}})
	ctx := context.Background()
	start := time.Now()

	var tr *datasources.Trace
	eventually(t, 60*time.Second, "an exemplar of a checkout whose trace spans four services", func() error {
		ex, err := c.prom.Exemplars(ctx, `http_server_request_duration_seconds_bucket{service="gateway", route="/api/checkout"}`, start.Add(-time.Minute), time.Now())
		if err != nil {
			return err
		}
		if len(ex) == 0 {
			return fmt.Errorf("no exemplars yet")
		}
		var last error
		for i := len(ex) - 1; i >= 0 && i >= len(ex)-5; i-- {
			id, ok := prometheus.TraceID(ex[i])
			if !ok {
				return fmt.Errorf("exemplar without a valid trace_id: %v", ex[i].Labels)
			}
			got, err := c.tempo.Trace(ctx, id, time.Time{}, time.Time{})
			if err != nil {
				last = err
				continue
			}
			// Whole: the gateway's root span ends last, so it is exported
			// last, possibly after another service's exemplar is scraped.
			if len(services(got)) >= 4 && hasRoot(got) {
				tr = got
				return nil
			}
			last = fmt.Errorf("trace %s has services %v (root received: %v)", id, services(got), hasRoot(got))
		}
		return last
	})
	t.Logf("exemplar → trace %s: %d spans, services %v, after %s", tr.ID, len(tr.Spans), services(tr), time.Since(start).Round(time.Millisecond))

	checkParentLinks(t, tr)

	eventually(t, 30*time.Second, "log lines of the trace from three services", func() error {
		res, err := c.loki.QueryRange(ctx, loki.Query{Expr: `{service_name=~".+"} |= "` + tr.ID + `"`, Start: start.Add(-time.Minute), End: time.Now().Add(time.Second), Limit: 500})
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, l := range res.Lines {
			if !strings.Contains(l.Line, `"trace_id":"`+tr.ID+`"`) {
				return fmt.Errorf("line without the trace ID: %s", l.Line)
			}
			seen[l.Labels["service_name"]] = true
		}
		if len(seen) < 3 {
			return fmt.Errorf("lines from %v", seen)
		}
		return nil
	})
	if w.Load.Sent.Load() == 0 {
		t.Error("the load generator sent nothing")
	}
}

func services(tr *datasources.Trace) []string {
	seen := map[string]bool{}
	var out []string
	for i := range tr.Spans {
		if s := tr.Spans[i].Service(); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// checkParentLinks: one root (the gateway's server span), every other span's
// parent is in the trace, and each server span of a downstream service has
// a client span of its caller as parent: context crossed HTTP.
func hasRoot(tr *datasources.Trace) bool {
	for i := range tr.Spans {
		if tr.Spans[i].ParentSpanID == "" {
			return true
		}
	}
	return false
}

func checkParentLinks(t *testing.T, tr *datasources.Trace) {
	t.Helper()
	byID := map[string]*datasources.Span{}
	for i := range tr.Spans {
		byID[tr.Spans[i].SpanID] = &tr.Spans[i]
	}
	roots := 0
	hops := 0
	for i := range tr.Spans {
		s := &tr.Spans[i]
		if s.ParentSpanID == "" {
			roots++
			if s.Service() != Gateway || s.Kind != datasources.KindServer {
				t.Errorf("root span %q of %s, want the gateway's server span", s.Name, s.Service())
			}
			continue
		}
		p, ok := byID[s.ParentSpanID]
		if !ok {
			t.Errorf("span %q (%s) has parent %s, not in the trace", s.Name, s.Service(), s.ParentSpanID)
			continue
		}
		if s.Kind == datasources.KindServer {
			if p.Kind != datasources.KindClient || p.Service() == s.Service() {
				t.Errorf("server span %q of %s has parent %q (%s, %s), want a client span of the caller", s.Name, s.Service(), p.Name, p.Service(), p.Kind)
			}
			hops++
		}
	}
	if roots != 1 {
		t.Errorf("%d roots, want 1", roots)
	}
	if hops < 3 {
		t.Errorf("%d HTTP hops with server spans, want at least 3", hops)
	}
}

// TestFailuresAreErrorSpansAndErrorLogs: a failing checkout leaves an error
// span with an exception event, and an error log line with its trace ID.
func TestFailuresAreErrorSpansAndErrorLogs(t *testing.T) {
	_, c := startWorld(t, Options{Rate: 25, SampleRatio: 1, Spikes: Spikes{Every: time.Minute, Length: time.Minute, AtStart: true}})
	ctx := context.Background()
	start := time.Now()
	var id string
	eventually(t, 60*time.Second, "an error trace of payments", func() error {
		res, err := c.tempo.Search(ctx, `{ resource.service.name = "payments" && status = error }`, start.Add(-time.Minute), time.Now().Add(time.Minute), 5, 3)
		if err != nil {
			return err
		}
		if len(res.Traces) == 0 {
			return fmt.Errorf("no error trace yet")
		}
		id = res.Traces[0].TraceID
		return nil
	})
	var tr *datasources.Trace
	eventually(t, 10*time.Second, "the whole error trace", func() error {
		var err error
		tr, err = c.tempo.Trace(ctx, id, time.Time{}, time.Time{})
		return err
	})
	var exception *datasources.SpanEvent
	for i := range tr.Spans {
		s := &tr.Spans[i]
		if s.Service() == Payments && s.Status == datasources.StatusError {
			for j := range s.Events() {
				if s.Events()[j].Name == "exception" {
					exception = &s.Events()[j]
				}
			}
		}
	}
	if exception == nil {
		t.Fatalf("no payments error span with an exception event in trace %s", id)
	}
	if msg, _ := datasources.Attr(exception.Attributes, "exception.message"); !strings.Contains(msg, "payment provider") {
		t.Errorf("exception.message = %q", msg)
	}
	if st, _ := datasources.Attr(exception.Attributes, "exception.stacktrace"); !strings.Contains(st, "goroutine") && !strings.Contains(st, ".go:") {
		t.Errorf("exception without a stack trace: %q", st)
	}
	eventually(t, 20*time.Second, "an error log line with the same trace ID", func() error {
		res, err := c.loki.QueryRange(ctx, loki.Query{Expr: `{service_name="payments", level="error"} |= "` + id + `"`, Start: start.Add(-time.Minute), End: time.Now().Add(time.Second), Limit: 10})
		if err != nil {
			return err
		}
		if len(res.Lines) == 0 {
			return fmt.Errorf("no error line for %s", id)
		}
		return nil
	})
}

// TestSampling: at ratio 0.1 about a tenth of requests are traced, and
// every exemplar still points at a stored trace.
func TestSampling(t *testing.T) {
	w, c := startWorld(t, Options{Rate: 40, SampleRatio: 0.1})
	ctx := context.Background()
	start := time.Now()
	time.Sleep(8 * time.Second)
	sent := w.Load.Sent.Load()
	time.Sleep(2 * time.Second) // let the last batches export

	res, err := c.tempo.Search(ctx, `{ resource.service.name = "gateway" && kind = server }`, start.Add(-time.Minute), time.Now().Add(time.Minute), 10000, 1)
	if err != nil {
		t.Fatal(err)
	}
	ratio := float64(len(res.Traces)) / float64(sent)
	t.Logf("sent %d requests, %d traces stored: ratio %.3f", sent, len(res.Traces), ratio)
	if ratio < 0.03 || ratio > 0.25 {
		t.Errorf("stored ratio %.3f, want about 0.1", ratio)
	}

	var ex []datasources.Exemplar
	eventually(t, 30*time.Second, "exemplars", func() error {
		ex, err = c.prom.Exemplars(ctx, `http_server_request_duration_seconds_bucket`, start.Add(-time.Minute), time.Now())
		if err == nil && len(ex) == 0 {
			err = fmt.Errorf("none yet")
		}
		return err
	})
	for _, e := range ex {
		id, ok := prometheus.TraceID(e)
		if !ok {
			t.Fatalf("exemplar without trace_id: %v", e.Labels)
		}
		// Prometheus may scrape a request's exemplar before the SDK's
		// batcher has exported its spans: the newest are given a few
		// seconds.
		eventually(t, 10*time.Second, "exemplar "+id+" ("+e.SeriesLabels["service"]+") resolves", func() error {
			_, err := c.tempo.Trace(ctx, id, time.Time{}, time.Time{})
			return err
		})
	}
	t.Logf("%d exemplars, all resolved", len(ex))
}

// TestStartFailureStopsWhatStarted: a bad option after a test server has
// started is an error, not a panic, and that server stops listening.
func TestStartFailureStopsWhatStarted(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	w, err := Start(context.Background(), Options{TempoURL: "http://127.0.0.1:1", DatabaseURL: "postgres://unused", DataDir: t.TempDir(), LokiAddr: addr})
	if err == nil || w != nil || !strings.Contains(err.Error(), "TEMPO_OTLP_URL") {
		t.Fatalf("Start = %v, %v", w, err)
	}
	if l, err := net.Listen("tcp", addr); err != nil {
		t.Errorf("the Loki test server still holds %s: %v", addr, err)
	} else {
		l.Close()
	}
}

// With traces going to both backends, a trace Tempo holds is in the real
// Jaeger too, whole, with the same parent links.
func TestWorldSendsTracesToJaeger(t *testing.T) {
	jaegerrun.RequireBinary(t)
	w, c := startWorld(t, Options{Rate: 10, SampleRatio: 1, Traces: "both"})
	if w.JaegerURL == "" || w.TempoURL == "" {
		t.Fatalf("both backends: Tempo %q, Jaeger %q", w.TempoURL, w.JaegerURL)
	}
	jc, _ := jaeger.New(datasources.Config{URL: w.JaegerURL, Timeout: 5 * time.Second})
	ctx := context.Background()
	var id string
	eventually(t, 60*time.Second, "a checkout trace in Tempo", func() error {
		res, err := c.tempo.Search(ctx, `{ resource.service.name = "gateway" && span.http.route = "/api/checkout" }`, time.Now().Add(-5*time.Minute), time.Now(), 5, 1)
		if err != nil {
			return err
		}
		if len(res.Traces) == 0 {
			return fmt.Errorf("no traces yet")
		}
		id = res.Traces[0].TraceID
		return nil
	})
	eventually(t, 30*time.Second, "the same trace, whole, in Jaeger", func() error {
		fromTempo, err := c.tempo.Trace(ctx, id, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		fromJaeger, err := jc.Trace(ctx, id, time.Time{}, time.Time{})
		if err != nil {
			return err
		}
		if len(fromJaeger.Spans) != len(fromTempo.Spans) || len(services(fromJaeger)) < 4 {
			return fmt.Errorf("Jaeger has %d spans of %v, Tempo %d", len(fromJaeger.Spans), services(fromJaeger), len(fromTempo.Spans))
		}
		checkParentLinks(t, fromJaeger)
		return nil
	})
}

// With Jaeger, the payment provider is a Zipkin-instrumented service: a
// checkout's trace stays whole across B3 and W3C propagation, and its
// reconciler job starts traces with 64-bit IDs whose logs carry the
// 16-character form in payment-provider and the padded one in payments.
func TestWorldMixesZipkinAndOpenTelemetry(t *testing.T) {
	jaegerrun.RequireBinary(t)
	w, c := startWorld(t, Options{Rate: 10, SampleRatio: 1, Traces: "jaeger", ReconcileEvery: time.Second})
	jc, _ := jaeger.New(datasources.Config{URL: w.JaegerURL, Timeout: 5 * time.Second})
	ctx := context.Background()
	window := func() datasources.TraceQuery {
		return datasources.TraceQuery{Start: time.Now().Add(-5 * time.Minute), End: time.Now().Add(time.Minute), Limit: 20}
	}

	eventually(t, 60*time.Second, "a checkout trace through the Zipkin-instrumented provider", func() error {
		q := window()
		q.Service, q.Operation = "payment-provider", "post /v1/charges" // Zipkin lower-cases span names
		res, err := jc.Search(ctx, q)
		if err != nil {
			return err
		}
		for _, s := range res.Traces {
			if s.RootService == "gateway" && len(s.Services) >= 5 {
				return nil
			}
		}
		return fmt.Errorf("no checkout trace with the provider inside it: %+v", res.Traces)
	})

	var id string
	eventually(t, 30*time.Second, "a reconciler trace with a 64-bit ID", func() error {
		q := window()
		q.Service, q.Operation = "payment-provider", "reconcile settlements"
		res, err := jc.Search(ctx, q)
		if err != nil {
			return err
		}
		for _, s := range res.Traces {
			if strings.HasPrefix(s.TraceID, "0000000000000000") && strings.Join(s.Services, ",") == "payment-provider,payments" {
				id = s.TraceID
				return nil
			}
		}
		return fmt.Errorf("reconciler traces: %+v", res.Traces)
	})
	eventually(t, 30*time.Second, "the reconciler's logs in both forms of the ID", func() error {
		res, err := c.loki.QueryRange(ctx, loki.Query{Expr: `{service_name=~"payments|payment-provider"} |= "` + id[16:] + `"`,
			Start: time.Now().Add(-5 * time.Minute), End: time.Now().Add(time.Second), Limit: 100})
		if err != nil {
			return err
		}
		form := map[string]string{}
		for _, l := range res.Lines {
			var line struct {
				TraceID string `json:"trace_id"`
			}
			json.Unmarshal([]byte(l.Line), &line)
			form[l.Labels["service_name"]] = line.TraceID
		}
		if form["payment-provider"] != id[16:] || form["payments"] != id {
			return fmt.Errorf("trace IDs logged: %v, want %s (16) in payment-provider and %s in payments", form, id[16:], id)
		}
		return nil
	})
}
