package logline

import (
	"reflect"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

func TestFieldsOf(t *testing.T) {
	lines := []datasources.LogLine{
		{Labels: map[string]string{"service_name": "payments", "level": "error"}, StructuredMetadata: map[string]string{"trace_id": "abc"},
			Line: `{"level":"error","msg":"charge failed","order":{"id":"ord-1"}}`},
		{Labels: map[string]string{"service_name": "payments", "level": "error"}, Line: `{"level":"error","msg":"charge failed","order":{"id":"ord-2"}}`},
		{Labels: map[string]string{"service_name": "orders"}, Line: `level=info msg="order loaded" order.id=42`},
		{Labels: map[string]string{"service_name": "orders"}, Line: `plain text`},
	}
	got := FieldsOf(lines)
	want := []LineField{
		{Key: "trace_id", Parser: "", Values: []string{"abc"}},
		{Key: "msg", Parser: "json", Values: []string{"charge failed", "order loaded"}},
		{Key: "order_id", Parser: "json", Values: []string{"ord-1", "ord-2"}},
		{Key: "level", Parser: "logfmt", Values: []string{"info"}}, // a stream label on the first lines only
		{Key: "order.id", Parser: "logfmt", Values: []string{"42"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FieldsOf =\n%+v\nwant\n%+v", got, want)
	}
}
