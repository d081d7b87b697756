package handlers

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources/tempotest"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// checkoutLike is checkoutTrace under another trace ID, its failing
// payments span lasting chargeMs.
func checkoutLike(id string, chargeMs uint64) *tracepb.TracesData {
	td := proto.Clone(checkoutTrace()).(*tracepb.TracesData)
	for _, rs := range td.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				s.TraceId = hexBytes(id)
				if string(s.SpanId) == string(hexBytes("00000000000000b2")) {
					s.EndTimeUnixNano = s.StartTimeUnixNano + chargeMs*1e6
				}
			}
		}
	}
	return td
}

// TestTracePageAnalysisPanels: after the waterfall, the trace page streams
// how it compares with similar traces (the payments call far slower than
// its baseline is named first, with its ratio), a form to diff it with one
// of them, and what its spans break of good practice (#18, sections 1, 2
// and 4 on the trace page).
func TestTracePageAnalysisPanels(t *testing.T) {
	data := []*tracepb.TracesData{checkoutLike(traceHex, 800)}
	for i := range 8 {
		data = append(data, checkoutLike(fmt.Sprintf("%032x", 0xabc0+i), 30+uint64(i)))
	}
	a := newTraceApp(t, data...)
	d := doc(t, a.get(t, "/traces/"+traceHex))
	cmp := d.Find(`#trace-logs section.panel-done[data-panel="Compared with similar traces"]`)
	first := cmp.Find(".unusual li").First().Text()
	if !strings.Contains(first, "payments") || !strings.Contains(first, "POST /charge") || !strings.Contains(first, "×") {
		t.Errorf("most unusual span %q (panel %q)", first, cmp.Text())
	}
	if cmp.Find(`form.compare-with input[name="a"]`).AttrOr("value", "") != traceHex || cmp.Find("datalist option").Length() != 8 {
		t.Errorf("compare form: %q, %d choices", cmp.Find("form.compare-with").Text(), cmp.Find("datalist option").Length())
	}
	q := d.Find(`#trace-logs section.panel-done[data-panel="Span quality"]`)
	if q.Find(".quality-rule").Length() == 0 || strings.Contains(q.Text(), "<script>") && q.Find("script").Length() > 0 {
		t.Errorf("span quality panel %q", q.Text())
	}
}

// TestQualityPanelBoundsHugeTraces: the span quality panel of a trace
// over its bound checks the first spans only and says so.
func TestQualityPanelBoundsHugeTraces(t *testing.T) {
	td := tempotest.GenerateTrace(qualityMaxSpans+500, 9)
	a := newTraceApp(t, td)
	id := hex.EncodeToString(td.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId)
	q := doc(t, a.get(t, "/traces/"+id)).Find(`#trace-logs section.panel-done[data-panel="Span quality"]`)
	if txt := q.Find(".sample").Text(); !strings.Contains(txt, "first 10000 of its 10500 spans") {
		t.Errorf("quality sample %q", txt)
	}
}

// TestFailedTraceIsComparedWithSucceededOnes: in an outage most checkouts
// time out like the open one; compared with all of them its 800 ms charge
// is the baseline itself. A failed trace is compared with the similar
// traces that succeeded, and the page says so.
func TestFailedTraceIsComparedWithSucceededOnes(t *testing.T) {
	failedRoot := func(td *tracepb.TracesData) *tracepb.TracesData {
		td.ResourceSpans[0].ScopeSpans[0].Spans[0].Status = &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR}
		return td
	}
	data := []*tracepb.TracesData{failedRoot(checkoutLike(traceHex, 800))}
	for i := range 8 {
		data = append(data, failedRoot(checkoutLike(fmt.Sprintf("%032x", 0xbad0+i), 800)))
		data = append(data, checkoutLike(fmt.Sprintf("%032x", 0xabc0+i), 30+uint64(i)))
	}
	a := newTraceApp(t, data...)
	cmp := doc(t, a.get(t, "/traces/"+traceHex)).Find(`#trace-logs section.panel-done[data-panel="Compared with similar traces"]`)
	if note := cmp.Find("p.muted").First().Text(); !strings.Contains(note, "Compared with 8 similar traces (that succeeded") {
		t.Errorf("note %q", note)
	}
	if first := cmp.Find(".unusual li").First().Text(); !strings.Contains(first, "POST /charge") || !strings.Contains(first, "×") {
		t.Errorf("most unusual span %q (panel %q)", first, cmp.Text())
	}
	for _, o := range cmp.Find("datalist option").EachIter() {
		if v := o.AttrOr("value", ""); strings.HasSuffix(v[:len(v)-1], "bad") {
			t.Errorf("a failing trace %s offered to compare with", v)
		}
	}
}
