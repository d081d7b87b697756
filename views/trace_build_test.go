package views

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/correlation/trace"
	"github.com/ariadne-dev/ariadne/datasources"
)

// buildTestTrace: gateway (0–100 ms) → payments (20–90 ms, failing) →
// provider (30–80 ms), and inventory (0–10 ms) under gateway.
func buildTestTrace() *trace.TraceTree {
	base := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC).UnixNano()
	res := func(s string) *datasources.Resource { return &datasources.Resource{Service: s} }
	ms := func(n int64) int64 { return base + n*1e6 }
	tr := &datasources.Trace{ID: "4bf92f3577b34da6a3ce929d0e0e4736", Spans: []datasources.Span{
		{SpanID: "00000000000000a1", Name: "POST /api/checkout", StartNs: ms(0), EndNs: ms(100), Resource: res("gateway"), Kind: datasources.KindServer},
		{SpanID: "00000000000000b2", ParentSpanID: "00000000000000a1", Name: "POST /charge", StartNs: ms(20), EndNs: ms(90), Resource: res("payments"),
			Status: datasources.StatusError, Details: &datasources.SpanDetails{StatusMsg: "provider did not answer"}},
		{SpanID: "00000000000000c3", ParentSpanID: "00000000000000b2", Name: "charge", StartNs: ms(30), EndNs: ms(80), Resource: res("provider")},
		{SpanID: "00000000000000d4", ParentSpanID: "00000000000000a1", Name: "reserve", StartNs: ms(0), EndNs: ms(10), Resource: res("inventory")},
	}}
	for i := range tr.Spans {
		tr.Spans[i].TraceID = tr.ID
	}
	return trace.BuildTree(tr, false)
}

