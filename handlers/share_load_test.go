package handlers

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/snapshot"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
)

// TestShareLoad measures GET /s/{token} for a 50-item investigation with
// wrk (64 connections, 30 s, loopback). It runs only when asked:
//
//	ARIADNE_WRK=1 ARIADNE_WRK_POOL=8 go test -run TestShareLoad -v ./handlers
func TestShareLoad(t *testing.T) {
	if os.Getenv("ARIADNE_WRK") == "" {
		t.Skip("set ARIADNE_WRK=1 to run the wrk load measurement")
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		t.Skip("wrk not installed")
	}
	pool := os.Getenv("ARIADNE_WRK_POOL")
	if pool == "" {
		pool = "8"
	}
	dbURL := storetest.NewDatabase(t) + "&pool_max_conns=" + pool
	p, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	st := store.New(p)
	token := fiftyItems(t, st)

	h := New(Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DB: p, Store: st, DefaultUser: "local"})
	defer h.Close()
	srv := httptest.NewServer(h.Router())
	defer srv.Close()

	w := httptest.NewRecorder()
	h.Router().ServeHTTP(w, httptest.NewRequest("GET", "/s/"+token, nil))
	t.Logf("page: %d, %d bytes (uncompressed)", w.Code, w.Body.Len())

	dur := os.Getenv("ARIADNE_WRK_DURATION")
	if dur == "" {
		dur = "30s"
	}
	out, err := exec.Command(wrk, "-t2", "-c64", "-d"+dur, "--latency", "-H", "Accept-Encoding: gzip", srv.URL+"/s/"+token).CombinedOutput()
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, out)
	}
	t.Logf("pool_max_conns=%s, GOMAXPROCS=%s\n%s", pool, os.Getenv("GOMAXPROCS"), out)
	if !strings.Contains(string(out), "Requests/sec") {
		t.Fatal("no wrk summary")
	}
}

// fiftyItems stores an investigation shaped like a real incident: ten
// each of span pins (40-span traces), graphs (3 series × 240 points), log
// queries (50 lines), log lines and notes. It returns a share token.
func fiftyItems(t testing.TB, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	base := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	inv, err := st.Create(ctx, store.NewInvestigation{Title: "Checkout 502s under load", Author: "local"})
	if err != nil {
		t.Fatal(err)
	}
	lim := snapshot.DefaultLimits
	for i := range 50 {
		p := store.Pin{InvestigationID: inv.ID, Author: "local", IdempotencyKey: fmt.Sprintf("load-%d", i),
			Snapshot: &snapshot.Snapshot{TakenAt: base}, Ref: store.Ref{From: base, To: base.Add(time.Hour)}}
		switch i % 5 {
		case 0:
			tr := &datasources.Trace{ID: traceHex}
			for s := range 40 {
				sp := datasources.Span{SpanID: fmt.Sprintf("%016x", s+1), Name: fmt.Sprintf("GET /api/step/%d", s),
					StartNs: base.UnixNano() + int64(s)*1e6, EndNs: base.UnixNano() + int64(s+5)*1e6,
					Resource: &datasources.Resource{Service: "orders"}}
				if s > 0 {
					sp.ParentSpanID = fmt.Sprintf("%016x", s/3+1)
				}
				if s == 17 {
					sp.Status = datasources.StatusError
					sp.Details = &datasources.SpanDetails{StatusMsg: "payment provider did not answer",
						Events: []datasources.SpanEvent{{Name: "exception", Attributes: []datasources.Attribute{{Key: "exception.message", Value: "timeout after 800ms"}}}}}
				}
				tr.Spans = append(tr.Spans, sp)
			}
			p.Kind, p.Title = store.KindSpan, "payments: POST /charge"
			p.Snapshot.Trace, _ = snapshot.FromTrace(tr, fmt.Sprintf("%016x", 18), lim)
		case 1:
			var series []datasources.Series
			for s := range 3 {
				ser := datasources.Series{Labels: map[string]string{"service": fmt.Sprintf("svc-%d", s), "route": "/api/checkout"}}
				for k := range 240 {
					ser.Points = append(ser.Points, datasources.Point{TMs: base.UnixMilli() + int64(k)*15000, V: float64(k%17) / 10})
				}
				series = append(series, ser)
			}
			p.Kind, p.Title = store.KindGraph, "histogram_quantile(0.9, sum by (le, service) (rate(http_server_request_duration_seconds_bucket[5m])))"
			p.Snapshot.Series, _ = snapshot.FromSeries(series, lim)
		case 2:
			var lines []datasources.LogLine
			for k := range 50 {
				lines = append(lines, datasources.LogLine{TimeNs: base.UnixNano() + int64(k)*1e7, Labels: map[string]string{"service_name": "payments", "level": "error"}, Line: failLine})
			}
			p.Kind, p.Title = store.KindLogQuery, `{service_name="payments"} |= "error"`
			p.Snapshot.Lines, _ = snapshot.FromLines(lines, lim)
		case 3:
			p.Kind, p.Title = store.KindLogLine, "charge failed: payment provider did not answer"
			p.Snapshot.Lines = []snapshot.Line{{TimeNs: base.UnixNano(), Labels: map[string]string{"service_name": "payments", "level": "error"}, Line: failLine}}
		case 4:
			p.Kind, p.Snapshot = store.KindNote, nil
			p.Note = "The provider's **p99 went from 300 ms to 2 s** at 10:00; see [status page](https://status.example/)."
		}
		if _, err := st.Pin(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	token, _, err := st.Share(ctx, inv.ID, "local", 0)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// BenchmarkSharePage renders the 50-item share page in-process, against
// its baseline: reading the same investigation from Postgres (query and
// snapshot JSON decode) without rendering.
func BenchmarkSharePage(b *testing.B) {
	p, err := store.Open(context.Background(), storetest.NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	st := store.New(p)
	token := fiftyItems(b, st)
	h := New(Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DB: p, Store: st, DefaultUser: "local"})
	defer h.Close()
	e := h.Router()
	b.Run("baseline_store_read", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := st.Shared(context.Background(), token); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("page", func(b *testing.B) {
		for b.Loop() {
			w := httptest.NewRecorder()
			e.ServeHTTP(w, httptest.NewRequest("GET", "/s/"+token, nil))
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}
