package tempotest_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
)

// Pushing the OTLP/JSON sample (hex IDs, integer enums) must give back
// exactly the hand-written Tempo answers (base64 IDs, enum names).
func TestIngestJSONServesTempoEncoding(t *testing.T) {
	srv, _ := withCheckout(t)
	cases := []struct {
		path, file, key string
	}{
		{"/api/v2/traces/" + checkoutID, "trace-v2-checkout.json", "trace"},
		{"/api/traces/4BF92F3577B34DA6A3CE929D0E0E47", "trace-v1-checkout.json", "batches"},
	}
	for _, tc := range cases {
		status, ct, body := get(t, srv.URL+tc.path, "")
		if status != 200 || ct != "application/json" {
			t.Fatalf("%s: %d %s", tc.path, status, ct)
		}
		want := contracttest.Read(t, "tempo", "handwritten", tc.file)
		sameJSON(t, tc.file, field(t, body, tc.key), field(t, want, tc.key))
	}
}

func TestClientReadsIngestedCheckoutLikeTheContract(t *testing.T) {
	_, c := withCheckout(t)
	want, err := tempo.DecodeTraceV2(contracttest.Read(t, "tempo", "handwritten", "trace-v2-checkout.json"), "application/json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != checkoutID || len(got.Spans) != 4 || got.Partial {
		t.Fatalf("trace %s with %d spans, partial %v", got.ID, len(got.Spans), got.Partial)
	}
	if !reflect.DeepEqual(got.Spans, want.Spans) {
		t.Errorf("spans served by tempotest differ from the contract:\n got %+v\nwant %+v", got.Spans, want.Spans)
	}
	if s := got.Spans[2]; s.Service() != "cart" || s.ParentSpanID != "53995c3f42cd8ad8" || s.Events()[0].Name != "exception" {
		t.Errorf("cart span = %+v", s)
	}
}

func TestTraceByIDAnswers(t *testing.T) {
	srv, _ := withCheckout(t)
	const unknown = "/api/v2/traces/0123456789abcdef"
	cases := []struct {
		name, path, accept string
		status             int
		ct, body           string
	}{
		{"v1 unknown is 404 with empty body", "/api/traces/0123456789abcdef", "", 404, "", ""},
		{"v2 unknown is 200 with an empty trace", unknown, "", 200, "application/json", `{"trace":{},"metrics":{}}`},
		{"v2 unknown in protobuf is an empty message", unknown, "application/protobuf", 200, "application/protobuf", ""},
		{"not hex", "/api/traces/xyz", "", 400, "", "trace IDs can only contain hex characters: invalid character 'x' at position 1"},
		{"too long", "/api/v2/traces/" + strings.Repeat("a", 33), "", 400, "", "trace IDs can't be larger than 128 bits"},
		{"outside start/end", "/api/traces/" + checkoutID + "?start=1700000000&end=1700000100", "", 404, "", ""},
		{"start after end", "/api/traces/" + checkoutID + "?start=20&end=10", "", 400, "",
			"http parameter start must be before end. received start=20 end=10"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, ct, body := get(t, srv.URL+tc.path, tc.accept)
			if status != tc.status || (tc.ct != "" && ct != tc.ct) || string(body) != tc.body {
				t.Errorf("got %d %q %q, want %d %q %q", status, ct, body, tc.status, tc.ct, tc.body)
			}
		})
	}
	// The window that holds the trace still finds it.
	if status, _, _ := get(t, srv.URL+"/api/traces/"+checkoutID+"?start=1760000000&end=1760000001", ""); status != 200 {
		t.Errorf("trace inside start/end: status %d", status)
	}
}

