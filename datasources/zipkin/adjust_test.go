package zipkin

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// The adjusting passes (adjust.go), through DecodeTrace: what the trace
// page sees of spans Zipkin sends under one ID and of spans without times.

// TestRepeatedIDs: every span Zipkin sends under one ID survives, with a
// unique ID, in a tree without cycles, whatever order the spans came in.
func TestRepeatedIDs(t *testing.T) {
	type want struct {
		name, kind, service string
		parent              string // a name, or "" for a root, or "=" for Zipkin's parent
		derived             bool
	}
	cases := []struct {
		name  string
		spans []string
		want  []want
	}{
		{"a server half without the shared flag",
			[]string{
				`{"traceId":"1","id":"2","parentId":"1","name":"call","kind":"CLIENT","timestamp":10,"localEndpoint":{"serviceName":"a"}}`,
				`{"traceId":"1","id":"2","parentId":"1","name":"serve","kind":"SERVER","timestamp":11,"localEndpoint":{"serviceName":"b"}}`,
			},
			[]want{{"call", "client", "a", "=", false}, {"serve", "server", "b", "call", true}}},
		{"two servers answering one client",
			[]string{
				`{"traceId":"1","id":"2","name":"call","kind":"CLIENT","timestamp":10,"localEndpoint":{"serviceName":"a"}}`,
				`{"traceId":"1","id":"2","name":"serve","kind":"SERVER","shared":true,"timestamp":11,"localEndpoint":{"serviceName":"b"}}`,
				`{"traceId":"1","id":"2","name":"serve again","kind":"SERVER","shared":true,"timestamp":12,"localEndpoint":{"serviceName":"c"}}`,
			},
			[]want{{"call", "client", "a", "", false}, {"serve", "server", "b", "call", true}, {"serve again", "server", "c", "call", true}}},
		{"two server halves without their client: siblings",
			[]string{
				`{"traceId":"1","id":"1","name":"root","timestamp":5,"localEndpoint":{"serviceName":"a"}}`,
				`{"traceId":"1","id":"2","parentId":"1","name":"serve","kind":"SERVER","shared":true,"timestamp":11,"localEndpoint":{"serviceName":"b"}}`,
				`{"traceId":"1","id":"2","parentId":"1","name":"serve again","kind":"SERVER","shared":true,"timestamp":12,"localEndpoint":{"serviceName":"c"}}`,
			},
			[]want{{"root", "internal", "a", "", false}, {"serve", "server", "b", "root", false}, {"serve again", "server", "c", "root", true}}},
		{"a shared server half alone keeps its ID",
			[]string{`{"traceId":"1","id":"2","parentId":"1","name":"serve","kind":"SERVER","shared":true,"timestamp":11,"localEndpoint":{"serviceName":"b"}}`},
			[]want{{"serve", "server", "b", "=", false}}},
		{"a colliding ID on unrelated spans: both kept, each under its own parent",
			[]string{
				`{"traceId":"1","id":"1","name":"root","timestamp":5,"localEndpoint":{"serviceName":"a"}}`,
				`{"traceId":"1","id":"9","parentId":"1","name":"first","timestamp":10,"localEndpoint":{"serviceName":"a"}}`,
				`{"traceId":"1","id":"9","parentId":"1","name":"second","timestamp":20,"localEndpoint":{"serviceName":"a"}}`,
			},
			[]want{{"root", "internal", "a", "", false}, {"first", "internal", "a", "root", false}, {"second", "internal", "a", "root", true}}},
		{"children follow the half of their own service",
			[]string{
				`{"traceId":"1","id":"1","name":"root","kind":"SERVER","timestamp":5,"localEndpoint":{"serviceName":"a"}}`,
				`{"traceId":"1","id":"2","parentId":"1","name":"call","kind":"CLIENT","timestamp":10,"localEndpoint":{"serviceName":"a"}}`,
				`{"traceId":"1","id":"2","parentId":"1","name":"serve","kind":"SERVER","shared":true,"timestamp":11,"localEndpoint":{"serviceName":"b"}}`,
				`{"traceId":"1","id":"3","parentId":"2","name":"work in b","timestamp":12,"localEndpoint":{"serviceName":"b"}}`,
				`{"traceId":"1","id":"4","parentId":"2","name":"retry in a","timestamp":13,"localEndpoint":{"serviceName":"a"}}`,
				`{"traceId":"1","id":"5","parentId":"2","name":"late, no endpoint","timestamp":14}`,
			},
			[]want{{"root", "server", "a", "", false}, {"call", "client", "a", "root", false}, {"serve", "server", "b", "call", true},
				{"work in b", "internal", "b", "serve", false}, {"retry in a", "internal", "a", "call", false}, {"late, no endpoint", "internal", "", "call", false}}},
		{"pieces of one span are merged",
			[]string{
				`{"traceId":"1","id":"2","name":"call","kind":"CLIENT","timestamp":10,"localEndpoint":{"serviceName":"a"}}`,
				`{"traceId":"1","id":"2","duration":5,"localEndpoint":{"serviceName":"a","ipv4":"10.0.0.1"},"tags":{"late":"yes"}}`,
			},
			[]want{{"call", "client", "a", "", false}}},
	}
	for _, tc := range cases {
		for _, reversed := range []bool{false, true} {
			spans := slices.Clone(tc.spans)
			if reversed {
				slices.Reverse(spans)
			}
			t.Run(tc.name+map[bool]string{false: "", true: ", reversed"}[reversed], func(t *testing.T) {
				tr := decode(t, "["+strings.Join(spans, ",")+"]")
				if len(tr.Spans) != len(tc.want) {
					t.Fatalf("%d spans, want %d", len(tr.Spans), len(tc.want))
				}
				names := byName(tr)
				for _, w := range tc.want {
					s := names[w.name][0]
					zid, derived := datasources.Attr(s.Attributes(), AttrSpanID)
					if string(s.Kind) != w.kind || s.Service() != w.service || derived != w.derived {
						t.Errorf("%s: kind %q service %q derived %v (%s), want %q %q %v", w.name, s.Kind, s.Service(), derived, zid, w.kind, w.service, w.derived)
					}
					switch w.parent {
					case "":
						if s.ParentSpanID != "" {
							t.Errorf("%s: parent %s, want a root", w.name, s.ParentSpanID)
						}
					case "=":
						if s.ParentSpanID != "0000000000000001" {
							t.Errorf("%s: parent %s, want Zipkin's 0000000000000001", w.name, s.ParentSpanID)
						}
					default:
						if p := names[w.parent][0]; s.ParentSpanID != p.SpanID {
							t.Errorf("%s: parent %s, want %s (%s)", w.name, s.ParentSpanID, w.parent, p.SpanID)
						}
					}
				}
			})
		}
	}
	// The merged pieces keep both reports' data.
	tr := decode(t, "["+strings.Join(cases[len(cases)-1].spans, ",")+"]")
	s := tr.Spans[0]
	if v, _ := datasources.Attr(s.Attributes(), "late"); v != "yes" || s.EndNs-s.StartNs != 5000 || s.Resource.Attributes[1].Value != "10.0.0.1" {
		t.Errorf("merged span %+v, resource %+v", s, s.Resource)
	}
}

