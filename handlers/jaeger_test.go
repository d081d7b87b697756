package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/jaeger"
	"github.com/ariadne-dev/ariadne/datasources/jaegerrun"
)

// The search page and the trace page against the real Jaeger: the form is
// sent as Jaeger's parameters (shown), the result opens the trace, and
// the trace page says it came from Jaeger. Jaeger keeps its own clock, so
// the spans are dated from the real now and the app runs on it.
func TestPagesAgainstRealJaeger(t *testing.T) {
	j := jaegerrun.StartTest(t, jaegerrun.Options{})
	now := time.Now()
	start := now.Add(-2 * time.Minute).UnixNano()
	body := fmt.Sprintf(`{"resourceSpans":[
{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},"scopeSpans":[{"spans":[
 {"traceId":"%[1]s","spanId":"00000000000000a1","name":"POST /checkout","kind":2,"startTimeUnixNano":"%[2]d","endTimeUnixNano":"%[3]d",
  "attributes":[{"key":"http.route","value":{"stringValue":"/checkout"}}]}]}]},
{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"payments"}}]},"scopeSpans":[{"spans":[
 {"traceId":"%[1]s","spanId":"00000000000000b2","parentSpanId":"00000000000000a1","name":"charge","kind":3,"startTimeUnixNano":"%[4]d","endTimeUnixNano":"%[5]d",
  "status":{"code":2,"message":"card declined"},
  "links":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00000000000000c3","attributes":[{"key":"opentracing.ref_type","value":{"stringValue":"follows_from"}}]}]}]}]}]}`,
		traceHex, start, start+900e6, start+10e6, start+810e6)
	resp, err := http.Post(j.OTLPHTTP+"/v1/traces", "application/json", strings.NewReader(body))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("push: %v %v", resp, err)
	}
	resp.Body.Close()
	jc, err := jaeger.New(datasources.Config{URL: j.QueryURL, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, Options{Now: time.Now, TraceBackends: []TraceBackend{{Name: "jaeger", Display: "Jaeger", Fetch: jc, Search: jc}}})

	var w *httptest.ResponseRecorder
	for deadline := time.Now().Add(15 * time.Second); ; {
		w = a.get(t, "/traces?backend=jaeger&service=payments&errors=1&build=1&from=now-15m&to=now")
		if strings.Contains(w.Body.String(), traceHex) || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	d := doc(t, w)
	results := d.Find(`section.panel-done[data-panel="Results"]`)
	if !strings.Contains(results.Text(), "Sent to Jaeger: /api/traces?") || !strings.Contains(results.Text(), "service=payments") {
		t.Errorf("the request sent is not shown: %q", results.Text())
	}
	href, _ := results.Find(`tbody tr td a`).Attr("href")
	if !strings.HasPrefix(href, "/traces/"+traceHex) {
		t.Fatalf("result link %q (results %q)", href, results.Text())
	}
	if d.Find("form.traceql").Length() != 0 {
		t.Error("a TraceQL box on a Jaeger search")
	}
	// The form's service choices are Jaeger's services.
	var choices []string
	d.Find("#service-choices option").Each(func(_ int, o *goquery.Selection) { v, _ := o.Attr("value"); choices = append(choices, v) })
	if strings.Join(choices, ",") != "payments,shop" {
		t.Errorf("service choices %v", choices)
	}

	page := a.get(t, href)
	pd := doc(t, page)
	if facts := strings.Join(strings.Fields(pd.Find(".trace-facts").Text()), ""); page.Code != http.StatusOK || !strings.Contains(facts, "FromJaeger") {
		t.Errorf("trace page %d, facts %q", page.Code, facts)
	}
	if got := pd.Find(".waterfall .row:not(.more)").Length(); got != 2 {
		t.Errorf("%d rows, want 2", got)
	}
	sel := doc(t, a.get(t, "/traces/"+traceHex+"?span=00000000000000b2")).Find("#span-details")
	if !strings.Contains(sel.Text(), "card declined") {
		t.Error("the failed span's status is not in its details")
	}
	// A FOLLOWS_FROM reference is a link to the other trace, not a parent.
	link, _ := sel.Find(`a[href^="/traces/0af7651916cd43dd8448eb211c80319c"]`).Attr("href")
	if link == "" || !strings.Contains(sel.Text(), "follows from") {
		t.Errorf("the FOLLOWS_FROM link: %q in %q", link, sel.Text())
	}

	// The form's other fields reach Jaeger as its parameters: each finds
	// the trace, or (a duration it does not have) nothing.
	for _, tt := range []struct {
		form  string
		found bool
	}{
		{"service=payments&name=charge", true},
		{"service=shop&attr=http.route%3D%2Fcheckout", true},
		{"service=shop&attr=http.route%3D%2Fcart", false},
		{"service=payments&min=500ms", true},
		{"service=payments&min=2s", false},
		{"service=payments&max=100ms", false},
	} {
		w := a.get(t, "/traces?backend=jaeger&build=1&from=now-15m&to=now&"+tt.form)
		got := strings.Contains(doc(t, w).Find(`section.panel-done[data-panel="Results"] tbody`).Text(), traceHex)
		if got != tt.found {
			t.Errorf("%s: found %v, want %v", tt.form, got, tt.found)
		}
	}

	// A trace Jaeger does not have.
	if nf := a.get(t, "/traces/0000000000000000000000000000dead"); nf.Code != http.StatusNotFound || !strings.Contains(nf.Body.String(), "Jaeger has no trace with this ID.") {
		t.Errorf("not found: %d", nf.Code)
	}

	// Jaeger's message for a search it refuses, next to the kept form.
	bad := a.get(t, "/traces?backend=jaeger&service=&build=1")
	if !strings.Contains(bad.Body.String(), "choose a service") {
		t.Errorf("a search without a service: %.400s", bad.Body.String())
	}
}
