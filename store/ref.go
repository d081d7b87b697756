package store

import "time"

// Ref is what reopens an item live: the query, IDs and the absolute UTC
// window it was pinned with. It is stored as JSON next to the item's
// snapshot (snapshot.Snapshot, built from backend data in
// correlation/snapshot).
type Ref struct {
	Query   string            `json:"q,omitempty"`
	From    time.Time         `json:"from,omitzero"`
	To      time.Time         `json:"to,omitzero"`
	TraceID string            `json:"trace_id,omitempty"`
	SpanID  string            `json:"span_id,omitempty"`
	TimeNs  int64             `json:"time_ns,omitempty"`
	Labels  map[string]string `json:"labels,omitempty"`
	// Backend is the trace backend a trace or span came from ("jaeger"),
	// asked first when the item is reopened.
	Backend string `json:"backend,omitempty"`
}
