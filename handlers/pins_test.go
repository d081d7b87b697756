package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/store"
	"github.com/ariadne-dev/ariadne/store/storetest"
	"github.com/ariadne-dev/ariadne/views"
)

const (
	spanB2   = "00000000000000b2"
	failNs   = "1795687200090000000" // 2026-11-26T10:00:00.09Z
	failLbls = `{level="error", service_name="payments"}`
)

func TestPinSpanIntoNewInvestigationThenRetry(t *testing.T) {
	a := newInvApp(t)
	form := pinFields("span", "k-span", "trace_id", traceHex, "span_id", spanB2, "new_title", "Checkout 502s",
		"return_to", "/traces/"+traceHex+"?span="+spanB2)
	w := a.post(t, "/pins", form)
	wantCode(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/traces/"+traceHex+"?span="+spanB2 {
		t.Errorf("redirect to %q, want back to the trace", loc)
	}
	inv := onlyOne(a.st.List(context.Background(), store.Filter{}))(t)
	it := onlyOne(a.st.Items(context.Background(), inv.ID))(t)
	if inv.Title != "Checkout 502s" || it.Kind != "span" || it.Title != "payments: POST /charge" || it.Author != "local" {
		t.Errorf("pinned %+v into %+v", it, inv)
	}
	// The server asked Tempo and froze what it answered.
	tr := it.Snapshot.Trace
	if tr == nil || tr.Focus != spanB2 || tr.TotalSpans != 4 || it.Ref.TraceID != traceHex || it.Ref.SpanID != spanB2 {
		t.Fatalf("snapshot %+v ref %+v", tr, it.Ref)
	}

	// The notice shows on the next page, once.
	// It links to the pinned item (#20 item 9: it was plain text).
	b := doc(t, a.get(t, "/investigations")).Find(".banner.ok")
	if text := strings.Join(strings.Fields(b.Text()), " "); text != "Pinned “payments: POST /charge” to “Checkout 502s”. Open the investigation" {
		t.Errorf("banner %q", text)
	}
	if href, _ := b.Find("a").Attr("href"); href != "/investigations/"+invItoa(inv.ID)+"#item-"+invItoa(it.ID) {
		t.Errorf("banner link %q", href)
	}
	if doc(t, a.get(t, "/investigations")).Find(".banner.ok").Length() != 0 {
		t.Error("the notice showed twice")
	}

	// A double click or a retry: same key, one item, one investigation.
	w = a.post(t, "/pins", form)
	wantCode(t, w, http.StatusSeeOther)
	onlyOne(a.st.List(context.Background(), store.Filter{}))(t)
	onlyOne(a.st.Items(context.Background(), inv.ID))(t)
	if got := doc(t, a.get(t, "/investigations")).Find(".banner.ok").Text(); !strings.HasPrefix(got, "Already pinned") {
		t.Errorf("retry banner %q", got)
	}
}

