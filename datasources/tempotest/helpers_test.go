package tempotest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/contracttest"
	"github.com/ariadne-dev/ariadne/datasources/tempo"
	"github.com/ariadne-dev/ariadne/datasources/tempotest"
)

const checkoutID = "004bf92f3577b34da6a3ce929d0e0e47"

// withCheckout starts a server holding the checkout trace, pushed as
// OTLP/JSON the way an application would, and a client for it.
func withCheckout(t *testing.T, opts ...tempotest.Option) (*tempotest.Server, *tempo.Client) {
	t.Helper()
	srv := tempotest.NewTestServer(t, opts...)
	push(t, srv.URL, "", "application/json", contracttest.Read(t, "tempo", "handwritten", "ingest-otlp-http-checkout.json"))
	return srv, client(t, srv.URL, "")
}

func client(t *testing.T, url, tenant string) *tempo.Client {
	t.Helper()
	c, err := tempo.New(datasources.Config{URL: url, Tenant: tenant})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func push(t *testing.T, url, tenant, contentType string, body []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/traces", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if tenant != "" {
		req.Header.Set("X-Scope-OrgID", tenant)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("push: %d %s", resp.StatusCode, b)
	}
}

// get fetches url with an Accept header and returns status, content type, body.
func get(t *testing.T, url, accept string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// sameJSON compares two JSON documents by value, ignoring key order and spacing.
func sameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v in %s", what, err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		gb, _ := json.MarshalIndent(g, "", " ")
		wb, _ := json.MarshalIndent(w, "", " ")
		t.Errorf("%s differs:\n got %s\nwant %s", what, gb, wb)
	}
}

// field returns one top-level value of a JSON object.
func field(t *testing.T, doc []byte, key string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatalf("%v in %s", err, doc)
	}
	return m[key]
}