func TestProtobufAnswersDecode(t *testing.T) {
	srv, _ := withCheckout(t)
	for _, path := range []string{"/api/v2/traces/", "/api/traces/"} {
		status, ct, body := get(t, srv.URL+path+checkoutID, "application/protobuf")
		if status != 200 || ct != "application/protobuf" {
			t.Fatalf("%s: %d %s", path, status, ct)
		}
		decode := tempo.DecodeTraceV2
		if path == "/api/traces/" {
			decode = tempo.DecodeTraceV1
		}
		tr, err := decode(body, ct)
		if err != nil || len(tr.Spans) != 4 || tr.Spans[3].Name != "SELECT cart_items" {
			t.Errorf("%s: %v %+v", path, err, tr)
		}
	}
}

func TestTraceOverSizeLimit(t *testing.T) {
	// The checkout trace is ~1 KB: 600 bytes hold the first two spans only.
	for _, tc := range []struct {
		name string
		opts []tempotest.Option
	}{{"v2 partial", nil}, {"v1 fallback 422", []tempotest.Option{tempotest.WithoutV2()}}} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := withCheckout(t, append(tc.opts, tempotest.WithMaxBytesPerTrace(600))...)
			tr, err := c.Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
			if tc.opts != nil {
				if e, ok := err.(*datasources.Error); !ok || e.Kind != datasources.ErrorTooLarge ||
					e.Message != "trace exceeds max size (max bytes: 600)" {
					t.Errorf("err = %v, want ErrorTooLarge with Tempo's message", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tr.Partial || tr.PartialMessage != "Trace exceeds maximum size of 600 bytes, a partial trace is returned" {
				t.Errorf("partial %v %q", tr.Partial, tr.PartialMessage)
			}
			if n := len(tr.Spans); n == 0 || n >= 4 || tr.Spans[0].SpanID != "00f067aa0ba902b7" {
				t.Errorf("partial trace has %d spans, want the first few of 4", n)
			}
		})
	}
	// The JSON form carries the contract's exact wording at Tempo's default limit.
	srv, _ := withCheckout(t, tempotest.WithMaxBytesPerTrace(600))
	_, _, body := get(t, srv.URL+"/api/v2/traces/"+checkoutID, "")
	if s := string(field(t, body, "status")); s != `"PARTIAL"` {
		t.Errorf("status = %s", s)
	}
	var want struct{ Message string }
	json.Unmarshal(contracttest.Read(t, "tempo", "handwritten", "trace-v2-partial-too-large.json"), &want)
	if got := tempotest.PartialMessage(tempotest.DefaultMaxBytesPerTrace); got != want.Message {
		t.Errorf("default partial message = %q, want %q", got, want.Message)
	}
	if got := string(field(t, body, "message")); got != strconv.Quote(strings.Replace(want.Message, "5000000", "600", 1)) {
		t.Errorf("message = %s", got)
	}
	if status, _, body := get(t, srv.URL+"/api/traces/"+checkoutID, ""); status != 422 || string(body) != "trace exceeds max size (max bytes: 600)" {
		t.Errorf("v1: %d %s", status, body)
	}
}

func TestMultitenancy(t *testing.T) {
	srv := tempotest.NewTestServer(t, tempotest.WithMultitenancy())
	body := contracttest.Read(t, "tempo", "handwritten", "ingest-otlp-http-checkout.json")
	push(t, srv.URL, "team-a", "application/json", body)

	if status, _, b := get(t, srv.URL+"/api/v2/traces/"+checkoutID, ""); status != http.StatusUnauthorized || string(b) != "no org id\n" {
		t.Errorf("no tenant: %d %q, want 401 \"no org id\\n\"", status, b)
	}
	if _, err := client(t, srv.URL, "team-a").Trace(context.Background(), checkoutID, time.Time{}, time.Time{}); err != nil {
		t.Errorf("team-a cannot read its own trace: %v", err)
	}
	_, err := client(t, srv.URL, "team-b").Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
	if datasources.ErrorKindOf(err) != datasources.ErrorNotFound {
		t.Errorf("team-b sees team-a's trace: err = %v", err)
	}
	// Probes need no tenant, as in Tempo.
	for _, p := range []string{"/ready", "/api/echo"} {
		if status, _, _ := get(t, srv.URL+p, ""); status != 200 {
			t.Errorf("%s: %d", p, status)
		}
	}
}

