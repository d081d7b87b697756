package tempo

import (
	"context"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestExists(t *testing.T) {
	const id = "4bf92f3577b34da6a3ce929d0e0e4736"
	v1, v2 := protoBodies(t, "")
	// An empty TraceByIDResponse: 200 with no spans.
	empty := []byte{0x0a, 0x00}
	cases := []struct {
		name   string
		routes map[string]reply
		want   bool
		kind   datasources.ErrorKind
	}{
		{"v2 has it", map[string]reply{"/api/v2/traces/" + id: {status: 200, contentType: "application/protobuf", body: v2}}, true, datasources.ErrorUnknown},
		{"v2 and v1 404", nil, false, datasources.ErrorUnknown},
		{"v1 only (old Tempo)", map[string]reply{"/api/traces/" + id: {status: 200, contentType: "application/protobuf", body: v1}}, true, datasources.ErrorUnknown},
		{"200 without spans", map[string]reply{"/api/v2/traces/" + id: {status: 200, contentType: "application/protobuf", body: empty}}, false, datasources.ErrorUnknown},
		{"Tempo failing", map[string]reply{"/api/v2/traces/" + id: {status: 503, contentType: "text/plain", body: []byte("overloaded")}}, false, datasources.ErrorUnavailable},
	}
	for _, c := range cases {
		cl, _ := newFake(t, c.routes)
		got, err := cl.Exists(context.Background(), id, time.Time{}, time.Time{})
		if got != c.want || datasources.ErrorKindOf(err) != c.kind {
			t.Errorf("%s: %v, %v", c.name, got, err)
		}
	}
}
