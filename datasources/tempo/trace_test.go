package tempo

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

const checkoutID = "004bf92f3577b34da6a3ce929d0e0e47"

// wantSpan is what a user sees of one span in the waterfall.
type wantSpan struct {
	id, parent, name, service string
	kind                      datasources.SpanKind
	status                    datasources.StatusCode
	statusMsg                 string
	start, end                int64
	attrs                     map[string]datasources.Attribute
	events                    []string
}

// checkoutSpans is the "checkout" trace every handwritten file describes.
var checkoutSpans = []wantSpan{
	{id: "00f067aa0ba902b7", name: "GET /checkout", service: "frontend", kind: datasources.KindServer,
		status: datasources.StatusError, statusMsg: "upstream failed",
		start: 1760000000000000000, end: 1760000001250000000,
		attrs: map[string]datasources.Attribute{
			"http.route":                {Value: "/checkout", Type: datasources.TypeString},
			"http.response.status_code": {Value: "503", Type: datasources.TypeInt},
		}},
	{id: "53995c3f42cd8ad8", parent: "00f067aa0ba902b7", name: "POST /cart/checkout", service: "frontend",
		kind: datasources.KindClient, status: datasources.StatusError,
		start: 1760000000050000000, end: 1760000001150000000,
		attrs: map[string]datasources.Attribute{"server.address": {Value: "cart"}}},
	{id: "a3ce929d0e0e4736", parent: "53995c3f42cd8ad8", name: "POST /cart/checkout", service: "cart",
		kind: datasources.KindServer, status: datasources.StatusError, statusMsg: "payment timeout",
		start: 1760000000060000000, end: 1760000001110000000, events: []string{"exception"},
		attrs: map[string]datasources.Attribute{"http.route": {Value: "/cart/checkout"}}},
	{id: "9d0e0e4736b34da6", parent: "a3ce929d0e0e4736", name: "SELECT cart_items", service: "cart",
		kind: datasources.KindClient, status: datasources.StatusUnset,
		start: 1760000000070000000, end: 1760000000090000000,
		attrs: map[string]datasources.Attribute{
			"db.system":        {Value: "postgresql", Type: datasources.TypeString},
			"db.rows":          {Value: "3", Type: datasources.TypeInt},
			"db.cache_hit":     {Value: "false", Type: datasources.TypeBool},
			"db.latency_ratio": {Value: "0.25", Type: datasources.TypeDouble},
		}},
}

func checkSpans(t *testing.T, tr *datasources.Trace, traceID string, want []wantSpan) {
	t.Helper()
	if len(tr.Spans) != len(want) {
		t.Fatalf("got %d spans, want %d", len(tr.Spans), len(want))
	}
	for i, w := range want {
		s := tr.Spans[i]
		if s.TraceID != traceID || s.SpanID != w.id || s.ParentSpanID != w.parent || s.Name != w.name ||
			s.Service() != w.service || s.Kind != w.kind || s.Status != w.status || s.StatusMsg() != w.statusMsg ||
			s.StartNs != w.start || s.EndNs != w.end {
			t.Errorf("span %d = {trace %s id %s parent %q name %q service %q kind %q status %q %q %d..%d}, want %+v",
				i, s.TraceID, s.SpanID, s.ParentSpanID, s.Name, s.Service(), s.Kind, s.Status, s.StatusMsg(), s.StartNs, s.EndNs, w)
		}
		for k, wa := range w.attrs {
			got, ok := findAttr(s.Attributes(), k)
			if !ok || got.Value != wa.Value || got.Type != wa.Type {
				t.Errorf("span %s attribute %s = %+v (present %v), want %+v", w.id, k, got, ok, wa)
			}
		}
		var evs []string
		for _, e := range s.Events() {
			evs = append(evs, e.Name)
		}
		if strings.Join(evs, ",") != strings.Join(w.events, ",") {
			t.Errorf("span %s events = %v, want %v", w.id, evs, w.events)
		}
	}
}

func findAttr(attrs []datasources.Attribute, key string) (datasources.Attribute, bool) {
	for _, a := range attrs {
		if a.Key == key {
			return a, true
		}
	}
	return datasources.Attribute{}, false
}

