package jaegerrun

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Jaeger starts from the generated configuration, receives OTLP/JSON and
// answers for it on its query API.
func TestStartReceiveQuery(t *testing.T) {
	j := StartTest(t, Options{})
	now := time.Now().UnixNano()
	body := fmt.Sprintf(`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeSpans":[{"spans":[
{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00000000000000a1","name":"op","kind":2,"startTimeUnixNano":"%d","endTimeUnixNano":"%d"}]}]}]}`, now, now+1e6)
	req, _ := http.NewRequest(http.MethodPost, j.OTLPHTTP+"/v1/traces", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("OTLP push: %v %v", resp, err)
	}
	resp.Body.Close()

	get := func() (int, string) {
		req, _ := http.NewRequest(http.MethodGet, j.QueryURL+"/api/v3/traces/4bf92f3577b34da6a3ce929d0e0e4736", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, b := get()
		if code == 200 && strings.Contains(b, `"name":"op"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("trace never arrived: %d %s\n%s", code, b, j.Logs(20))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
