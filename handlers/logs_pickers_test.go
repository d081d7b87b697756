package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

func pushPickerLines(t *testing.T, f *logsFixture) {
	t.Helper()
	f.push(t, "payments", "error",
		lokitest.Entry{Time: logBase, Line: `{"level":"error","msg":"charge failed","order_id":"ord-1"}`, Metadata: map[string]string{"trace_id": traceHex}},
		lokitest.Entry{Time: logBase.Add(time.Second), Line: `{"level":"error","msg":"charge failed","order_id":"ord-\"2\""}`})
	f.push(t, "orders", "info", lokitest.Entry{Time: logBase.Add(2 * time.Second), Line: `level=info msg="order loaded" order_id=ord-3`})
}

func logsPickerURL(q string, extra ...string) string {
	v := url.Values{"q": {q}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/logs?" + v.Encode() + "&" + window()
}

// Stream labels for the query's selector, then values that narrow it;
// fields from Loki's detected fields API, whose values add a parser and a
// label filter.
func TestLogsPickerLabelsAndFields(t *testing.T) {
	f := newLogsApp(t, Options{})
	pushPickerLines(t, f)
	q := `{service_name=~".+"} |= "o"`

	d := doc(t, f.app.get(t, logsPickerURL(q, "labels", "1")))
	p := d.Find("#picker-logql")
	if got := p.Find(".pick-group").First().Find("a.pick-name").Text(); got != "levelservice_name" {
		t.Errorf("stream labels %q", got)
	}
	fields := p.Find(".pick-group").Eq(1)
	order := fields.Find(`a.pick-name:contains("order_id")`)
	if order.Length() != 1 || !strings.Contains(order.Parent().Text(), "json · 3 values") {
		t.Errorf("fields: %q", fields.Text())
	}
	if hrefQuery(t, order).Get("parser") != "json" || hrefQuery(t, order).Get("field") != "order_id" {
		t.Errorf("field link %q", order.AttrOr("href", ""))
	}
	if !strings.Contains(fields.Text(), "trace_id") || !strings.Contains(fields.Text(), "metadata") {
		t.Errorf("structured metadata missing from fields: %q", fields.Text())
	}

	d = doc(t, f.app.get(t, logsPickerURL(q, "pick", "service_name")))
	vals := d.Find("#picker-logql a.pick-value")
	if vals.Length() != 2 {
		t.Fatalf("values: %q", d.Find("#picker-logql").Text())
	}
	if got := hrefQuery(t, vals.Eq(1)); got.Get("q") != `{service_name="payments"} |= "o"` || got.Get("from") == "" {
		t.Errorf("value link q=%q from=%q", got.Get("q"), got.Get("from"))
	}

	d = doc(t, f.app.get(t, logsPickerURL(`{service_name="payments"}`, "field", "order_id", "parser", "json")))
	vals = d.Find("#picker-logql a.pick-value")
	want := map[string]string{"ord-1": `{service_name="payments"} | json | order_id="ord-1"`, `ord-"2"`: `{service_name="payments"} | json | order_id="ord-\"2\""`}
	if vals.Length() != 2 {
		t.Fatalf("field values: %q", d.Find("#picker-logql").Text())
	}
	for i := range 2 {
		v := vals.Eq(i)
		if w := want[v.Text()]; hrefQuery(t, v).Get("q") != w {
			t.Errorf("value %q: q=%q, want %q", v.Text(), hrefQuery(t, v).Get("q"), w)
		}
	}
}

// A Loki older than 3.1 has no detected fields: the fields of the newest
// lines stand in, and the picker says so.
func TestLogsPickerWithoutDetectedFields(t *testing.T) {
	f := newLogsApp(t, Options{}, lokitest.WithoutDetectedFields())
	pushPickerLines(t, f)
	d := doc(t, f.app.get(t, logsPickerURL(`{service_name=~".+"}`, "field", "order_id", "parser", "logfmt")))
	p := d.Find("#picker-logql")
	if !strings.Contains(p.Text(), "no detected fields API") || p.Find(`a.pick-name:contains("order_id")`).Length() != 1 {
		t.Errorf("fallback fields: %q", p.Text())
	}
	if n := p.Find("a.pick-value").Length(); n != 3 {
		t.Errorf("%d values from the lines, want 3: %q", n, p.Text())
	}
}

// A Loki that is down fails the picker alone: the page and its panels
// still render.
func TestLogsPickerFailsAlone(t *testing.T) {
	c, err := loki.New(datasources.Config{URL: closingServer(t), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	a := newApp(t, Options{Loki: c, PanelTimeout: 500 * time.Millisecond})
	w := a.get(t, logsPickerURL(`{service_name="a"}`, "labels", "1"))
	d := doc(t, w)
	if w.Code != http.StatusOK || panelOf(d, "Lines").Length() != 1 {
		t.Fatalf("status %d; the page must render", w.Code)
	}
	if got := d.Find("#picker-logql .error-text").Text(); !strings.Contains(got, "unreachable") {
		t.Errorf("picker error %q", got)
	}
}

// The fragment applies a chosen value to the query sent, as the script
// sends the box's text.
func TestLogsLabelsFragment(t *testing.T) {
	f := newLogsApp(t, Options{})
	pushPickerLines(t, f)
	w := f.app.get(t, "/logs/labels?"+url.Values{"q": {`{service_name="payments"} |= "x"`}, "pick": {"level"}, "value": {"error"}}.Encode()+"&"+window())
	d := doc(t, w)
	if got := d.Find("#picker-logql").AttrOr("data-query", ""); got != `{service_name="payments", level="error"} |= "x"` {
		t.Errorf("data-query = %q (%d)", got, w.Code)
	}
}
