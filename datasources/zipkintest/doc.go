// Package zipkintest is an in-memory server speaking Zipkin's v2 HTTP API,
// for tests and the demo, in the spirit of net/http/httptest: the Java
// Zipkin server cannot run where Ariadne's tests do.
//
// It accepts JSON v2 spans on POST /api/v2/spans (202, like Zipkin's
// collector) and answers the query API as Zipkin's in-memory storage does:
// /api/v2/trace/{traceId}, /api/v2/traces (serviceName, remoteServiceName,
// spanName, annotationQuery, minDuration, maxDuration, endTs, lookback,
// limit; newest first), /api/v2/services, /api/v2/spans,
// /api/v2/remoteServices, /api/v2/dependencies, /api/v2/autocompleteKeys,
// /api/v2/autocompleteValues and /health. Parameters are validated with
// Zipkin's rules and its words (400 "maxDuration is only valid with
// minDuration", 404 "<id> not found").
//
// IDs are normalised as Zipkin normalises them on the way in: a 128-bit
// trace ID whose high half is zero is stored, and asked for, as its 64-bit
// form; shorter IDs are left-padded. Lookups are strict by default (a
// 64-bit ID finds only 64-bit spans), as Zipkin's STRICT_TRACE_ID=true;
// WithLenientTraceIDs matches by the low 64 bits instead.
//
// Tests push spans over HTTP as a tracer would, or from Go with
// Store.Ingest; the exported Span type is Zipkin's JSON v2 span, and
// GenerateTrace builds large realistic traces (shared RPC halves included)
// for benchmarks.
//
// Time comes from the injected clock (WithClock): the default end of a
// search and retention (WithRetention) are judged against it, and a trace's
// age is its newest span timestamp, so fixtures are written relative to the
// clock's now. It is not a product: production uses a real Zipkin.
package zipkintest
