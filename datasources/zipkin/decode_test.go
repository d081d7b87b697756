package zipkin

import (
	"reflect"
	"slices"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

// exampleTs is the timestamp of zipkin2-api.yaml's Span example, in µs.
const exampleTs = 1556604172355737

func TestDecodeFields(t *testing.T) {
	cases := []struct {
		name  string
		span  string // one span's JSON, traceId and id added when absent
		check func(t *testing.T, s *datasources.Span)
	}{
		{"64-bit IDs are padded", `{"traceId":"5af7183fb1d4cf5f","id":"1","parentId":"00f067aa0ba902b7"}`, func(t *testing.T, s *datasources.Span) {
			if s.TraceID != "00000000000000005af7183fb1d4cf5f" || s.SpanID != "0000000000000001" || s.ParentSpanID != "00f067aa0ba902b7" {
				t.Errorf("IDs %s %s %s", s.TraceID, s.SpanID, s.ParentSpanID)
			}
		}},
		{"upper-case IDs are lower-cased", `{"traceId":"5AF7183FB1D4CF5F","id":"ABC"}`, func(t *testing.T, s *datasources.Span) {
			if s.TraceID != "00000000000000005af7183fb1d4cf5f" || s.SpanID != "0000000000000abc" {
				t.Errorf("IDs %s %s", s.TraceID, s.SpanID)
			}
		}},
		{"w3c.tracestate is the span's tracestate", `{"traceId":"1","id":"1","tags":{"w3c.tracestate":"ot=th:e"}}`, func(t *testing.T, s *datasources.Span) {
			if s.TraceState() != "ot=th:e" {
				t.Errorf("tracestate %q", s.TraceState())
			}
		}},
		{"an all-zero parent is a root", `{"traceId":"1","id":"1","parentId":"0000000000000000"}`, func(t *testing.T, s *datasources.Span) {
			if s.ParentSpanID != "" {
				t.Errorf("parent %q", s.ParentSpanID)
			}
		}},
		{"a self-parent is a root", `{"traceId":"1","id":"7","parentId":"7"}`, func(t *testing.T, s *datasources.Span) {
			if s.ParentSpanID != "" {
				t.Errorf("parent %q", s.ParentSpanID)
			}
		}},
		{"microseconds become nanoseconds", `{"traceId":"1","id":"1","timestamp":1556604172355737,"duration":1431}`, func(t *testing.T, s *datasources.Span) {
			if s.StartNs != exampleTs*1000 || s.EndNs != (exampleTs+1431)*1000 {
				t.Errorf("start %d end %d", s.StartNs, s.EndNs)
			}
			if _, ok := datasources.Attr(s.Attributes(), AttrTimestampMissing); ok {
				t.Error("a dated span is marked as missing its timestamp")
			}
		}},
		{"no duration: zero-length at its timestamp", `{"traceId":"1","id":"1","timestamp":1556604172355737}`, func(t *testing.T, s *datasources.Span) {
			if s.StartNs != exampleTs*1000 || s.EndNs != s.StartNs {
				t.Errorf("start %d end %d", s.StartNs, s.EndNs)
			}
			if v, _ := datasources.Attr(s.Attributes(), AttrDurationMissing); v != "true" {
				t.Errorf("attributes %v, want %s=true", attrs(s.Attributes()), AttrDurationMissing)
			}
		}},
		{"kind CLIENT", `{"traceId":"1","id":"1","kind":"CLIENT"}`, kind(datasources.KindClient)},
		{"kind SERVER", `{"traceId":"1","id":"1","kind":"SERVER"}`, kind(datasources.KindServer)},
		{"kind PRODUCER", `{"traceId":"1","id":"1","kind":"PRODUCER"}`, kind(datasources.KindProducer)},
		{"kind CONSUMER", `{"traceId":"1","id":"1","kind":"CONSUMER"}`, kind(datasources.KindConsumer)},
		{"no kind is a local span", `{"traceId":"1","id":"1"}`, kind(datasources.KindInternal)},
		{"the error tag's value is the status message", `{"traceId":"1","id":"1","tags":{"error":"timeout"}}`, status(datasources.StatusError, "timeout")},
		{"an empty error tag is still an error", `{"traceId":"1","id":"1","tags":{"error":""}}`, status(datasources.StatusError, "")},
		{"no error tag is unset", `{"traceId":"1","id":"1","tags":{"http.status_code":"200"}}`, status(datasources.StatusUnset, "")},
		{"OpenTelemetry's OK status", `{"traceId":"1","id":"1","tags":{"otel.status_code":"OK"}}`, status(datasources.StatusOK, "")},
		{"OpenTelemetry's ERROR status", `{"traceId":"1","id":"1","tags":{"otel.status_code":"ERROR","otel.status_description":"bad"}}`, status(datasources.StatusError, "bad")},
		{"tags are string attributes in key order", `{"traceId":"1","id":"1","timestamp":1,"duration":1,"tags":{"z":"1","a":"true","m":"x"}}`, func(t *testing.T, s *datasources.Span) {
			if got := attrs(s.Attributes()); !reflect.DeepEqual(got, []string{"a=true", "m=x", "z=1"}) {
				t.Errorf("attributes %v", got)
			}
			for _, a := range s.Attributes() {
				if a.Type != datasources.TypeString {
					t.Errorf("%s has type %v, want string", a.Key, a.Type)
				}
			}
		}},
		{"the scope comes from OpenTelemetry's tag", `{"traceId":"1","id":"1","tags":{"otel.library.name":"net/http"}}`, func(t *testing.T, s *datasources.Span) {
			if s.Scope != "net/http" {
				t.Errorf("scope %q", s.Scope)
			}
		}},
		{"annotations are events in time order", `{"traceId":"1","id":"1","timestamp":10,"annotations":[{"timestamp":30,"value":"ws"},{"timestamp":20,"value":"wr"}]}`, func(t *testing.T, s *datasources.Span) {
			want := []datasources.SpanEvent{{TimeNs: 20_000, Name: "wr"}, {TimeNs: 30_000, Name: "ws"}}
			if !reflect.DeepEqual(s.Events(), want) {
				t.Errorf("events %+v", s.Events())
			}
		}},
		{"the remote endpoint", `{"traceId":"1","id":"1","timestamp":1,"duration":1,"kind":"CLIENT","remoteEndpoint":{"serviceName":"db","ipv4":"10.0.0.1","port":5432}}`, func(t *testing.T, s *datasources.Span) {
			if got := attrs(s.Attributes()); !reflect.DeepEqual(got, []string{"peer.service=db", "network.peer.address=10.0.0.1", "network.peer.port=5432"}) {
				t.Errorf("attributes %v", got)
			}
			if s.Attributes()[2].Type != datasources.TypeInt {
				t.Errorf("port type %v", s.Attributes()[2].Type)
			}
		}},
		{"a remote IPv6 address", `{"traceId":"1","id":"1","timestamp":1,"duration":1,"remoteEndpoint":{"ipv6":"2001:db8::c001"}}`, func(t *testing.T, s *datasources.Span) {
			if got := attrs(s.Attributes()); !reflect.DeepEqual(got, []string{"network.peer.address=2001:db8::c001"}) {
				t.Errorf("attributes %v", got)
			}
		}},
		{"debug and shared", `{"traceId":"1","id":"1","timestamp":1,"duration":1,"kind":"SERVER","debug":true,"shared":true}`, func(t *testing.T, s *datasources.Span) {
			if got := attrs(s.Attributes()); !reflect.DeepEqual(got, []string{"zipkin.shared=true", "zipkin.debug=true"}) {
				t.Errorf("attributes %v", got)
			}
		}},
		{"no local endpoint: no resource", `{"traceId":"1","id":"1"}`, func(t *testing.T, s *datasources.Span) {
			if s.Resource != nil {
				t.Errorf("resource %+v", s.Resource)
			}
		}},
		{"the local endpoint is the resource", `{"traceId":"1","id":"1","localEndpoint":{"serviceName":"backend","ipv4":"192.168.99.1","port":3306}}`, func(t *testing.T, s *datasources.Span) {
			if s.Service() != "backend" {
				t.Errorf("service %q", s.Service())
			}
			if got := attrs(s.Resource.Attributes); !reflect.DeepEqual(got, []string{"service.name=backend", "network.local.address=192.168.99.1", "network.local.port=3306"}) {
				t.Errorf("resource attributes %v", got)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := decode(t, "["+tc.span+"]")
			if len(tr.Spans) != 1 {
				t.Fatalf("%d spans", len(tr.Spans))
			}
			tc.check(t, &tr.Spans[0])
		})
	}
}

func kind(k datasources.SpanKind) func(*testing.T, *datasources.Span) {
	return func(t *testing.T, s *datasources.Span) {
		if s.Kind != k {
			t.Errorf("kind %q, want %q", s.Kind, k)
		}
	}
}

func status(c datasources.StatusCode, msg string) func(*testing.T, *datasources.Span) {
	return func(t *testing.T, s *datasources.Span) {
		if s.Status != c || s.StatusMsg() != msg {
			t.Errorf("status %q %q, want %q %q", s.Status, s.StatusMsg(), c, msg)
		}
	}
}

// TestSharedResources: spans of one local endpoint share one Resource; the
// same service on another host is another process.
func TestSharedResources(t *testing.T) {
	tr := decode(t, `[
		{"traceId":"1","id":"1","localEndpoint":{"serviceName":"web","ipv4":"10.0.0.1"}},
		{"traceId":"1","id":"2","localEndpoint":{"serviceName":"web","ipv4":"10.0.0.1"}},
		{"traceId":"1","id":"3","localEndpoint":{"serviceName":"web","ipv4":"10.0.0.2"}}]`)
	s := tr.Spans
	if s[0].Resource != s[1].Resource || s[0].Resource == s[2].Resource || s[2].Service() != "web" {
		t.Errorf("resources %p %p %p", s[0].Resource, s[1].Resource, s[2].Resource)
	}
}

// TestSharedRPC decodes an RPC recorded as Zipkin records it, both halves
// under one span ID (testdata/trace-shared-rpc.json).
func TestSharedRPC(t *testing.T) {
	tr := decode(t, testdata(t, "trace-shared-rpc.json"))
	if tr.ID != "00000000000000005af7183fb1d4cf5f" || len(tr.Spans) != 4 {
		t.Fatalf("trace %s with %d spans, want 4 spans of 00000000000000005af7183fb1d4cf5f", tr.ID, len(tr.Spans))
	}
	var client, server *datasources.Span
	for _, s := range byName(tr)["get /api"] {
		switch s.Kind {
		case datasources.KindClient:
			client = s
		case datasources.KindServer:
			server = s
		}
	}
	if client == nil || server == nil {
		t.Fatal("both halves of get /api must be there")
	}
	if client.SpanID != "352bff9a74ca9ad2" || client.ParentSpanID != "6b221d5bc9e6496c" || client.Service() != "frontend" {
		t.Errorf("client half %s parent %s in %s: it keeps Zipkin's ID", client.SpanID, client.ParentSpanID, client.Service())
	}
	if server.SpanID == client.SpanID || server.ParentSpanID != client.SpanID || server.Service() != "backend" {
		t.Errorf("server half %s parent %s in %s: a derived ID, under the client half", server.SpanID, server.ParentSpanID, server.Service())
	}
	if v, _ := datasources.Attr(server.Attributes(), AttrSpanID); v != "352bff9a74ca9ad2" {
		t.Errorf("server half's %s = %q, want Zipkin's ID", AttrSpanID, v)
	}
	if server.Status != datasources.StatusError || server.StatusMsg() != "500 Internal Server Error" || client.Status != datasources.StatusUnset {
		t.Errorf("status: client %q, server %q %q", client.Status, server.Status, server.StatusMsg())
	}
	if sel := byName(tr)["select"][0]; sel.ParentSpanID != server.SpanID {
		t.Errorf("backend's select is under %s, want the server half %s", sel.ParentSpanID, server.SpanID)
	}
	if server.StartNs != exampleTs*1000 || server.EndNs != (exampleTs+1431)*1000 {
		t.Errorf("server half times %d..%d", server.StartNs, server.EndNs)
	}
	if got := attrs(client.Attributes()); !slices.Contains(got, "peer.service=backend") || !slices.Contains(got, "network.peer.port=3306") {
		t.Errorf("client attributes %v", got)
	}
	if len(client.Events()) != 1 || client.Events()[0].Name != "wire.send" {
		t.Errorf("client events %+v", client.Events())
	}
}

// TestMessaging128 decodes testdata/trace-128bit.json.
func TestMessaging128(t *testing.T) {
	tr := decode(t, testdata(t, "trace-128bit.json"))
	if tr.ID != "4e441824ec2b6a44ffdc9bb9a6453df3" {
		t.Errorf("trace ID %s", tr.ID)
	}
	send, recv := byName(tr)["send order"][0], byName(tr)["receive order"][0]
	if send.Kind != datasources.KindProducer || recv.Kind != datasources.KindConsumer || recv.ParentSpanID != send.SpanID {
		t.Errorf("kinds %s %s, parent %s", send.Kind, recv.Kind, recv.ParentSpanID)
	}
	wantSend := []string{"messaging.destination=orders", "otel.scope.name=io.opentelemetry.kafka", "peer.service=kafka",
		"network.peer.address=10.0.0.9", AttrRemoteIPv6 + "=2001:db8::9", "network.peer.port=9092", "zipkin.debug=true"}
	if got := attrs(send.Attributes()); !reflect.DeepEqual(got, wantSend) {
		t.Errorf("producer attributes\n got %v\nwant %v", got, wantSend)
	}
	if send.Scope != "io.opentelemetry.kafka" {
		t.Errorf("scope %q", send.Scope)
	}
	if got := attrs(send.Resource.Attributes); !reflect.DeepEqual(got, []string{"service.name=orders", "network.local.address=2001:db8::c001", "network.local.port=8080"}) {
		t.Errorf("producer resource %v", got)
	}
	if recv.Status != datasources.StatusError || recv.StatusMsg() != "" {
		t.Errorf("consumer status %q %q: an empty error tag is an error", recv.Status, recv.StatusMsg())
	}
}

// TestMixedIDLengths: a lenient Zipkin returns a trace's 64-bit and
// 128-bit spans together; the 128-bit ID is the trace's.
func TestMixedIDLengths(t *testing.T) {
	tr := decode(t, `[{"traceId":"ffdc9bb9a6453df3","id":"1"},{"traceId":"4e441824ec2b6a44ffdc9bb9a6453df3","id":"2"}]`)
	for _, s := range tr.Spans {
		if s.TraceID != "4e441824ec2b6a44ffdc9bb9a6453df3" {
			t.Errorf("span %s has trace %s", s.SpanID, s.TraceID)
		}
	}
}

func TestDecodeUnreadable(t *testing.T) {
	cases := []struct{ name, body, msg string }{
		{"not JSON", `nope`, "Zipkin sent an answer Ariadne could not read."},
		{"an object", `{"spans":[]}`, "could not read"},
		{"a web page", `<!doctype html><html><title>Zipkin</title></html>`, "web page, not Zipkin's API"},
		{"a span without an ID", `[{"traceId":"1"}]`, "could not read"},
		{"a bad trace ID", `[{"traceId":"xyz","id":"1"}]`, "could not read"},
		{"a bad parent ID", `[{"traceId":"1","id":"1","parentId":"nothex"}]`, "could not read"},
		{"a string timestamp", `[{"traceId":"1","id":"1","timestamp":"soon"}]`, "could not read"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeTrace([]byte(tc.body))
			wantKind(t, err, datasources.ErrorUnavailable, tc.msg)
		})
	}
	tr, err := DecodeTrace([]byte(`[]`))
	if err != nil || len(tr.Spans) != 0 {
		t.Errorf("an empty list: %v, %v", tr, err)
	}
}
