package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
)

// When Tempo fails, the trace page keeps its shell and offers a way on:
// a retry, and the trace's logs (Loki may still answer). A Tempo behind a
// proxy that answers with HTML pages shows a summary, never the page, and
// a refused login is Tempo's problem (502), not the user's bad request.
func TestTracePageWhenTempoFails(t *testing.T) {
	page := func(status int, body string) string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	nginx := func(code int, text string) string {
		return "<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	}
	tests := []struct {
		name   string
		url    string
		status int
		says   string
	}{
		{"down", closingServer(t), http.StatusBadGateway, "Tempo is unreachable."},
		{"401 login page", page(401, nginx(401, "401 Authorization Required")), http.StatusBadGateway,
			"Tempo answered 401 Unauthorized: check the tenant (X-Scope-OrgID) and credentials Ariadne is configured with for Tempo."},
		{"429 page", page(429, nginx(429, "429 Too Many Requests")), http.StatusBadGateway,
			"Tempo is rate limiting requests (429 Too Many Requests); try again in a moment."},
		{"502 page", page(502, nginx(502, "502 Bad Gateway")), http.StatusBadGateway, "Tempo answered 502 Bad Gateway."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc, err := tempo.New(datasources.Config{URL: tt.url, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			a := newApp(t, Options{Tempo: tc})
			w := a.get(t, "/traces/"+traceHex+"?from=1700000000&to=1700000600")
			d := doc(t, w)
			main := d.Find("main").Text()
			if w.Code != tt.status || !strings.Contains(main, tt.says) {
				t.Errorf("status %d, want %d; page says %q, want %q", w.Code, tt.status, main, tt.says)
			}
			if strings.Contains(main, "<html") || strings.Contains(main, "nginx") || strings.Contains(main, "<center>") {
				t.Errorf("the proxy's page is shown: %q", main)
			}
			if d.Find("nav").Length() == 0 {
				t.Error("the page shell (navigation) is missing")
			}
			if box, _ := d.Find(`input[name="trace_id"]`).Attr("value"); box != traceHex {
				t.Errorf("trace box holds %q, want the ID to edit or retry", box)
			}
			retry, _ := d.Find(`a:contains("Try again")`).Attr("href")
			if retry != "/traces/"+traceHex+"?from=1700000000&to=1700000600" {
				t.Errorf("retry link %q, want this page again", retry)
			}
			logs, _ := d.Find(`a:contains("Logs with this trace ID")`).Attr("href")
			if !strings.HasPrefix(logs, "/logs?") || !strings.Contains(logs, "trace_id="+traceHex) || !strings.Contains(logs, "from=1700000000") {
				t.Errorf("logs link %q, want the trace's logs over the same window", logs)
			}
		})
	}
}