// checkCheckout asserts the details of the checkout trace beyond the table:
// a resource is shared per process and the exception event is intact.
func checkCheckout(t *testing.T, tr *datasources.Trace) {
	t.Helper()
	if tr.ID != checkoutID {
		t.Errorf("trace ID = %q, want %q", tr.ID, checkoutID)
	}
	checkSpans(t, tr, checkoutID, checkoutSpans)
	if tr.Spans[0].Resource != tr.Spans[1].Resource || tr.Spans[2].Resource != tr.Spans[3].Resource ||
		tr.Spans[0].Resource == tr.Spans[2].Resource {
		t.Error("spans of one resource should share one *Resource, and two processes should not")
	}
	if env, _ := datasources.Attr(tr.Spans[2].Resource.Attributes, "deployment.environment"); env != "test" {
		t.Errorf("deployment.environment = %q, want test", env)
	}
	if tr.Spans[0].Scope != "ariadne-fixture" {
		t.Errorf("scope = %q, want ariadne-fixture", tr.Spans[0].Scope)
	}
	ev := tr.Spans[2].Events()[0]
	if msg, _ := datasources.Attr(ev.Attributes, "exception.message"); ev.TimeNs != 1760000001100000000 || msg != "payment timeout after 1s" {
		t.Errorf("exception event = %+v", ev)
	}
}

func TestTraceV2JSONCheckout(t *testing.T) {
	c, f := newFake(t, map[string]reply{
		"/api/v2/traces/" + checkoutID: jsonReply(contracttest.Read(t, "tempo", "handwritten", "trace-v2-checkout.json")),
	})
	// Upper case and stripped leading zeros are what users paste.
	tr, err := c.Trace(context.Background(), "4BF92F3577B34DA6A3CE929D0E0E47", time.Unix(1760000000, 0), time.Unix(1760000100, 500))
	if err != nil {
		t.Fatal(err)
	}
	checkCheckout(t, tr)
	if tr.Partial {
		t.Error("a complete trace is marked partial")
	}
	req := f.last(t)
	if q := req.URL.Query(); q.Get("start") != "1760000000" || q.Get("end") != "1760000101" {
		t.Errorf("start/end = %s/%s, want unix seconds 1760000000/1760000101", q.Get("start"), q.Get("end"))
	}
	if !strings.Contains(req.Header.Get("Accept"), "application/protobuf") {
		t.Errorf("Accept = %q, want protobuf first", req.Header.Get("Accept"))
	}
}

func TestTraceV1FallbackIsPerRequest(t *testing.T) {
	c, f := newFake(t, map[string]reply{
		"/api/traces/" + checkoutID: jsonReply(contracttest.Read(t, "tempo", "handwritten", "trace-v1-checkout.json")),
	})
	for i := 0; i < 2; i++ {
		tr, err := c.Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		checkCheckout(t, tr)
	}
	want := "/api/v2/traces/" + checkoutID + " /api/traces/" + checkoutID
	if got := strings.Join(f.paths(), " "); got != want+" "+want {
		t.Errorf("requests = %s, want v2 then v1, twice (the fallback is not remembered)", got)
	}
	if q := f.last(t).URL.RawQuery; q != "" {
		t.Errorf("query = %q, want none for zero times", q)
	}
}

func TestTraceV2DocsExample(t *testing.T) {
	const id = "5b8efff798038103d269b633813fc700"
	c, _ := newFake(t, map[string]reply{
		"/api/v2/traces/" + id: jsonReply(contracttest.Read(t, "tempo", "real", "trace-v2-by-id.docs.json")),
	})
	tr, err := c.Trace(context.Background(), id, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	checkSpans(t, tr, id, []wantSpan{{id: "eee19b7ec3c1b100", name: "I am a span!", service: "my.service",
		kind: datasources.KindServer, start: 1689969302000000000, end: 1689970000000000000,
		attrs: map[string]datasources.Attribute{"my.span.attr": {Value: "some value"}}}})
	if tr.Spans[0].Scope != "my.library" {
		t.Errorf("scope = %q", tr.Spans[0].Scope)
	}
}

// The vulture fixture is the real marshaller's output: an empty scope, no
// kind, many events, int attributes as strings. It is served both as the
// v2 "trace" value and, renamed to "batches", as v1.
func TestTraceVultureFixture(t *testing.T) {
	const id = "3149195ffb0bec05347b48efe8ecc1b0"
	raw := contracttest.Read(t, "tempo", "real", "trace-resourcespans.tempo-vulture-fixture.json")
	var rs struct {
		ResourceSpans json.RawMessage `json:"resourceSpans"`
	}
	if err := json.Unmarshal(raw, &rs); err != nil {
		t.Fatal(err)
	}
	v2 := append(append([]byte(`{"trace":`), raw...), '}')
	v1 := append(append([]byte(`{"batches":`), rs.ResourceSpans...), '}')
	want := []wantSpan{
		{id: "4b23de25d1fb6641", name: "vulture-68", events: []string{"", "", "", ""},
			attrs: map[string]datasources.Attribute{"vulture-int-01": {Value: "581134", Type: datasources.TypeInt},
				"http.status_code": {Value: "110", Type: datasources.TypeInt}}},
		{id: "3ef58fd67f3c3c44", parent: "4b23de25d1fb6641", name: "vulture-45", events: []string{"", ""}},
		{id: "23483ddcaf958888", parent: "3ef58fd67f3c3c44", name: "vulture-96", events: []string{"", "", ""}},
		{id: "04b1672edf34433d", parent: "23483ddcaf958888", name: "vulture-48", events: []string{"", "", ""}},
		{id: "083a27a20c7b6de3", name: "vulture-36", events: []string{"", "", "", ""}},
		{id: "5ef2b292ae1ab9e8", parent: "083a27a20c7b6de3", name: "vulture-38", events: []string{"", ""}},
	}
	ends := []int64{92000, 54000, 89000, 84000, 5000, 56000}
	for i := range want {
		want[i].service, want[i].start, want[i].end = "tempo-vulture", 1636729665000000000, 1636729665000000000+ends[i]
	}
	for name, routes := range map[string]map[string]reply{
		"v2": {"/api/v2/traces/" + id: jsonReply(v2)},
		"v1": {"/api/traces/" + id: jsonReply(v1)},
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := newFake(t, routes)
			tr, err := c.Trace(context.Background(), id, time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			checkSpans(t, tr, id, want)
			if v, _ := datasources.Attr(tr.Spans[0].Events()[0].Attributes, "vulture-event-int-01"); v != "424354" {
				t.Errorf("event int attribute = %q, want 424354", v)
			}
			if v, _ := datasources.Attr(tr.Spans[0].Resource.Attributes, "k8s.pod.name"); v != "XkqgWWT" {
				t.Errorf("resource k8s.pod.name = %q", v)
			}
			if tr.Spans[0].Resource == tr.Spans[4].Resource {
				t.Error("two ResourceSpans must give two Resources")
			}
		})
	}
}

