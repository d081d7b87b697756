package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The global box (#20 item 8): a pasted traceparent opens the trace with
// its span selected; something that is no trace ID (an order number from
// a ticket) offers to search the logs for it instead of a bare 400.
func TestTraceBoxWaysOn(t *testing.T) {
	a := newApp(t, Options{})
	w := a.get(t, "/traces?trace_id="+url.QueryEscape("00-"+traceHex+"-00f067aa0ba902b7-01"))
	if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "/traces/"+traceHex+"?span=00f067aa0ba902b7#s-00f067aa0ba902b7" {
		t.Errorf("traceparent: %d to %q, want the trace with its span selected", w.Code, loc)
	}

	w = a.get(t, "/traces?trace_id=ord-199603")
	link := doc(t, w).Find(`main a.button[href^="/logs?"]`)
	href, _ := link.Attr("href")
	u, _ := url.Parse(href)
	if w.Code != http.StatusBadRequest || !strings.Contains(link.Text(), "ord-199603") ||
		u.Query().Get("q") != `{service_name=~".+"} |= "ord-199603"` {
		t.Errorf("not an ID: %d, link %q → %q", w.Code, link.Text(), href)
	}
	// Quotes and backslashes in the term stay inside the LogQL string.
	w = a.get(t, "/traces?trace_id="+url.QueryEscape(`say "hi"\`))
	href, _ = doc(t, w).Find(`main a.button[href^="/logs?"]`).Attr("href")
	u, _ = url.Parse(href)
	if got := u.Query().Get("q"); got != `{service_name=~".+"} |= "say \"hi\"\\"` {
		t.Errorf("escaped query %q", got)
	}
}
