package links

import "testing"

func TestAnalysisURLs(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{TraceDiff("4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c"),
			"/traces/diff?a=4bf92f3577b34da6a3ce929d0e0e4736&b=0af7651916cd43dd8448eb211c80319c"},
		{TraceDiff("4bf92f3577b34da6a3ce929d0e0e4736", ""), "/traces/diff?a=4bf92f3577b34da6a3ce929d0e0e4736"},
		{Quality("payments", TimeRange{RawFrom: "now-6h", RawTo: "now"}), "/quality?from=now-6h&service=payments&to=now"},
		{Quality("a b&c", TimeRange{}), "/quality?service=a+b%26c"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}
