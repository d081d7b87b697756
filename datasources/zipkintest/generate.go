package zipkintest

import (
	"math/rand/v2"
	"strconv"
	"time"
)

var genServices = []string{"frontend", "checkout", "cart", "payment", "inventory"}

// GenerateTrace builds a realistic synthetic Zipkin trace of n spans
// starting at start: one tree rooted in a frontend server span, five
// services on two hosts each, about eight tags per span, RPCs recorded as
// Zipkin records them (a client span, and on about half of them a shared
// server half with the same ID on the callee), an annotation on one span
// in ten and an error tag on one in twenty. The same seed gives the same
// trace; start is an argument so fixtures stay relative to a test's clock.
func GenerateTrace(n int, seed int64, start time.Time) []Span {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	traceID := hexOf(rng.Uint64()|1, 16) + hexOf(rng.Uint64()|1, 16)
	base := Micros(start)
	endpoints := make([]Endpoint, 0, 2*len(genServices))
	for i, svc := range genServices {
		for h := range 2 {
			endpoints = append(endpoints, Endpoint{ServiceName: svc,
				IPv4: "10.0." + strconv.Itoa(i) + "." + strconv.Itoa(10+h), Port: 8080})
		}
	}

	spans := make([]Span, 0, n)
	for i := 0; i < n; i++ {
		sp := Span{TraceID: traceID, ID: hexOf(rng.Uint64()|1, 16)}
		ep := endpoints[0]
		switch {
		case i == 0:
			sp.Kind, sp.Timestamp, sp.Duration = KindServer, base, int64(n)*1000+500_000
		case spans[i-1].Kind == KindClient && rng.IntN(2) == 0:
			// The callee's half of the previous client span.
			c := spans[i-1]
			sp.ID, sp.ParentID, sp.Kind, sp.Shared = c.ID, c.ParentID, KindServer, true
			sp.Timestamp = c.Timestamp + c.Duration/10
			sp.Duration = c.Duration - c.Duration/5
			ep = endpoints[rng.IntN(len(endpoints))]
			sp.RemoteEndpoint = &Endpoint{IPv4: c.LocalEndpoint.IPv4}
		default:
			// Prefer recent parents so the tree is deep as well as wide.
			p := spans[i-1-rng.IntN(min(i, 8))]
			sp.ParentID = p.ID
			sp.Timestamp = p.Timestamp + rng.Int64N(p.Duration/2+1)
			sp.Duration = 1 + rng.Int64N(p.Timestamp+p.Duration-sp.Timestamp+1)
			ep = endpoints[rng.IntN(len(endpoints))]
			if rng.IntN(3) == 0 {
				sp.Kind = KindClient
				callee := genServices[rng.IntN(len(genServices))]
				sp.RemoteEndpoint = &Endpoint{ServiceName: callee, IPv4: "10.0.9." + strconv.Itoa(rng.IntN(250)), Port: 8080}
			}
		}
		local := ep
		sp.LocalEndpoint = &local
		route := "/api/" + ep.ServiceName + "/" + strconv.Itoa(rng.IntN(20))
		sp.Name = "get " + route
		status := "200"
		sp.Tags = map[string]string{
			"http.method": "GET",
			"http.path":   route,
			"http.url":    "http://" + ep.ServiceName + ":8080" + route + "?page=" + strconv.Itoa(rng.IntN(1000)),
			"user.id":     "user-" + strconv.Itoa(rng.IntN(5000)),
			"thread.id":   strconv.Itoa(rng.IntN(64)),
			"cache.hit":   strconv.FormatBool(rng.IntN(2) == 0),
			"load.ratio":  strconv.FormatFloat(rng.Float64(), 'g', -1, 64),
			"component":   "zipkintest-generator",
		}
		if rng.IntN(20) == 0 {
			status = strconv.Itoa(500 + rng.IntN(4))
			sp.Tags["error"] = "upstream answered " + status
		}
		sp.Tags["http.status_code"] = status
		if i%10 == 3 {
			sp.Annotations = []Annotation{{Timestamp: sp.Timestamp + sp.Duration/2, Value: "retry " + strconv.Itoa(rng.IntN(3)+1)}}
		}
		spans = append(spans, sp)
	}
	return spans
}

func hexOf(v uint64, width int) string {
	s := strconv.FormatUint(v, 16)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
