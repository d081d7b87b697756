package query

import "testing"

func TestCallTraceQL(t *testing.T) {
	if got, want := CallTraceQL("orders", `pay"ments`), `{ resource.service.name = "orders" } > { resource.service.name = "pay\"ments" }`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got, err := PeerCallTraceQL("orders", [][2]string{{"db.system", "postgresql"}, {"db.namespace", "shop"}})
	if want := `{ resource.service.name = "orders" && span.db.system = "postgresql" && span.db.namespace = "shop" }`; err != nil || got != want {
		t.Errorf("got  %s %v\nwant %s", got, err, want)
	}
}