func TestTracePartial(t *testing.T) {
	c, _ := newFake(t, map[string]reply{
		"/api/v2/traces/" + checkoutID: jsonReply(contracttest.Read(t, "tempo", "handwritten", "trace-v2-partial-too-large.json")),
	})
	tr, err := c.Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Partial || tr.PartialMessage != "Trace exceeds maximum size of 5000000 bytes, a partial trace is returned" {
		t.Errorf("partial = %v %q", tr.Partial, tr.PartialMessage)
	}
	checkSpans(t, tr, checkoutID, checkoutSpans[:2])
}

func TestTraceNotFoundAndTooLarge(t *testing.T) {
	notFoundV2 := contracttest.Read(t, "tempo", "handwritten", "trace-v2-not-found.json")
	cases := []struct {
		name   string
		routes map[string]reply
		kind   datasources.ErrorKind
		msg    string
		status int
	}{
		{"v2 200 with empty trace", map[string]reply{"/api/v2/traces/" + checkoutID: jsonReply(notFoundV2)},
			datasources.ErrorNotFound, "Tempo has no trace " + checkoutID, 200},
		{"v1 404 empty body", nil, datasources.ErrorNotFound, "Tempo has no trace " + checkoutID, 404},
		{"v1 older Tempo 404 with text", map[string]reply{"/api/traces/" + checkoutID: {status: 404, body: []byte("trace not found\n")}},
			datasources.ErrorNotFound, "trace not found", 404},
		{"v1 422 over max_bytes_per_trace", map[string]reply{"/api/traces/" + checkoutID: {status: 422, body: []byte("trace exceeds max size (max bytes: 5000000)")}},
			datasources.ErrorTooLarge, "trace exceeds max size (max bytes: 5000000)", 422},
		{"v2 500", map[string]reply{"/api/v2/traces/" + checkoutID: {status: 500, body: []byte("internal error")}},
			datasources.ErrorUnavailable, "Tempo answered 500 Internal Server Error.", 500},
		{"v2 garbage", map[string]reply{"/api/v2/traces/" + checkoutID: jsonReply([]byte(`{"trace":{"resourceSpans":7}}`))},
			datasources.ErrorUnavailable, "could not be read", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newFake(t, tc.routes)
			_, err := c.Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
			e := wantKind(t, err, tc.kind, tc.msg)
			if e.Status != tc.status {
				t.Errorf("status = %d, want %d", e.Status, tc.status)
			}
		})
	}
}

func TestTraceInvalidIDSendsNothing(t *testing.T) {
	for _, id := range []string{"", "xyz", "0000", strings.Repeat("a", 33), "4bf92f35-77b3"} {
		c, f := newFake(t, nil)
		_, err := c.Trace(context.Background(), id, time.Time{}, time.Time{})
		wantKind(t, err, datasources.ErrorBadQuery, datasources.ErrInvalidTraceID.Error())
		if n := len(f.paths()); n != 0 {
			t.Errorf("%q: %d requests sent for an invalid ID", id, n)
		}
	}
}