func TestPinEveryKind(t *testing.T) {
	a := newInvApp(t)
	inv, err := a.st.Create(context.Background(), store.NewInvestigation{Title: "All kinds", Author: "local"})
	if err != nil {
		t.Fatal(err)
	}
	id := invItoa(inv.ID)
	tests := []struct {
		kind, title string
		kv          []string
		check       func(t *testing.T, it store.Item)
	}{
		{"trace", "gateway: POST /api/checkout", []string{"trace_id", traceHex}, func(t *testing.T, it store.Item) {
			if len(it.Snapshot.Trace.Spans) != 4 || it.Snapshot.Trace.Focus != "" {
				t.Errorf("trace snapshot %+v", it.Snapshot.Trace)
			}
		}},
		{"log_query", `{service_name="payments"}`, []string{"q", `{service_name="payments"}`, "from", "2026-11-26T09:59:00Z", "to", "2026-11-26T10:01:00Z"}, func(t *testing.T, it store.Item) {
			if l := it.Snapshot.Lines; len(l) != 2 || l[0].Line != failLine {
				t.Errorf("lines %+v, want both, newest (the failure) first", l)
			}
		}},
		{"log_line", "charge failed: payment provider did not answer", []string{"time_ns", failNs, "labels", failLbls, "line", failLine}, func(t *testing.T, it store.Item) {
			l := it.Snapshot.Lines
			if len(l) != 1 || l[0].Labels["service_name"] != "payments" || l[0].TimeNs != 1795687200090000000 {
				t.Errorf("line %+v", l)
			}
			if it.Ref.Query != failLbls || it.Ref.From.Format("15:04:05") != "09:55:00" {
				t.Errorf("ref %+v: want the stream and ±5 min around the line", it.Ref)
			}
		}},
		{"exemplar", "Exemplar 1.25 → trace 4bf92f35…", []string{"trace_id", traceHex, "value", "1.25", "time", "2026-11-26T10:00:00.1Z", "labels", `{service="payments", route="/charge"}`}, func(t *testing.T, it store.Item) {
			e := it.Snapshot.Exemplar
			if e == nil || e.Value != 1.25 || e.SeriesLabels["route"] != "/charge" || e.TMs != 1795687200100 {
				t.Errorf("exemplar %+v", e)
			}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			kv := append([]string{"investigation_id", id}, tt.kv...)
			wantCode(t, a.post(t, "/pins", pinFields(tt.kind, "k-"+tt.kind, kv...)), http.StatusSeeOther)
			items, err := a.st.Items(context.Background(), inv.ID)
			if err != nil || len(items) != i+1 {
				t.Fatalf("%d items, err %v", len(items), err)
			}
			it := items[i]
			if it.Kind != tt.kind || it.Title != tt.title {
				t.Errorf("item %s %q, want %s %q", it.Kind, it.Title, tt.kind, tt.title)
			}
			tt.check(t, it)
		})
	}
}

func TestPinFailsWholeWhenTheBackendFails(t *testing.T) {
	a := newInvApp(t)
	tests := []struct {
		name   string
		form   url.Values
		status int
		msg    string
	}{
		{"unknown trace", pinFields("trace", "k1", "trace_id", "0123456789abcdef0123456789abcdef", "new_title", "x"), http.StatusNotFound, "Nothing was pinned: Tempo has no trace"},
		{"span not in trace", pinFields("span", "k2", "trace_id", traceHex, "span_id", "00000000000000ee", "new_title", "x"), http.StatusNotFound, "has no span 00000000000000ee"},
		{"bad LogQL", pinFields("log_query", "k3", "q", "{service_name=", "new_title", "x"), http.StatusBadRequest, "Nothing was pinned"},
		{"unknown kind", pinFields("video", "k4", "new_title", "x"), http.StatusBadRequest, "Unknown pin kind"},
		{"no key", pinFields("trace", "", "trace_id", traceHex, "new_title", "x"), http.StatusBadRequest, "idempotency_key"},
		{"no target", pinFields("trace", "k5", "trace_id", traceHex), http.StatusBadRequest, "Choose an investigation"},
		{"bad trace id", pinFields("trace", "k6", "trace_id", "xyz", "new_title", "x"), http.StatusBadRequest, "trace_id"},
		{"unknown investigation", pinFields("trace", "k7", "trace_id", traceHex, "investigation_id", "999999"), http.StatusNotFound, "no such investigation"},
		{"bad labels", pinFields("log_line", "k8", "time_ns", failNs, "line", "x", "labels", `{a=b}`, "new_title", "x"), http.StatusBadRequest, "double-quoted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := a.post(t, "/pins", tt.form)
			wantCode(t, w, tt.status)
			if msg := doc(t, w).Find("main p").First().Text(); !strings.Contains(msg, tt.msg) {
				t.Errorf("message %q lacks %q", msg, tt.msg)
			}
		})
	}
	// Tempo down: 502, and no investigation was created half-way.
	a.tempo.Close()
	w := a.post(t, "/pins", pinFields("span", "k9", "trace_id", traceHex, "span_id", spanB2, "new_title", "Down"))
	wantCode(t, w, http.StatusBadGateway)
	if msg := doc(t, w).Find("main p").First().Text(); !strings.Contains(msg, "Tempo is unreachable") || !strings.Contains(msg, "will not pin twice") {
		t.Errorf("message %q", msg)
	}
	if list, _ := a.st.List(context.Background(), store.Filter{}); len(list) != 0 {
		t.Errorf("a failed pin left %d investigations behind", len(list))
	}
}