// TestDerivedIDsAreStable: the same trace always gets the same IDs, in any
// order, so a link to a server half keeps working.
func TestDerivedIDsAreStable(t *testing.T) {
	body := testdata(t, "trace-shared-rpc.json")
	a, b := decode(t, body), decode(t, body)
	ids := func(tr *datasources.Trace) []string {
		var out []string
		for _, s := range tr.Spans {
			out = append(out, s.Name+"/"+string(s.Kind)+"="+s.SpanID+"<"+s.ParentSpanID)
		}
		slices.Sort(out)
		return out
	}
	if !reflect.DeepEqual(ids(a), ids(b)) {
		t.Errorf("two decodes differ:\n%v\n%v", ids(a), ids(b))
	}
}

// TestIncompleteSpans decodes testdata/trace-incomplete.json: spans Zipkin
// received without a timestamp or a duration, and a late piece.
func TestIncompleteSpans(t *testing.T) {
	const base = 1556604172000000
	tr := decode(t, testdata(t, "trace-incomplete.json"))
	if tr.ID != "00000000000000000000000000000abc" {
		t.Errorf("trace ID %s", tr.ID)
	}
	names := byName(tr)
	cases := []struct {
		name, kind       string
		startUs, lenUs   int64
		timeMissing, dur bool // marked as missing its timestamp, its duration
	}{
		{"checkout", "server", base, 90000, false, false},
		{"reserve", "client", base + 10000, 0, false, true}, // no duration: zero-length
		{"", "server", base + 10000, 4000, true, false},     // shared half: its client's timestamp
		{"charge", "internal", base + 20000, 0, true, true}, // its earliest annotation
		{"sign", "internal", base + 20000, 0, true, true},   // its parent's
	}
	if len(tr.Spans) != len(cases) {
		t.Fatalf("%d spans, want %d (the late piece merges into reserve)", len(tr.Spans), len(cases))
	}
	for _, tc := range cases {
		s := names[tc.name][0]
		_, tm := datasources.Attr(s.Attributes(), AttrTimestampMissing)
		_, dm := datasources.Attr(s.Attributes(), AttrDurationMissing)
		if string(s.Kind) != tc.kind || s.StartNs != tc.startUs*1000 || s.EndNs-s.StartNs != tc.lenUs*1000 || tm != tc.timeMissing || dm != tc.dur {
			t.Errorf("%q: %s at %d for %d ns, marked %v %v; want %s at %d for %d µs, marked %v %v",
				tc.name, s.Kind, s.StartNs, s.EndNs-s.StartNs, tm, dm, tc.kind, tc.startUs*1000, tc.lenUs, tc.timeMissing, tc.dur)
		}
	}
	if v, _ := datasources.Attr(names["reserve"][0].Attributes(), "retry"); v != "1" {
		t.Errorf("the late piece's tag is lost: %v", attrs(names["reserve"][0].Attributes()))
	}
	if ev := names["charge"][0].Events(); len(ev) != 2 || ev[0].Name != "charge.queued" {
		t.Errorf("charge events %+v", ev)
	}
}

