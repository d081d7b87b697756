package links

import "testing"

func TestAnalysisURLs(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{TraceDiff("4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c"),
			"/traces/diff?a=4bf92f3577b34da6a3ce929d0e0e4736&b=0af7651916cd43dd8448eb211c80319c"},
		{TraceDiff("4bf92f3577b34da6a3ce929d0e0e4736", ""), "/traces/diff?a=4bf92f3577b34da6a3ce929d0e0e4736"},
		{Quality("payments", TimeRange{RawFrom: "now-6h", RawTo: "now"}), "/quality?from=now-6h&service=payments&to=now"},
		{Quality("a b&c", TimeRange{}), "/quality?service=a+b%26c"},
		{TraceSearchForm(SearchForm{Backend: "tempo", Service: "payments", Errors: true, Attrs: []string{"http.route=/charge"},
			Window: TimeRange{RawFrom: "now-15m", RawTo: "now"}}),
			"/traces?attr=http.route%3D%2Fcharge&backend=tempo&build=1&errors=1&from=now-15m&service=payments&to=now"},
		{TraceCompare(SearchForm{Service: "gateway", Min: "1s", Window: TimeRange{RawFrom: "2026-01-02T10:00:00Z", RawTo: "2026-01-02T10:01:30Z"}},
			TimeRange{RawFrom: "now-1h", RawTo: "now"}, 50),
			"/traces/compare?base_from=now-1h&base_to=now&from=2026-01-02T10%3A00%3A00Z&min=1s&sample=50&service=gateway&to=2026-01-02T10%3A01%3A30Z"},
		{TraceCompare(SearchForm{Name: "GET /", Max: "5s", Attrs: []string{"a=1", "b=2"}}, TimeRange{}, 0),
			"/traces/compare?attr=a%3D1&attr=b%3D2&max=5s&name=GET+%2F"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}

func TestSearchFormWithAttrCopies(t *testing.T) {
	base := SearchForm{Attrs: make([]string, 1, 4)}
	base.Attrs[0] = "a=1"
	x, y := base.WithAttr("b=2"), base.WithAttr("c=3")
	if len(base.Attrs) != 1 || x.Attrs[1] != "b=2" || y.Attrs[1] != "c=3" {
		t.Errorf("WithAttr shares its slice: %v %v %v", base.Attrs, x.Attrs, y.Attrs)
	}
}
