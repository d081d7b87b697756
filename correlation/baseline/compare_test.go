package baseline

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/ariadne-dev/ariadne/correlation/trace"
)

// checkout is a baseline trace: the gateway calls payments, which calls
// the provider, with one DB call and a cache lookup; ms stretches the
// provider call.
func checkout(t *testing.T, id string, ms float64) *trace.TraceTree {
	return build(t, id,
		"a - gateway checkout 0 "+fmt.Sprint(20+ms),
		"c a orders cache_get 1 2",
		"d a orders SELECT_orders 2 4",
		"b a payments charge 5 "+fmt.Sprint(15+ms),
		"p b payment-provider POST_/v1/charges 6 "+fmt.Sprint(10+ms),
	)
}

func baselineOf(t *testing.T, n int) []*trace.TraceTree {
	var out []*trace.TraceTree
	for i := range n {
		out = append(out, checkout(t, fmt.Sprintf("base%d", i), float64(i))) // provider 4…4+n ms
	}
	return out
}

func TestBuildQuantilesAndCounts(t *testing.T) {
	b := Build(append(baselineOf(t, 10), nil))
	if b.Traces != 10 || !b.Judged() {
		t.Fatalf("%d traces", b.Traces)
	}
	o := b.Ops[Op{"payment-provider", "POST /v1/charges"}]
	// Durations 4 … 13 ms: nearest-rank p50 is the 5th (8 ms), p99 the 10th.
	if o.P50Ns != 8e6 || o.P99Ns != 13e6 || o.SelfP50Ns != 8e6 || o.Spans != 10 || o.TypicalCount() != 1 || o.Presence() != 1 {
		t.Errorf("provider baseline %+v", o)
	}
	// charge's self time is its 10 ms minus the provider's: 6 ms always.
	if c := b.Ops[Op{"payments", "charge"}]; c.SelfP50Ns != 6e6 || c.SelfP99Ns != 6e6 {
		t.Errorf("charge self %d/%d", c.SelfP50Ns, c.SelfP99Ns)
	}
}

func TestCompareRanksTheSpanThatTookTheTime(t *testing.T) {
	open := build(t, "open",
		"a - gateway checkout 0 830",
		"b a payments charge 5 825",
		"p b payment-provider POST_/v1/charges 6 820 error",
		"r b payments charge_retry 821 824",
		"d1 a orders SELECT_orders 2 3", "d2 a orders SELECT_orders 3 4", "d3 a orders SELECT_orders 4 5",
		"d4 a orders SELECT_orders 5 6", "d5 a orders SELECT_orders 6 7", "d6 a orders SELECT_orders 7 8", "d7 a orders SELECT_orders 8 9",
	)
	similar := append(baselineOf(t, 10), open) // the open trace itself is left out
	r := Compare(open, similar)
	if r.Baseline.Traces != 10 || !r.Judged() {
		t.Fatalf("baseline of %d traces", r.Baseline.Traces)
	}
	var ranked []string
	for _, i := range r.Unusual {
		ranked = append(ranked, open.Nodes[i].Span.SpanID)
	}
	// The provider call (self time 100× its p50) first; its callers are
	// slow too but only because of it.
	if len(ranked) == 0 || ranked[0] != "p" {
		t.Fatalf("unusual %v", ranked)
	}
	if !reflect.DeepEqual(ranked, []string{"p", "a", "b"}) {
		t.Errorf("unusual %v, want p a b", ranked)
	}
	p := r.Spans[r.Unusual[0]]
	if !p.Judged || !p.Slow || !p.SlowSelf || !p.RareError || int(p.Ratio) != 101 {
		t.Errorf("provider score %+v", p)
	}
	for _, s := range r.Spans {
		switch open.Nodes[s.Node].Span.SpanID {
		case "b":
			if s.SlowSelf || !s.Slow {
				t.Errorf("charge: slow %v, slow self %v", s.Slow, s.SlowSelf)
			}
		case "r": // not in the baseline at all, so not judged
			if s.Judged || s.Base != nil {
				t.Errorf("retry judged: %+v", s)
			}
		}
	}
	want := []Structure{
		{Op: Op{"payments", "charge retry"}, Kind: Extra, Count: 1},
		{Op: Op{"orders", "SELECT orders"}, Kind: Count, Count: 7, Typical: 1, Presence: 1},
		{Op: Op{"orders", "cache get"}, Kind: Missing, Typical: 1, Presence: 1},
	}
	if !reflect.DeepEqual(r.Structure, want) {
		t.Errorf("structure\n got %+v\nwant %+v", r.Structure, want)
	}
}

func TestCompareTooSmallToJudge(t *testing.T) {
	open := checkout(t, "open", 800)
	r := Compare(open, baselineOf(t, MinTraces-1))
	if r.Judged() || len(r.Unusual) != 0 || len(r.Structure) != 0 {
		t.Errorf("judged on %d traces: %v %v", r.Baseline.Traces, r.Unusual, r.Structure)
	}
	for _, s := range r.Spans {
		if s.Judged {
			t.Errorf("span %s judged", s.Name)
		}
	}
	// Enough traces, too few spans of one operation: that span alone is
	// not judged.
	base := baselineOf(t, MinTraces)
	for i := range MinSpans - 1 {
		base = append(base, build(t, fmt.Sprint("x", i), "a - gateway checkout 0 10", "z a gateway rare 1 2"))
	}
	open = build(t, "open2", "a - gateway checkout 0 10", "z a gateway rare 1 900")
	r = Compare(open, base)
	if !r.Judged() || r.Spans[1].Judged || r.Spans[1].Base == nil || r.Spans[1].Base.Spans != MinSpans-1 {
		t.Errorf("rare op: %+v", r.Spans[1])
	}
	// Microsecond spans are never slow by a ratio alone.
	base = nil
	for i := range 6 {
		base = append(base, build(t, fmt.Sprint("u", i), "a - svc tiny 0 0.01"))
	}
	r = Compare(build(t, "u", "a - svc tiny 0 0.5"), base)
	if s := r.Spans[0]; !s.Judged || s.Slow || s.Ratio != 50 {
		t.Errorf("tiny span %+v", s)
	}
}
