package tempotest

import (
	"math/rand/v2"
	"strconv"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

var genServices = []string{"frontend", "checkout", "cart", "payment", "inventory"}

// GenerateTrace builds a realistic synthetic trace of n spans: five
// resources (services), one tree rooted in frontend, about ten attributes
// per span of every scalar type, an exception event on about one span in
// ten, a link on one in fifty and an error status on one in twenty. The
// same seed gives the same trace. It starts at 1760000000 s + seed.
func GenerateTrace(n int, seed int64) *tracepb.TracesData {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	traceID := make([]byte, 16)
	for i := range traceID {
		traceID[i] = byte(rng.UintN(256))
	}
	base := uint64(1760000000+seed) * 1e9

	td := &tracepb.TracesData{}
	scopes := make([]*tracepb.ScopeSpans, len(genServices))
	for i, svc := range genServices {
		ss := &tracepb.ScopeSpans{Scope: &commonpb.InstrumentationScope{Name: "tempotest-generator", Version: "1.0.0"}}
		scopes[i] = ss
		td.ResourceSpans = append(td.ResourceSpans, &tracepb.ResourceSpans{
			Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{
				str("service.name", svc),
				str("service.version", "1."+strconv.Itoa(i)+".0"),
				str("deployment.environment", "demo"),
				str("host.name", svc+"-"+strconv.Itoa(rng.IntN(100))),
				integer("process.pid", int64(1000+rng.IntN(30000))),
			}},
			ScopeSpans: []*tracepb.ScopeSpans{ss},
		})
	}

	type node struct {
		id         []byte
		start, end uint64
	}
	nodes := make([]node, 0, n)
	kinds := []tracepb.Span_SpanKind{tracepb.Span_SPAN_KIND_SERVER, tracepb.Span_SPAN_KIND_CLIENT,
		tracepb.Span_SPAN_KIND_INTERNAL, tracepb.Span_SPAN_KIND_PRODUCER, tracepb.Span_SPAN_KIND_CONSUMER}
	for i := 0; i < n; i++ {
		id := make([]byte, 8)
		for j := range id {
			id[j] = byte(rng.UintN(256))
		}
		id[0] |= 1 // never all zero
		sp := &tracepb.Span{TraceId: traceID, SpanId: id, Status: &tracepb.Status{}}
		svc := 0
		if i == 0 {
			sp.StartTimeUnixNano, sp.EndTimeUnixNano = base, base+uint64(n)*1e6+5e8
			sp.Kind = tracepb.Span_SPAN_KIND_SERVER
		} else {
			// Prefer recent parents so the tree is deep as well as wide.
			p := nodes[i-1-rng.IntN(min(i, 8))]
			sp.ParentSpanId = p.id
			width := p.end - p.start
			sp.StartTimeUnixNano = p.start + rng.Uint64N(width/2+1)
			sp.EndTimeUnixNano = sp.StartTimeUnixNano + rng.Uint64N(p.end-sp.StartTimeUnixNano+1)
			sp.Kind = kinds[rng.IntN(len(kinds))]
			svc = rng.IntN(len(genServices))
		}
		nodes = append(nodes, node{id, sp.StartTimeUnixNano, sp.EndTimeUnixNano})
		route := "/api/" + genServices[svc] + "/" + strconv.Itoa(rng.IntN(20))
		sp.Name = "GET " + route
		code := int64(200)
		if rng.IntN(20) == 0 {
			code = 500 + int64(rng.IntN(4))
			sp.Status = &tracepb.Status{Code: tracepb.Status_STATUS_CODE_ERROR, Message: "upstream answered " + strconv.FormatInt(code, 10)}
		}
		sp.Attributes = []*commonpb.KeyValue{
			str("http.request.method", "GET"),
			str("http.route", route),
			integer("http.response.status_code", code),
			str("url.full", "http://"+genServices[svc]+":8080"+route+"?page="+strconv.Itoa(rng.IntN(1000))),
			str("server.address", genServices[svc]),
			integer("server.port", 8080),
			str("user.id", "user-"+strconv.Itoa(rng.IntN(5000))),
			integer("thread.id", int64(rng.IntN(64))),
			{Key: "cache.hit", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_BoolValue{BoolValue: rng.IntN(2) == 0}}},
			{Key: "load.ratio", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_DoubleValue{DoubleValue: rng.Float64()}}},
		}
		if i%10 == 3 {
			sp.Events = []*tracepb.Span_Event{{
				TimeUnixNano: sp.EndTimeUnixNano,
				Name:         "exception",
				Attributes: []*commonpb.KeyValue{
					str("exception.type", "TimeoutError"),
					str("exception.message", "deadline exceeded after "+strconv.Itoa(rng.IntN(900)+100)+"ms"),
				},
			}}
		}
		if i%50 == 7 {
			sp.Links = []*tracepb.Span_Link{{TraceId: traceID, SpanId: nodes[rng.IntN(i+1)].id}}
		}
		scopes[svc].Spans = append(scopes[svc].Spans, sp)
	}
	return td
}

func str(k, v string) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
}

func integer(k string, v int64) *commonpb.KeyValue {
	return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_IntValue{IntValue: v}}}
}