// TestUndatable: no span of the trace has a time, and the parent links
// loop; decoding still ends, with every span at zero and marked.
func TestUndatable(t *testing.T) {
	tr, err := DecodeTrace([]byte(`[{"traceId":"1","id":"1","parentId":"2"},{"traceId":"1","id":"2","parentId":"1"}]`))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range tr.Spans {
		if _, ok := datasources.Attr(s.Attributes(), AttrTimestampMissing); !ok || s.StartNs != 0 || s.EndNs != 0 {
			t.Errorf("span %s: %d..%d, %v", s.SpanID, s.StartNs, s.EndNs, attrs(s.Attributes()))
		}
	}
	// A loop with one dated span elsewhere: the undated ones take the
	// trace's start.
	tr, err = DecodeTrace([]byte(`[{"traceId":"1","id":"1","parentId":"2"},{"traceId":"1","id":"2","parentId":"1"},{"traceId":"1","id":"3","timestamp":50}]`))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range tr.Spans {
		if s.StartNs != 50_000 {
			t.Errorf("span %s starts at %d, want the trace's start", s.SpanID, s.StartNs)
		}
	}
}

// TestDeriveID: deterministic, 16 hex characters, and never an ID the
// trace already holds.
func TestDeriveID(t *testing.T) {
	const tid = "00000000000000005af7183fb1d4cf5f"
	a := deriveID(tid, "352bff9a74ca9ad2", "backend", "SERVER", map[string]int{})
	b := deriveID(tid, "352bff9a74ca9ad2", "backend", "SERVER", map[string]int{})
	if a != b || len(a) != 16 || strings.Trim(a, "0123456789abcdef") != "" {
		t.Fatalf("derived %q and %q", a, b)
	}
	taken := map[string]int{a: 1}
	if c := deriveID(tid, "352bff9a74ca9ad2", "backend", "SERVER", taken); c == a || taken[c] != 1 {
		t.Errorf("derived %q again though the trace holds it", c)
	}
}
