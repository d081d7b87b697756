// Package zipkin is Ariadne's client for Zipkin's v2 HTTP API: trace by ID,
// trace search by parameters (the backend-neutral datasources.TraceQuery),
// service, span and remote-service names, autocomplete keys and values,
// the dependency graph, and /health. It owns the conversion of Zipkin's JSON
// v2 spans into the shared datasources model and the mapping of Zipkin's
// answers to datasources.Error.
//
// Zipkin's model differs from the one Ariadne shares in ways the decoder
// settles, each in a pass of its own (adjust.go):
//
//   - Span IDs are not unique: an RPC's client and server halves may share
//     one ID (B3's "shared" spans), and a span may arrive in pieces. Pieces
//     (same ID, same side, compatible endpoint) are merged, as Zipkin's UI
//     does, so nothing in them is lost. Of the spans left sharing an ID,
//     the client half keeps it; every other keeps its data under a derived
//     ID (FNV-1a of the trace ID, Zipkin's ID, its service and kind,
//     re-hashed on a collision, so the same trace always gets the same
//     IDs), with Zipkin's in the attribute zipkin.span_id. A server half
//     becomes the child of its client half, and the server's own children
//     (same service) follow it.
//   - Times are epoch microseconds and may be missing on incomplete spans.
//     A span without a timestamp takes its shared twin's, else its first
//     annotation's, else its nearest dated ancestor's, else the trace's
//     start, and says so in zipkin.timestamp_missing; one without a
//     duration is zero-length at its start, marked zipkin.duration_missing.
//   - Trace IDs are 64 or 128 bits; Ariadne pads them to 32 characters.
//
// Attribute mapping, in OpenTelemetry's terms where one exists:
//
//	tags                         attributes as they are (strings)
//	tags["error"]                Status error, the value as StatusMsg (empty still means error)
//	tags["otel.scope.name"]      Scope (also "otel.library.name")
//	localEndpoint.serviceName    Resource.Service and service.name
//	localEndpoint.ipv4 or ipv6   resource network.local.address (ipv6 too: zipkin.local_endpoint.ipv6)
//	localEndpoint.port           resource network.local.port
//	remoteEndpoint.serviceName   peer.service
//	remoteEndpoint.ipv4 or ipv6  network.peer.address (ipv6 too: zipkin.remote_endpoint.ipv6)
//	remoteEndpoint.port          network.peer.port
//	annotations                  events (the value as the name)
//	debug, shared                zipkin.debug, zipkin.shared (true when set)
//	kind absent                  internal: Zipkin's "local span"
//
// Zipkin records no host name for a remote endpoint, so server.address is
// never filled: an IP address in it would mislead.
package zipkin
