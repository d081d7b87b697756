package zipkin

import (
	"context"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestExists(t *testing.T) {
	cases := []struct {
		name   string
		id     string
		routes map[string]reply
		want   bool
		kind   datasources.ErrorKind
	}{
		{"has it", "4bf92f3577b34da6a3ce929d0e0e4736", map[string]reply{"/api/v2/trace/4bf92f3577b34da6a3ce929d0e0e4736": jsonReply(`[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","id":"1"}]`)}, true, datasources.ErrorUnknown},
		{"a 64-bit ID in its short form", "5af7183fb1d4cf5f", map[string]reply{"/api/v2/trace/5af7183fb1d4cf5f": jsonReply(`[{"traceId":"5af7183fb1d4cf5f","id":"1"}]`)}, true, datasources.ErrorUnknown},
		{"an empty list", "4bf92f3577b34da6a3ce929d0e0e4736", map[string]reply{"/api/v2/trace/4bf92f3577b34da6a3ce929d0e0e4736": jsonReply(`[]`)}, false, datasources.ErrorUnknown},
		{"not found", "4bf92f3577b34da6a3ce929d0e0e4736", nil, false, datasources.ErrorUnknown},
		{"failing", "4bf92f3577b34da6a3ce929d0e0e4736", map[string]reply{"/api/v2/trace/4bf92f3577b34da6a3ce929d0e0e4736": {status: 500, body: "boom"}}, false, datasources.ErrorUnavailable},
	}
	for _, c := range cases {
		cl, _ := newFake(t, c.routes)
		got, err := cl.Exists(context.Background(), c.id, time.Time{}, time.Time{})
		if got != c.want || datasources.ErrorKindOf(err) != c.kind {
			t.Errorf("%s: %v, %v", c.name, got, err)
		}
	}
}
