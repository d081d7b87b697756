package links

import (
	"testing"
	"time"
)

func TestURLs(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 30, 0, 0, time.FixedZone("x", 3600)) // 09:30 UTC
	w := TimeRange{From: at.Add(-90 * time.Second), To: at.Add(1500 * time.Millisecond)}
	rel := TimeRange{RawFrom: "now-15m", RawTo: "now", From: at.Add(-15 * time.Minute), To: at}
	tests := []struct{ name, got, want string }{
		{"trace", Trace("4bf92f3577b34da6a3ce929d0e0e4736", TraceParams{}), "/traces/4bf92f3577b34da6a3ce929d0e0e4736"},
		{"trace in a window rounds outwards, in UTC", Trace("4bf9", TraceParams{Window: w}),
			"/traces/4bf9?from=2026-11-26T09%3A28%3A30Z&to=2026-11-26T09%3A30%3A02Z"},
		{"trace with a span scrolls to it", Trace("4bf9", TraceParams{Span: "00f067aa0ba902b7"}),
			"/traces/4bf9?span=00f067aa0ba902b7#s-00f067aa0ba902b7"},
		{"window and span, in sorted order", Trace("4bf9", TraceParams{Window: rel, Span: "00f0"}), "/traces/4bf9?from=now-15m&span=00f0&to=now#s-00f0"},
		{"exemplar's trace: 15 minutes either side", ExemplarTrace("4bf9", at),
			"/traces/4bf9?from=2026-11-26T09%3A15%3A00Z&to=2026-11-26T09%3A45%3A00Z"},
		{"span fragment", SpanFragment("4bf9", "00f067aa0ba902b7"), "/traces/4bf9/spans/00f067aa0ba902b7"},
		{"search keeps a relative window relative", TraceSearch(`{ status = error }`, rel),
			"/traces?from=now-15m&q=%7B+status+%3D+error+%7D&to=now"},
		{"logs of a span", Logs(LogsParams{TraceID: "4bf9", SpanID: "00f0", Window: w}),
			"/logs?from=2026-11-26T09%3A28%3A30Z&span_id=00f0&to=2026-11-26T09%3A30%3A02Z&trace_id=4bf9"},
		{"service logs escape the name", ServiceLogs(`pay"ments`, TimeRange{From: at, To: at.Add(time.Minute)}),
			"/logs?from=2026-11-26T09%3A30%3A00Z&q=%7Bservice_name%3D%22pay%5C%22ments%22%7D&to=2026-11-26T09%3A31%3A00Z"},
		{"log context", LogContext(`{a="b"}`, 1795687200090000000, "ab12"), "/logs/context?h=ab12&stream=%7Ba%3D%22b%22%7D&ts=1795687200090000000"},
		{"log line", LogLine(`{a="b"} | json`, `{a="b", c="d"}`, 17, "z9"), "/logs/line?h=z9&q=%7Ba%3D%22b%22%7D+%7C+json&stream=%7Ba%3D%22b%22%2C+c%3D%22d%22%7D&ts=17"},
		{"log line without a query", LogLine("", `{a="b"}`, 17, "z9"), "/logs/line?h=z9&stream=%7Ba%3D%22b%22%7D&ts=17"},
		{"log line's fields", LogLineBody(LogLine("", `{a="b"}`, 17, "z9")), "/logs/line/body?h=z9&stream=%7Ba%3D%22b%22%7D&ts=17"},
		{"fields of a URL that is no line's", LogLineBody("/logs?q=x"), ""},
		{"graph names its queries q, q2, …", Graph([]string{"up", "rate(x[1m])"}, rel), "/graph?from=now-15m&q=up&q2=rate%28x%5B1m%5D%29&to=now"},
		{"investigation", Investigation(42), "/investigations/42"},
		{"investigation item", InvestigationItem(42, 7), "/investigations/42#item-7"},
		{"share", Share("tok"), "/s/tok"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestWindows(t *testing.T) {
	start := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	s, e := start.UnixNano(), start.Add(90*time.Millisecond).UnixNano()
	tests := []struct {
		name     string
		got      TimeRange
		from, to string
	}{
		{"a trace's logs: its own span ± 1 min, whole seconds outwards", TraceWindow(s, e), "2026-11-26T09:59:00Z", "2026-11-26T10:01:01Z"},
		{"its RED graphs: ± 15 min", MetricsWindow(s, e, time.Unix(0, e).Add(time.Hour)), "2026-11-26T09:45:00Z", "2026-11-26T10:15:01Z"},
		{"an exemplar: ± 15 min", ExemplarWindow(start), "2026-11-26T09:45:00Z", "2026-11-26T10:15:00Z"},
		{"a pinned line: ± 5 min", LineWindow(start.Add(100 * time.Millisecond)), "2026-11-26T09:55:00Z", "2026-11-26T10:05:01Z"},
		{"show context: ± 1 h", ContextWindow(start), "2026-11-26T09:00:00Z", "2026-11-26T11:00:00Z"},
	}
	for _, tt := range tests {
		if tt.got.RawFrom != tt.from || tt.got.RawTo != tt.to || !tt.got.From.Equal(mustTime(t, tt.from)) || !tt.got.To.Equal(mustTime(t, tt.to)) {
			t.Errorf("%s: %s … %s, want %s … %s", tt.name, tt.got.RawFrom, tt.got.RawTo, tt.from, tt.to)
		}
	}
	a, b := LookupWindow(TimeRange{From: start, To: start.Add(time.Minute)})
	if !a.Equal(start.Add(-time.Hour)) || !b.Equal(start.Add(61*time.Minute)) {
		t.Errorf("lookup window %s … %s", a, b)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestServiceLinks(t *testing.T) {
	w := TimeRange{RawFrom: "now-15m", RawTo: "now"}
	if got, want := Service("postgresql shop", w), "/services/postgresql%20shop?from=now-15m&to=now"; got != want {
		t.Errorf("Service %q, want %q", got, want)
	}
	if got, want := Service("a/b", TimeRange{}), "/services/a%2Fb"; got != want {
		t.Errorf("Service %q, want %q", got, want)
	}
	if got, want := ServiceTraces("orders", "jaeger", true, w), "/traces?backend=jaeger&errors=1&from=now-15m&service=orders&to=now"; got != want {
		t.Errorf("ServiceTraces %q, want %q", got, want)
	}
}

// A page of lines shares each second's window; every link still reads as
// the line's own, whole or written from its parts.
func TestExemplarTracesAreExemplarTrace(t *testing.T) {
	base := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	var links ExemplarTraces
	for i, d := range []time.Duration{0, 0, time.Millisecond, 999 * time.Millisecond, time.Second, time.Second, 1500 * time.Millisecond, -time.Minute, time.Hour} {
		at := base.Add(d)
		id := []string{"4bf92f3577b34da6a3ce929d0e0e4736", "00000000000000000000000000000abc"}[i%2]
		want := ExemplarTrace(id, at)
		if got := links.URL(id, at); got != want {
			t.Errorf("%v: %s, want %s", d, got, want)
		}
		if got := TracesPath + "/" + id + links.Query(at); got != want {
			t.Errorf("%v: from its parts %s, want %s", d, got, want)
		}
	}
}
