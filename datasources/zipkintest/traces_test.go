package zipkintest_test

import (
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/zipkintest"
)

const (
	id64  = "5af7183fb1d4cf5f"
	id128 = "4e441824ec2b6a44" + id64 // same low half as id64
)

func TestTraceByID(t *testing.T) {
	s := server(t)
	ingest(t, s,
		zipkintest.Span{TraceID: id64, ID: "a", Timestamp: us(-time.Minute), LocalEndpoint: ep("web")},
		zipkintest.Span{TraceID: id128, ID: "b", Timestamp: us(-time.Minute), LocalEndpoint: ep("api")},
	)
	cases := []struct {
		name, id   string
		wantStatus int
		wantBody   string // substring
		wantSpans  int
	}{
		{"64-bit", id64, http.StatusOK, `"id":"000000000000000a"`, 1},
		{"64-bit, padded to 128", "0000000000000000" + id64, http.StatusOK, `"traceId":"` + id64 + `"`, 1},
		{"128-bit", id128, http.StatusOK, `"id":"000000000000000b"`, 1},
		{"strict: the low half alone is another trace", "0000000000000001", http.StatusNotFound, "0000000000000001 not found", 0},
		{"short IDs are padded", "a", http.StatusNotFound, "000000000000000a not found", 0},
		{"not hex", "xyz", http.StatusBadRequest, "should be lower-hex encoded", 0},
		{"upper-case", strings.ToUpper(id64), http.StatusBadRequest, "lower-hex", 0},
		{"too long", id128 + "0", http.StatusBadRequest, "traceId.length > 32", 0},
		{"all zeros", "0000", http.StatusBadRequest, "all zeros", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := get(t, s, "/api/v2/trace/"+tc.id)
			if status != tc.wantStatus || !strings.Contains(string(body), tc.wantBody) {
				t.Errorf("%d %s, want %d containing %q", status, body, tc.wantStatus, tc.wantBody)
			}
			if tc.wantSpans > 0 {
				var spans []zipkintest.Span
				getJSON(t, s, "/api/v2/trace/"+tc.id, &spans)
				if len(spans) != tc.wantSpans {
					t.Errorf("%d spans, want %d", len(spans), tc.wantSpans)
				}
			}
		})
	}
}

// TestLenientTraceIDs: with STRICT_TRACE_ID=false a 64-bit ID finds the
// 128-bit trace sharing its low half, and both come back as one trace.
func TestLenientTraceIDs(t *testing.T) {
	for _, lenient := range []bool{false, true} {
		var opts []zipkintest.Option
		want := 1
		if lenient {
			opts, want = append(opts, zipkintest.WithLenientTraceIDs()), 2
		}
		s := server(t, opts...)
		ingest(t, s,
			zipkintest.Span{TraceID: id64, ID: "a", Timestamp: us(-time.Minute), LocalEndpoint: ep("web")},
			zipkintest.Span{TraceID: id128, ID: "b", Timestamp: us(-time.Minute), LocalEndpoint: ep("web")},
		)
		var spans []zipkintest.Span
		getJSON(t, s, "/api/v2/trace/"+id64, &spans)
		if len(spans) != want {
			t.Errorf("lenient=%v: %d spans for the 64-bit ID, want %d", lenient, len(spans), want)
		}
		var traces [][]zipkintest.Span
		getJSON(t, s, "/api/v2/traces?serviceName=web", &traces)
		if len(traces) != 3-want {
			t.Errorf("lenient=%v: search found %d traces, want %d", lenient, len(traces), 3-want)
		}
	}
}

