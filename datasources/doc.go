// Package datasources owns what Ariadne reads from its backends: one model
// (Trace, LogLine, Series, Exemplar) independent of any wire format, one error
// vocabulary that handlers map to pages, and the HTTP plumbing (tenant header,
// auth, TLS, timeout, response-size cap) that every backend client shares.
//
// The clients themselves live in the sub-packages prometheus, loki and tempo;
// lokitest and tempotest are in-memory, API-compatible servers for the demo
// and for tests. They are not products: production uses real Loki and Tempo.
package datasources
