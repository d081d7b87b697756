package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// offenders is a gateway trace breaking three rules: an order ID in the
// name, a deprecated attribute, an e-mail address; and a payments span
// breaking another, which a gateway report leaves out.
func offenders() *tracepb.TracesData {
	id := "1a2b3c4d5e6f708192a3b4c5d6e7f809"
	root := pbSpan("00000000000000e1", "", "GET /api/orders/12345", 0, 40,
		str("http.method", "GET"), str("http.route", "/api/orders/{id}"), str("http.response.status_code", "200"), str("user.contact", "ann@example.com"))
	child := pbSpan("00000000000000e2", "00000000000000e1", "Handler", 5, 30)
	child.Status = &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR}
	for _, s := range []*tracepb.Span{root, child} {
		s.TraceId = hexBytes(id)
	}
	return &tracepb.TracesData{ResourceSpans: []*tracepb.ResourceSpans{resourceSpans("gateway", root), resourceSpans("payments", child)}}
}

func TestQualityPage(t *testing.T) {
	a := newTraceApp(t, checkoutTrace(), offenders())
	w := a.get(t, "/quality?service=gateway")
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	d := doc(t, w)
	if s := strings.Join(strings.Fields(d.Find(".sample").Text()), " "); s != "Checked 2 spans in 2 traces of gateway from Tempo (a sample: the search's first 2)." {
		t.Errorf("sample %q", s)
	}
	var rules []string
	d.Find(".quality-rule").Each(func(_ int, s *goquery.Selection) { rules = append(rules, s.AttrOr("id", "")) })
	if strings.Join(rules, " ") != "rule-id-in-name rule-pii rule-deprecated-attribute" {
		t.Errorf("rules %q", rules)
	}
	ex := d.Find("#rule-pii tbody tr")
	if ex.Length() != 1 || !strings.Contains(ex.Text(), "user.contact looks like an e-mail address") || strings.Contains(w.Body.String(), "ann@example.com") {
		t.Errorf("pii example %q", ex.Text())
	}
	href := ex.Find("a").AttrOr("href", "")
	if !strings.HasPrefix(href, "/traces/1a2b3c4d5e6f708192a3b4c5d6e7f809?backend=tempo&from=") || !strings.HasSuffix(href, "#s-00000000000000e1") {
		t.Errorf("example link %q", href)
	}
	if d.Find(".quality-clean li").Length() != 6 {
		t.Errorf("clean rules %q", d.Find(".quality-clean").Text())
	}
}

func TestQualityPageProblems(t *testing.T) {
	a := newTraceApp(t, checkoutTrace())
	for _, c := range []struct {
		url    string
		status int
		want   string
	}{
		{"/quality", http.StatusOK, ""},
		{"/quality?service=nobody", http.StatusOK, `No trace of "nobody" in this window`},
		{"/quality?service=gateway&backend=elsewhere", http.StatusBadRequest, `There is no trace backend "elsewhere" here.`},
	} {
		w := a.get(t, c.url)
		d := doc(t, w)
		if got := strings.TrimSpace(d.Find(".diff-problem").Text()); w.Code != c.status || !strings.Contains(got, c.want) || (c.want == "") != (got == "") {
			t.Errorf("%s: %d %q, want %d %q", c.url, w.Code, got, c.status, c.want)
		}
		if d.Find(".quality-form").Length() != 1 {
			t.Errorf("%s: no form", c.url)
		}
	}
	// Not configured: said, with its status.
	b := newApp(t, Options{})
	if w := b.get(t, "/quality?service=gateway"); w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "not configured") {
		t.Errorf("no backend: %d %s", w.Code, doc(t, w).Find(".diff-problem").Text())
	}
}