func TestPinReturnsOnlyToLocalPaths(t *testing.T) {
	a := newInvApp(t)
	for i, rt := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "", "logs"} {
		w := a.post(t, "/pins", pinFields("log_line", "rt-"+invItoa(int64(i)), "time_ns", failNs, "line", "x", "new_title", "Redirects", "return_to", rt))
		wantCode(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "/investigations/") {
			t.Errorf("return_to %q redirected to %q, want the investigation", rt, loc)
		}
	}
	w := a.post(t, "/pins", pinFields("log_line", "rt-ok", "time_ns", failNs, "line", "x", "new_title", "Redirects", "return_to", "/logs?q=%7Bservice_name%3D%22payments%22%7D"))
	if loc := w.Header().Get("Location"); loc != "/logs?q=%7Bservice_name%3D%22payments%22%7D" {
		t.Errorf("local return_to redirected to %q", loc)
	}
}

func invItoa(i int64) string { return strconv.FormatInt(i, 10) }

// The pin form other pages embed: open investigations newest first, a
// fresh key per form, and a clear message instead of a select when
// Postgres is down.
func TestPinFormsForOtherPages(t *testing.T) {
	a := newInvApp(t)
	ctx := context.Background()
	for _, title := range []string{"Older", "Resolved one", "Newest"} {
		inv, err := a.st.Create(ctx, store.NewInvestigation{Title: title, Author: "local"})
		if err != nil {
			t.Fatal(err)
		}
		if title == "Resolved one" {
			a.st.Update(ctx, inv.ID, 1, title, store.StatusResolved, "local")
		}
	}
	render := func() (*goquery.Document, views.PinFormData, views.PinFormData) {
		c := a.e.NewContext(httptest.NewRequest(http.MethodGet, "/traces/"+traceHex+"?span="+spanB2, nil), httptest.NewRecorder())
		c.Set("csrf", "tok")
		pf := a.h.pinForms(c)
		f1 := pf.Form("span", "Pin span", views.Hidden{Name: "trace_id", Value: traceHex}, views.Hidden{Name: "span_id", Value: spanB2})
		f2 := pf.Form("trace", "Pin trace", views.Hidden{Name: "trace_id", Value: traceHex})
		var buf bytes.Buffer
		if err := views.PinForm(f1).Render(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		d, _ := goquery.NewDocumentFromReader(&buf)
		return d, f1, f2
	}
	d, f1, f2 := render()
	opts := d.Find("select[name=investigation_id] option").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if strings.Join(opts, "|") != "Newest|Older" {
		t.Errorf("targets %q, want the open ones, newest first", opts)
	}
	if f1.Key == f2.Key || len(f1.Key) != 32 {
		t.Errorf("keys %q and %q: want a fresh one per form", f1.Key, f2.Key)
	}
	fields := map[string]string{}
	d.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		fields[n] = v
	})
	want := map[string]string{"_csrf": "tok", "kind": "span", "trace_id": traceHex, "span_id": spanB2,
		"return_to": "/traces/" + traceHex + "?span=" + spanB2, "idempotency_key": f1.Key}
	for k, v := range want {
		if fields[k] != v {
			t.Errorf("hidden %s = %q, want %q", k, fields[k], v)
		}
	}

	a.db.down.Store(true)
	a.h.db.check(a.h.log)
	d, _, _ = render()
	if got := d.Find(".form-error").Text(); !strings.Contains(got, "Investigations are unavailable") || d.Find("button").Length() != 0 {
		t.Errorf("with Postgres down the form shows %q and %d buttons", got, d.Find("button").Length())
	}
}

// The notice's link is the client's cookie: only a path on this site is
// followed.
func TestFlashLinkStaysOnSite(t *testing.T) {
	a := newApp(t, Options{})
	for link, want := range map[string]string{"/investigations/3#item-9": "/investigations/3#item-9", "https://evil.example/x": "", "//evil.example/x": ""} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(&http.Cookie{Name: flashCookie, Value: url.Values{"m": {"Pinned."}, "u": {link}}.Encode()})
		b := doc(t, a.do(t, r)).Find(".banner.ok")
		href, _ := b.Find("a").Attr("href")
		if !strings.Contains(b.Text(), "Pinned.") || href != want {
			t.Errorf("flash link %q: banner %q, link %q, want %q", link, b.Text(), href, want)
		}
	}
}

