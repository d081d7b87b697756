package query

// CallTraceQL finds the traces that cross the call from client to server:
// a span of server whose parent is a span of client (TraceQL's child
// operator), so a trace where both appear without calling each other is
// not one.
func CallTraceQL(client, server string) string {
	return "{ resource.service.name = " + QuoteTraceQL(client) + " } > { resource.service.name = " + QuoteTraceQL(server) + " }"
}

// PeerCallTraceQL finds the traces where client calls a dependency that
// emits no spans of its own: client's spans carrying the attributes that
// name it (peer.service, db.system and db.namespace…), span-scoped as
// client spans carry them.
func PeerCallTraceQL(client string, attrs [][2]string) (string, error) {
	f := TraceFilter{Service: client}
	for _, a := range attrs {
		f.Attributes = append(f.Attributes, "span."+a[0]+"="+a[1])
	}
	return f.Build()
}