func TestBuildTrace(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 5, 0, 0, time.UTC)
	tests := []struct {
		name  string
		opt   TraceOptions
		check func(t *testing.T, v TraceView)
	}{
		{"header facts", TraceOptions{}, func(t *testing.T, v TraceView) {
			if v.Title != "gateway: POST /api/checkout" || v.Spans != 4 || v.Errors != 1 || v.Services != 4 || v.StartAgo != "5 min ago" || v.Duration != "100 ms" {
				t.Errorf("title %q, %d spans, %d errors, %d services, %q, %q", v.Title, v.Spans, v.Errors, v.Services, v.StartAgo, v.Duration)
			}
		}},
		{"rows in depth-first order, bars to scale, one colour per service", TraceOptions{}, func(t *testing.T, v TraceView) {
			var got []string
			classes := map[string]bool{}
			for _, r := range v.Rows {
				got = append(got, r.SpanID[14:]+" d"+string(rune('0'+r.Depth))+" "+r.X+" "+r.W)
				classes[r.SvcClass] = true
			}
			// Siblings in start order: inventory (0 ms) before payments.
			want := "a1 d0 0.00% 100.00%|d4 d1 0.00% 10.00%|b2 d1 20.00% 70.00%|c3 d2 30.00% 50.00%"
			if strings.Join(got, "|") != want {
				t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "|"), want)
			}
			if len(classes) != 4 {
				t.Errorf("%d colour classes for 4 services", len(classes))
			}
		}},
		{"a selected span: its details, its ancestors open, a window on its links", TraceOptions{Span: "00000000000000c3", Depth: 1,
			Window: url.Values{"from": {"2026-11-26T09:00:00Z"}, "to": {"2026-11-26T11:00:00Z"}}}, func(t *testing.T, v TraceView) {
			if v.Selected == nil || v.Selected.SpanID != "00000000000000c3" {
				t.Fatalf("selected %+v", v.Selected)
			}
			// Depth 1 would close payments; the selection opens it.
			if !v.Rows[0].Open || !v.Rows[2].Open || !v.Rows[3].Selected {
				t.Errorf("the path to the selected span is not open: %+v", v.Rows)
			}
			if !strings.Contains(v.Rows[1].SelectURL, "from=2026-11-26T09%3A00%3A00Z") || !strings.HasSuffix(v.Rows[1].SelectURL, "span=00000000000000d4#s-00000000000000d4") {
				t.Errorf("select URL %q", v.Rows[1].SelectURL)
			}
		}},
		{"focus shows one subtree", TraceOptions{Focus: "00000000000000b2"}, func(t *testing.T, v TraceView) {
			if len(v.Rows) != 2 || v.Rows[0].SpanID != "00000000000000b2" || v.Links.Focus == "" {
				t.Errorf("%d rows from %s, back link %q", len(v.Rows), v.Rows[0].SpanID, v.Links.Focus)
			}
		}},
		{"find searches attributes of every span, marks and opens its matches, keeps the view on its links", TraceOptions{Find: "did not ANSWER", Depth: 1},
			func(t *testing.T, v TraceView) {
				f := v.Find
				if f.Total != 1 || len(f.Items) != 1 || f.Items[0].Field != "status message" || f.Items[0].Service != "payments" || f.IDs != "00000000000000b2" {
					t.Fatalf("find %+v", f)
				}
				// Depth 1 closes gateway's children; the match opens its path.
				if !v.Rows[0].Open || !v.Rows[2].Found || v.Rows[1].Found {
					t.Errorf("rows %+v", v.Rows)
				}
				if !strings.Contains(f.Items[0].URL, "find=did+not+ANSWER") || !strings.HasSuffix(f.Items[0].URL, "span=00000000000000b2#s-00000000000000b2") ||
					!strings.Contains(v.Rows[1].SelectURL, "find=") || !strings.Contains(f.Clear, "depth=1") || strings.Contains(f.Clear, "find=") {
					t.Errorf("match URL %q, select URL %q, clear %q", f.Items[0].URL, v.Rows[1].SelectURL, f.Clear)
				}
				if len(f.Keep) != 1 || f.Keep[0] != (Hidden{Name: "depth", Value: "1"}) {
					t.Errorf("the form keeps %+v", f.Keep)
				}
			}},
		{"find reaches a span outside the rendered subtree", TraceOptions{Find: "inventory", Focus: "00000000000000b2"}, func(t *testing.T, v TraceView) {
			if len(v.Find.Items) != 1 {
				t.Fatalf("find %+v", v.Find)
			}
			u, _ := url.Parse(v.Find.Items[0].URL)
			if q := u.Query(); q.Has("focus") || q.Get("span") != "00000000000000d4" {
				t.Errorf("the link to a span the page does not show: %q", v.Find.Items[0].URL)
			}
		}},
		{"no find: an empty form, no results", TraceOptions{}, func(t *testing.T, v TraceView) {
			if v.Find.Query != "" || v.Find.Items != nil || v.Find.Action != "/traces/4bf92f3577b34da6a3ce929d0e0e4736" {
				t.Errorf("find %+v", v.Find)
			}
		}},
		{"links: the trace's logs and its service's metrics", TraceOptions{}, func(t *testing.T, v TraceView) {
			if v.Links.Logs != "/logs?from=2026-11-26T09%3A59%3A00Z&to=2026-11-26T10%3A01%3A01Z&trace_id=4bf92f3577b34da6a3ce929d0e0e4736" {
				t.Errorf("logs %q", v.Links.Logs)
			}
			m, _ := url.Parse(v.Links.Metrics)
			// The trace ended 5 min ago: its ±15 min window would end
			// 10 min in the future, a fake drop at the live edge; it ends
			// now instead, and stays relative (#20 item 1).
			if m.Path != "/graph" || !strings.Contains(m.Query().Get("q"), `service="gateway"`) || m.Query().Get("q3") == "" ||
				m.Query().Get("from") != "now-20m" || m.Query().Get("to") != "now" {
				t.Errorf("metrics %q", v.Links.Metrics)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, BuildTrace(buildTestTrace(), TraceInput{Options: tt.opt, Now: now, Zone: time.UTC}))
		})
	}
}

func TestBuildSpanDetails(t *testing.T) {
	tree := buildTestTrace()
	for i := range tree.Nodes {
		if tree.Nodes[i].Span.SpanID != "00000000000000b2" {
			continue
		}
		d := BuildSpanDetails(tree, i)
		if d.Kind != "unspecified" || !d.Error || d.StatusMessage != "provider did not answer" || d.Offset != "20.0 ms" || d.Duration != "70.0 ms" || d.Self != "20.0 ms" {
			t.Errorf("details %+v", d)
		}
		// The same window as the span's inline lines (links.SpanWindow).
		if d.LogsURL != "/logs?from=2026-11-26T09%3A59%3A00Z&span_id=00000000000000b2&to=2026-11-26T10%3A01%3A01Z&trace_id=4bf92f3577b34da6a3ce929d0e0e4736" {
			t.Errorf("logs URL %q", d.LogsURL)
		}
		return
	}
	t.Fatal("no span b2")
}