// TestRetention judges age by the injected clock and the trace's newest
// span timestamp, never by today's date.
func TestRetention(t *testing.T) {
	clk := newClock()
	s := zipkintest.NewTestServer(t, zipkintest.WithClock(clk.Now), zipkintest.WithRetention(time.Hour))
	ingest(t, s,
		// Started 90 minutes ago, but its last span is 30 minutes old: kept.
		zipkintest.Span{TraceID: "1", ID: "1", Timestamp: us(-90 * time.Minute), LocalEndpoint: ep("web")},
		zipkintest.Span{TraceID: "1", ID: "2", ParentID: "1", Timestamp: us(-30 * time.Minute), LocalEndpoint: ep("web")},
		// Two hours old: dropped on arrival.
		zipkintest.Span{TraceID: "2", ID: "1", Timestamp: us(-2 * time.Hour), LocalEndpoint: ep("web")},
		// No timestamp: dated by arrival, now.
		zipkintest.Span{TraceID: "3", ID: "1", LocalEndpoint: ep("web")},
	)
	present := func(id string) bool { return len(s.Trace(id)) > 0 }
	if !present("1") || present("2") || !present("3") {
		t.Fatalf("at now: present 1=%v 2=%v 3=%v, want true false true", present("1"), present("2"), present("3"))
	}
	clk.Advance(31 * time.Minute)
	if present("1") || !present("3") {
		t.Errorf("31 minutes later: present 1=%v 3=%v, want false true", present("1"), present("3"))
	}
	clk.Advance(30 * time.Minute)
	if present("3") || s.Len() != 0 {
		t.Errorf("an hour after arrival: trace 3 present=%v, %d spans left, want none", present("3"), s.Len())
	}
	var services []string
	getJSON(t, s, "/api/v2/services", &services)
	if len(services) != 0 {
		t.Errorf("services after expiry = %v, want none", services)
	}
}

// TestMaxSpans evicts the traces with the oldest timestamps first.
func TestMaxSpans(t *testing.T) {
	s := server(t, zipkintest.WithMaxSpans(3))
	for i, age := range []time.Duration{3, 1, 2} {
		ingest(t, s,
			zipkintest.Span{TraceID: itoa(int64(i + 1)), ID: "1", Timestamp: us(-age * time.Minute)},
			zipkintest.Span{TraceID: itoa(int64(i + 1)), ID: "2", Timestamp: us(-age * time.Minute)},
		)
	}
	if len(s.Trace("1")) != 0 || len(s.Trace("3")) != 0 || len(s.Trace("2")) != 2 {
		t.Errorf("kept 1:%d 2:%d 3:%d spans, want only trace 2 (the newest)", len(s.Trace("1")), len(s.Trace("2")), len(s.Trace("3")))
	}
}

func TestHealth(t *testing.T) {
	s := server(t)
	status, body := get(t, s, "/health")
	if status != http.StatusOK || !strings.Contains(string(body), `"status":"UP"`) {
		t.Errorf("health: %d %s", status, body)
	}
	s.SetDown("Cassandra is unreachable")
	status, body = get(t, s, "/health")
	if status != http.StatusServiceUnavailable || !strings.Contains(string(body), `"status":"DOWN"`) ||
		!strings.Contains(string(body), "Cassandra is unreachable") {
		t.Errorf("health when down: %d %s", status, body)
	}
}

// TestConcurrentUse is for the race detector: pushes, searches and lookups
// at once.
func TestConcurrentUse(t *testing.T) {
	s := server(t)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				spans := zipkintest.GenerateTrace(5, int64(w*100+i), epoch.Add(-time.Minute))
				if err := s.Ingest(spans...); err != nil {
					t.Error(err)
					return
				}
			}
		})
		wg.Go(func() {
			for range 50 {
				var traces [][]zipkintest.Span
				getJSON(t, s, "/api/v2/traces?serviceName=frontend&limit=5", &traces)
				get(t, s, "/api/v2/dependencies?endTs="+itoa(epoch.UnixMilli()))
			}
		})
	}
	wg.Wait()
	if s.Len() != 4*50*5 {
		t.Errorf("%d spans stored, want %d", s.Len(), 4*50*5)
	}
}

func TestGenerateTrace(t *testing.T) {
	a := zipkintest.GenerateTrace(500, 7, epoch)
	b := zipkintest.GenerateTrace(500, 7, epoch)
	if len(a) != 500 || !reflect.DeepEqual(a, b) {
		t.Fatalf("%d spans; same seed, same trace: %v", len(a), reflect.DeepEqual(a, b))
	}
	s := server(t)
	ingest(t, s, a...) // every generated span is valid
	shared := 0
	for _, sp := range a {
		if sp.Shared {
			shared++
		}
		if sp.Timestamp < us(0) {
			t.Fatalf("span %s starts before the trace", sp.ID)
		}
	}
	if shared == 0 {
		t.Error("no shared RPC halves generated")
	}
}
