// Package jaeger reads traces from Jaeger's query service (JAEGER_URL, its
// port 16686). A trace by ID comes from the v3 API (/api/v3/traces/{id},
// OTLP JSON inside {"result": …}), falling back to the classic
// /api/traces/{id} of Jaeger before v3 (its own JSON: processes, typed
// tags, references, microsecond times). Search uses the classic
// /api/traces, because the v3 HTTP gateway ignores attributes; services
// and operations come from both APIs the same way. Every answer decodes
// into the one datasources model, every failure into its one error
// vocabulary.
package jaeger
