package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/lokitest"
)

func reasonRows(d *goquery.Document) []string {
	var rows []string
	d.Find("table.problem-reasons tbody tr").Each(func(_ int, s *goquery.Selection) {
		rows = append(rows, s.Find("td").Eq(0).Text()+": "+s.Find("td").Eq(1).Text())
	})
	return rows
}

// An exemplar names the trace and its services logged it, but no backend
// kept its spans: the page puts "sampled out" first and links its lines.
func TestTraceNotFoundReasonsSampledOut(t *testing.T) {
	m := &fakeMetrics{exemplars: []datasources.Exemplar{
		{Labels: map[string]string{"trace_id": traceHex}, TMs: logBase.UnixMilli(), Value: 0.2},
		{Labels: map[string]string{"trace_id": "0af7651916cd43dd8448eb211c80319c"}, TMs: logBase.UnixMilli()},
	}}
	f := newLogsApp(t, Options{Prometheus: m})
	f.push(t, "gateway", "info", lokitest.Entry{Time: logBase, Line: jsonLine("gateway", "info", "checkout started", traceHex, "00000000000000a1")})
	from, to := logBase.Add(-15*time.Minute).Format(time.RFC3339), logBase.Add(15*time.Minute).Format(time.RFC3339)
	w := f.app.get(t, "/traces/"+traceHex+"?"+url.Values{"from": {from}, "to": {to}}.Encode())
	if w.Code != http.StatusNotFound {
		t.Fatalf("status %d", w.Code)
	}
	d := doc(t, w)
	rows := reasonRows(d)
	want := []string{"Sampled out: likely", "Outside retention: possible", "In another backend: ruled out", "Not yet ingested: ruled out"}
	if strings.Join(rows, "; ") != strings.Join(want, "; ") {
		t.Errorf("reasons %q, want %q", rows, want)
	}
	why := d.Find("table.problem-reasons tbody tr").First().Find("td").Eq(2).Text()
	if !strings.Contains(why, "A metric recorded an exemplar for it and 1 log line carries its ID") {
		t.Errorf("why %q", why)
	}
	if m.exQuery != notFoundExemplarQuery {
		t.Errorf("exemplars asked with %q", m.exQuery)
	}
	logs := d.Find(`main a.button:contains("log lines (they survive sampling)")`)
	if logs.Length() != 1 || !strings.HasPrefix(logs.AttrOr("href", ""), "/logs?") || !strings.Contains(logs.AttrOr("href", ""), traceHex) {
		t.Errorf("no link to the trace's lines: %q", logs.AttrOr("href", ""))
	}
	if c := d.Find("main p.muted").Text(); !strings.Contains(c, "Prometheus's exemplars") || !strings.Contains(c, "Loki's lines") {
		t.Errorf("checked %q", c)
	}
}

// A pasted ID with nothing to go on: everything is possible, and a
// configured retention rules nothing out without a moment to judge by.
func TestTraceNotFoundReasonsNothingKnown(t *testing.T) {
	f := newLogsApp(t, Options{TraceRetention: 14 * 24 * time.Hour})
	w := f.app.get(t, "/traces/"+traceHex)
	if w.Code != http.StatusNotFound {
		t.Fatalf("status %d", w.Code)
	}
	rows := reasonRows(doc(t, w))
	want := []string{"Not yet ingested: possible", "Outside retention: possible", "Sampled out: possible", "In another backend: ruled out"}
	if strings.Join(rows, "; ") != strings.Join(want, "; ") {
		t.Errorf("reasons %q, want %q", rows, want)
	}
}