func TestRetentionAndBounds(t *testing.T) {
	now := time.Unix(1760000000, 0)
	clock := func() time.Time { return now }
	st := tempotest.New(tempotest.WithRetention(time.Hour), tempotest.WithMaxTraces(3), tempotest.WithClock(clock))
	for i := int64(1); i <= 4; i++ {
		st.Ingest(tempotest.GenerateTrace(5, i))
		now = now.Add(10 * time.Minute)
	}
	if n := st.Len(tempotest.SingleTenant); n != 3 {
		t.Errorf("after 4 traces with max 3: %d kept", n)
	}
	now = now.Add(35 * time.Minute) // the 2nd trace is now 65 min old, the 3rd 55
	if n := st.Len(tempotest.SingleTenant); n != 2 {
		t.Errorf("after retention: %d kept, want 2", n)
	}

	small := tempotest.New(tempotest.WithMaxBytes(20_000))
	for i := int64(1); i <= 10; i++ {
		small.Ingest(tempotest.GenerateTrace(20, i)) // ~6 KB each
	}
	if n := small.Len(tempotest.SingleTenant); n < 2 || n > 4 {
		t.Errorf("with a 20 KB bound: %d traces kept, want the newest 2-4", n)
	}
}

// Retention dates a trace by when it arrived, never by its own times, so a
// fixture trace at a fixed date is kept on the real clock whatever the day.
// The rule in datasources/fixturedates_test.go exempts tempotest for this.
func TestOldTraceOnTheRealClock(t *testing.T) {
	srv := tempotest.NewTestServer(t) // real clock, default retention
	td := tempotest.GenerateTrace(5, 1)
	started := time.Unix(0, int64(td.ResourceSpans[0].ScopeSpans[0].Spans[0].StartTimeUnixNano))
	if age := time.Since(started); age < 2*tempotest.DefaultRetention {
		t.Fatalf("the fixture trace is only %s old: it proves nothing", age)
	}
	srv.Ingest(td)
	c := client(t, srv.URL, "")
	id := hex.EncodeToString(td.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId)
	if _, err := c.Trace(context.Background(), id, time.Time{}, time.Time{}); err != nil {
		t.Errorf("a trace dated %s is gone on arrival: %v", started.UTC().Format(time.DateOnly), err)
	}
	res, err := c.Search(context.Background(), "{}", time.Time{}, time.Time{}, 10, 0)
	if err != nil || len(res.Traces) != 1 {
		t.Errorf("search without a range: %v, %d traces, want 1", err, len(res.Traces))
	}
}

// TestLargeTraceAnswersGrowWithTheTrace: a large trace's protobuf answer
// is encoded once and reused, until more of its spans arrive.
func TestLargeTraceAnswersGrowWithTheTrace(t *testing.T) {
	srv := tempotest.NewTestServer(t, tempotest.WithMaxBytesPerTrace(64<<20), tempotest.WithRetention(0))
	td := tempotest.GenerateTrace(50000, 4) // its first batch alone is over 1 MB encoded
	id := hex.EncodeToString(td.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId)
	first := &tracepb.TracesData{ResourceSpans: td.ResourceSpans[:1]}
	rest := &tracepb.TracesData{ResourceSpans: td.ResourceSpans[1:]}
	srv.Ingest(first)
	c := client(t, srv.URL, "")
	count := func() int {
		t.Helper()
		tr, err := c.Trace(context.Background(), id, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return len(tr.Spans)
	}
	a, b := count(), count()
	srv.Ingest(rest)
	if all := count(); a != b || all != 50000 || a >= all {
		t.Errorf("spans served: %d, again %d, after the rest arrived %d (want 50000)", a, b, all)
	}
}
