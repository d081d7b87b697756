package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

const otherHex = "0af7651916cd43dd8448eb211c80319c"

// fastCheckout is checkoutTrace under another ID, its payments call
// 60 ms shorter and healthy, without the orphan.
func fastCheckout() *tracepb.TracesData {
	td := checkoutTrace()
	td.ResourceSpans = td.ResourceSpans[:3]
	for _, rs := range td.ResourceSpans {
		for _, s := range rs.ScopeSpans[0].Spans {
			s.TraceId = hexBytes(otherHex)
			if s.Name == "POST /charge" {
				s.EndTimeUnixNano -= 60e6
				s.Status, s.Events = nil, nil
			}
		}
	}
	return td
}

func TestTraceDiffPage(t *testing.T) {
	a := newTraceApp(t, checkoutTrace(), fastCheckout())
	w := a.get(t, "/traces/diff?a="+traceHex+"&b="+strings.ToUpper(otherHex))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	d := doc(t, w)
	if got := d.Find(".diff-row").Length(); got != 4 {
		t.Errorf("%d rows, want 4", got)
	}
	changed := d.Find(".diff-row.changed").Text()
	if !strings.Contains(changed, "POST /charge") || !strings.Contains(changed, "error → unset") || !strings.Contains(changed, "-60.0 ms") {
		t.Errorf("changed row %q", strings.Join(strings.Fields(changed), " "))
	}
	if removed := d.Find(".diff-row.removed").Text(); !strings.Contains(removed, "late span") {
		t.Errorf("removed row %q", removed)
	}
	if strings.Contains(w.Body.String(), "<script>alert(1)") {
		t.Error("a span name was rendered as HTML")
	}
	var sides []string
	d.Find(".diff-side h2 a").Each(func(_ int, s *goquery.Selection) { sides = append(sides, s.AttrOr("href", "")) })
	if len(sides) != 2 || !strings.HasPrefix(sides[0], "/traces/"+traceHex+"?backend=tempo&from=") || !strings.HasPrefix(sides[1], "/traces/"+otherHex+"?") {
		t.Errorf("links to the traces %q", sides)
	}
	if got := d.Find(".critical-path").Length(); got != 2 {
		t.Errorf("%d critical paths", got)
	}
	if !strings.Contains(d.Find(".critical-path").First().Text(), "payments") {
		t.Errorf("A's critical path %q", d.Find(".critical-path").First().Text())
	}
}

func TestTraceDiffProblems(t *testing.T) {
	a := newTraceApp(t, checkoutTrace())
	cases := []struct {
		url    string
		status int
		want   string
	}{
		{"/traces/diff", http.StatusOK, "Compare two traces"},
		{"/traces/diff?a=" + traceHex + "&b=xyz", http.StatusBadRequest, "Trace B: a trace ID is"},
		{"/traces/diff?a=" + traceHex, http.StatusBadRequest, "Trace B: missing."},
		{"/traces/diff?a=nope&b=" + traceHex, http.StatusBadRequest, "Trace A:"},
		{"/traces/diff?a=" + traceHex + "&b=" + otherHex, http.StatusNotFound, "Trace B was not found"},
		{"/traces/diff?a=" + otherHex + "&b=" + otherHex, http.StatusNotFound, "Neither trace was found"},
	}
	for _, c := range cases {
		w := a.get(t, c.url)
		body := strings.Join(strings.Fields(doc(t, w).Find("main").Text()), " ")
		if w.Code != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %q, want %d and %q", c.url, w.Code, body, c.status, c.want)
		}
	}
	// The trace that was found is one click away.
	w := a.get(t, "/traces/diff?a="+traceHex+"&b="+otherHex)
	if href := doc(t, w).Find(".diff-problem a").AttrOr("href", ""); href != "/traces/"+traceHex {
		t.Errorf("link to A %q", href)
	}
}
