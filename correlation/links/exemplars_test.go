package links

import (
	"testing"
)

func TestExemplarTraceID(t *testing.T) {
	const id = "4bf92f3577b34da6a3ce929d0e0e4736"
	tests := []struct {
		name   string
		labels map[string]string
		names  []string
		want   string
	}{
		{"trace_id", map[string]string{"trace_id": id}, nil, id},
		{"traceID", map[string]string{"traceID": id}, nil, id},
		{"trace-id", map[string]string{"trace-id": id}, nil, id},
		{"upper case and short IDs are padded", map[string]string{"trace_id": "A3CE929D0E0E4736"}, nil, "0000000000000000a3ce929d0e0e4736"},
		{"first configured name wins", map[string]string{"traceID": "1", "trace_id": "2"}, []string{"traceID", "trace_id"}, "00000000000000000000000000000001"},
		{"a custom name only", map[string]string{"trace_id": id, "tid": "abc"}, []string{"tid"}, "00000000000000000000000000000abc"},
		{"not a trace ID", map[string]string{"trace_id": "<script>"}, nil, ""},
		{"all zeros", map[string]string{"trace_id": "0000"}, nil, ""},
		{"no trace label", map[string]string{"span_id": "00f067aa0ba902b7"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ExemplarTraceID(tt.labels, tt.names)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("ExemplarTraceID = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}