// protoBodies builds Tempo's protobuf answers for the checkout trace: v1
// (tempopb.Trace, wire-identical to TracesData) and v2 (TraceByIDResponse).
func protoBodies(t *testing.T, partialMsg string) (v1, v2 []byte) {
	t.Helper()
	raw := contracttest.Read(t, "tempo", "handwritten", "trace-v2-checkout.json")
	var w struct{ Trace json.RawMessage }
	if err := json.Unmarshal(raw, &w); err != nil {
		t.Fatal(err)
	}
	var td tracepb.TracesData
	if err := protojson.Unmarshal(w.Trace, &td); err != nil {
		t.Fatal(err)
	}
	v1, err := proto.Marshal(&td)
	if err != nil {
		t.Fatal(err)
	}
	v2 = protowire.AppendTag(nil, 1, protowire.BytesType)
	v2 = protowire.AppendBytes(v2, v1)
	// metrics {inspectedBytes: 48213}: skipped by the client.
	v2 = protowire.AppendTag(v2, 2, protowire.BytesType)
	v2 = protowire.AppendBytes(v2, protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 48213))
	if partialMsg != "" {
		v2 = protowire.AppendTag(v2, 3, protowire.VarintType)
		v2 = protowire.AppendVarint(v2, 1)
		v2 = protowire.AppendTag(v2, 4, protowire.BytesType)
		v2 = protowire.AppendString(v2, partialMsg)
	}
	return v1, v2
}

func TestTraceProtobuf(t *testing.T) {
	v1, v2 := protoBodies(t, "")
	_, v2partial := protoBodies(t, "Trace exceeds maximum size of 5000000 bytes, a partial trace is returned")
	pb := func(b []byte) reply { return reply{status: 200, contentType: "application/protobuf", body: b} }
	cases := []struct {
		name    string
		routes  map[string]reply
		partial bool
	}{
		{"v2", map[string]reply{"/api/v2/traces/" + checkoutID: pb(v2)}, false},
		{"v2 partial", map[string]reply{"/api/v2/traces/" + checkoutID: pb(v2partial)}, true},
		{"v1 fallback", map[string]reply{"/api/traces/" + checkoutID: pb(v1)}, false},
		{"v2 without content type", map[string]reply{"/api/v2/traces/" + checkoutID: {status: 200, body: v2}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newFake(t, tc.routes)
			tr, err := c.Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			checkCheckout(t, tr)
			if tr.Partial != tc.partial || (tc.partial && !strings.HasPrefix(tr.PartialMessage, "Trace exceeds maximum size")) {
				t.Errorf("partial = %v %q, want %v", tr.Partial, tr.PartialMessage, tc.partial)
			}
		})
	}
	// An empty v2 protobuf answer is Tempo's "not found".
	c, _ := newFake(t, map[string]reply{"/api/v2/traces/" + checkoutID: pb(nil)})
	_, err := c.Trace(context.Background(), checkoutID, time.Time{}, time.Time{})
	wantKind(t, err, datasources.ErrorNotFound, checkoutID)
	// Truncated protobuf is the backend's fault, reported without panicking.
	if _, err := DecodeTraceV2(v2[:len(v2)/2], "application/protobuf"); datasources.ErrorKindOf(err) != datasources.ErrorUnavailable {
		t.Errorf("truncated protobuf: err = %v", err)
	}
}

// TestV2Size: a protobuf v2 answer's first field says how long the whole
// answer is at least, within the room left for what follows it (so a chunked
// million-span answer is read into one allocation); anything else says
// nothing.
func TestV2Size(t *testing.T) {
	_, small := protoBodies(t, "")
	_, partial := protoBodies(t, "Trace exceeds maximum size of 5000000 bytes, a partial trace is returned")
	big, err := tempotest.EncodeV2Proto(tempotest.GenerateTrace(2000, 1))
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"small": small, "partial": partial, "2,000 spans": big} {
		// At least the trace field, and within the room a sized read
		// leaves for the status and message after it.
		got := v2Size("application/protobuf", body[:min(len(body), 64<<10)])
		if got > int64(len(body)) || got < int64(len(body))-4096 {
			t.Errorf("%s: %d bytes said for a %d-byte answer", name, got, len(body))
		}
	}
	for _, c := range []struct {
		name, contentType string
		head              []byte
	}{
		{"JSON", "application/json", []byte(`{"trace":{}}`)},
		{"protobuf by its bytes but sent as JSON", "application/json", big[:100]},
		{"not a length-delimited first field", "application/protobuf", []byte{0x08, 0x01}},
		{"cut inside the length", "application/protobuf", []byte{0x0a, 0xff}},
		{"empty", "application/protobuf", nil},
	} {
		if got := v2Size(c.contentType, c.head); got != -1 {
			t.Errorf("%s: %d, want -1", c.name, got)
		}
	}
}