// TestPinFormNamesItsTarget: the pin form says where a pin will go before
// it is made, and that is the investigation the user last pinned to, not
// simply the newest (#20 item 9).
func TestPinFormNamesItsTarget(t *testing.T) {
	a := newInvApp(t)
	first, _ := pinCheckout(t, a) // "Checkout 502s"
	wantCode(t, a.post(t, "/pins", pinFields("trace", "k-other", "trace_id", traceHex, "new_title", "Another incident")), http.StatusSeeOther)
	target := func() (string, string) {
		d := doc(t, a.get(t, "/traces/"+traceHex))
		return d.Find(".trace-links details.pin summary").Text(), d.Find(".trace-links details.pin select option").First().Text()
	}
	if summary, def := target(); !strings.Contains(summary, "to “Another incident”") || def != "Another incident" {
		t.Errorf("after pinning to the new one: summary %q, default %q", summary, def)
	}
	// Back to the older investigation: the next pin goes there too.
	wantCode(t, a.post(t, "/pins", pinFields("trace", "k-back", "trace_id", traceHex, "investigation_id", invItoa(first))), http.StatusSeeOther)
	if summary, def := target(); !strings.Contains(summary, "to “Checkout 502s”") || def != "Checkout 502s" {
		t.Errorf("after pinning to the older one: summary %q, default %q", summary, def)
	}
}

// TestPinnedGraphKeepsExemplarsAndSpikes: a pinned graph keeps the
// graph's exemplars (those naming a trace), and its card shows them with
// the spike and the values in the query's unit; a Prometheus that fails
// the exemplar query still pins the graph, saying what is missing
// (#20 item 9).
func TestPinnedGraphKeepsExemplarsAndSpikes(t *testing.T) {
	spike := graphNow.Add(-5 * time.Minute)
	f := &fakeMetrics{series: []datasources.Series{p99(map[string]string{"service": "orders"})},
		exemplars: []datasources.Exemplar{
			exemplar("orders", "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", spike, 1.9),
			exemplar("orders", "span_id", "00f067aa0ba902b7", spike, 2.2), // names no trace
		}}
	st := store.New(storetest.NewPool(t))
	a := &invApp{testApp: newApp(t, Options{Store: st, Prometheus: f, DefaultUser: "local", Now: func() time.Time { return graphNow }}),
		st: st, cookies: map[string]*http.Cookie{}}
	a.session(t, a.get(t, "/investigations"))
	q := `histogram_quantile(0.99, sum by (le, service) (rate(http_server_request_duration_seconds_bucket[1m])))`
	pin := func(key string) store.Item {
		t.Helper()
		wantCode(t, a.post(t, "/pins", pinFields("graph", key, "q", q, "from", "now-10m", "to", "now", "new_title", "Graph "+key)), http.StatusSeeOther)
		list, _ := st.List(context.Background(), store.Filter{})
		items, _ := st.Items(context.Background(), list[0].ID)
		return items[0]
	}
	it := pin("k-graph")
	if ex := it.Snapshot.Exemplars; len(ex) != 1 || ex[0].TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || ex[0].Value != 1.9 {
		t.Fatalf("kept exemplars %+v", ex)
	}
	card := doc(t, a.get(t, links.Investigation(it.InvestigationID))).Find(".mini-graph")
	if card.Find("rect.spike").Length() != 1 || card.Find("circle.exemplar.other").Length() != 1 || !strings.Contains(card.Find(".ymax").Text(), " s") {
		t.Errorf("card: %d spikes, %d exemplars, top %q", card.Find("rect.spike").Length(), card.Find("circle.exemplar.other").Length(), card.Find(".ymax").Text())
	}
	f.exErr = errors.New("exemplar storage is off")
	if it := pin("k-graph-2"); len(it.Snapshot.Series) != 1 || len(it.Snapshot.Omitted) == 0 || !strings.Contains(strings.Join(it.Snapshot.Omitted, " "), "exemplars") {
		t.Errorf("pinned without exemplars: series %d, omitted %q", len(it.Snapshot.Series), it.Snapshot.Omitted)
	}
}
