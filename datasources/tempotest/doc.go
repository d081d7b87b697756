// Package tempotest is an in-memory, Tempo-compatible server for tests and
// the demo, in the spirit of net/http/httptest. It ingests OTLP/HTTP
// (protobuf and OTLP/JSON) and answers Tempo's query API as Tempo encodes
// it: trace by ID (v1 and v2, JSON and protobuf, PARTIAL over a size
// limit), TraceQL search over an essential subset, tags and tag values,
// /ready and /api/echo. It keeps traces for a retention window under a size
// bound. It is not a product: production uses real Tempo.
//
// It also owns the encoders (EncodeV2JSON, EncodeV2Proto, EncodeV1JSON) and
// the synthetic trace generator (GenerateTrace) that benchmarks reuse.
package tempotest
