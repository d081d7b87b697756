// Package tempo is Ariadne's client for Grafana Tempo's HTTP query API:
// trace by ID (v2 with a v1 fallback), TraceQL search, tag names and values,
// and readiness. It owns the conversion from Tempo's wire forms (protobuf and
// Tempo's protobuf-JSON, which differs from OTLP/JSON) into the shared
// datasources model, and the mapping of Tempo's answers to datasources.Error.
package tempo
