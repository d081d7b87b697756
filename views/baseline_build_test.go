package views

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/correlation/baseline"
	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// checkoutTree: gateway → payments → provider (providerMs long), and
// dbCalls orders queries under gateway.
func checkoutTree(id string, providerMs int64, dbCalls int, failed bool) *trace.TraceTree {
	res := map[string]*datasources.Resource{}
	sp := func(sid, parent, svc, name string, start, end int64) datasources.Span {
		if res[svc] == nil {
			res[svc] = &datasources.Resource{Service: svc}
		}
		return datasources.Span{TraceID: id, SpanID: sid, ParentSpanID: parent, Name: name, Resource: res[svc], StartNs: start * 1e6, EndNs: end * 1e6}
	}
	tr := &datasources.Trace{ID: id, Spans: []datasources.Span{
		sp("00000000000000a1", "", "gateway", "checkout", 0, 20+providerMs),
		sp("00000000000000b2", "00000000000000a1", "payments", "charge", 5, 15+providerMs),
		sp("00000000000000c3", "00000000000000b2", "payment-provider", "POST /v1/charges", 6, 10+providerMs),
	}}
	if failed {
		tr.Spans[2].Status = datasources.StatusError
	}
	for i := range dbCalls {
		tr.Spans = append(tr.Spans, sp(fmt.Sprintf("00000000000000d%d", i), "00000000000000a1", "orders", "SELECT orders", 1, 2))
	}
	return trace.BuildTree(tr, false)
}

func TestBuildBaselinePanel(t *testing.T) {
	var similar []*trace.TraceTree
	for i := range 10 {
		similar = append(similar, checkoutTree(fmt.Sprintf("%032x", i+1), 30+int64(i), 1, false)) // provider 34…43 ms
	}
	open := checkoutTree("4bf92f3577b34da6a3ce929d0e0e4736", 797, 7, true) // provider 801 ms
	p := BuildBaselinePanel(open, baseline.Compare(open, similar), BaselineInput{Backend: "tempo", Max: 1, Similar: "same root service and operation"})
	if !p.Judged || p.Note != "Compared with 10 similar traces (same root service and operation)." {
		t.Errorf("note %q", p.Note)
	}
	if len(p.Unusual) != 1 || p.MoreUnusual != 2 {
		t.Fatalf("unusual %+v, %d more", p.Unusual, p.MoreUnusual)
	}
	u := p.Unusual[0]
	if u.Service != "payment-provider" || u.Text != "801 ms — p50 for this operation is 38.0 ms (21×)" || !u.Error ||
		u.Why != "slow (p99 43.0 ms), slow in itself (self time 801 ms, p50 38.0 ms), failed (fails in 0% of similar traces' spans)" ||
		!strings.HasPrefix(u.URL, "/traces/4bf92f3577b34da6a3ce929d0e0e4736?backend=tempo&") {
		t.Errorf("most unusual %+v", u)
	}
	if got := strings.Join(p.Structure, "\n"); got != "orders: SELECT orders — 7 here, typically 1" {
		t.Errorf("structure %q", got)
	}
	if s := p.Spans["00000000000000a1"]; !s.Far || !strings.Contains(s.Text, "817 ms — p50 for this operation is 54.0 ms (15×)") {
		t.Errorf("root column %+v", s)
	}
	if s := p.Spans["00000000000000d0"]; s.Far || s.Text != "1.00 ms — p50 for this operation is 1.00 ms (1.0×)" {
		t.Errorf("db column %+v", s)
	}

	small := BuildBaselinePanel(open, baseline.Compare(open, similar[:3]), BaselineInput{})
	if small.Judged || small.Note != "Too small to judge: 3 similar traces; at least 5 are needed." || len(small.Unusual) != 0 {
		t.Errorf("small %+v", small)
	}
	if s := small.Spans["00000000000000c3"]; s.Far || s.Text != "801 ms — too few of this operation to judge (3 in similar traces, 5 needed)" {
		t.Errorf("small column %+v", s)
	}
}

func TestStructureText(t *testing.T) {
	op := baseline.Op{Service: "payments", Name: "charge retry"}
	for _, c := range []struct {
		st   baseline.Structure
		want string
	}{
		{baseline.Structure{Op: op, Kind: baseline.Extra, Count: 1}, "payments: charge retry — 1 here; no similar trace has it"},
		{baseline.Structure{Op: op, Kind: baseline.Extra, Count: 2, Presence: 0.1}, "payments: charge retry — 2 here; only 10% of similar traces have it"},
		{baseline.Structure{Op: op, Kind: baseline.Missing, Presence: 0.95, Typical: 1}, "payments: charge retry — missing here; 95% of similar traces have it (typically 1)"},
	} {
		if got := structureText(c.st); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
