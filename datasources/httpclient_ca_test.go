package datasources

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A CA given as its content (Grafana's tlsCACert) is trusted like a CA file.
func TestHTTPClientCAPEM(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))

	cl, err := Config{URL: srv.URL, CAPEM: ca}.HTTPClient("test")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := cl.Get(srv.URL)
	if err != nil {
		t.Fatalf("with the CA: %v", err)
	}
	resp.Body.Close()

	plain, err := Config{URL: srv.URL}.HTTPClient("test")
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := plain.Get(srv.URL); err == nil {
		resp.Body.Close()
		t.Error("an unknown CA was trusted without CAPEM")
	}
	if _, err := (Config{URL: srv.URL, CAPEM: "not a certificate"}).HTTPClient("test"); err == nil {
		t.Error("a CAPEM without a certificate accepted")
	}
}
