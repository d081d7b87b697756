package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Services, in call order. The names are a contract: tests, defaults and
// examples rely on them.
const (
	Gateway         = "gateway"
	Orders          = "orders"
	Inventory       = "inventory"
	Payments        = "payments"
	PaymentProvider = "payment-provider"
)

// ShopOptions configures the simulated shop.
type ShopOptions struct {
	OTLPURL string // the trace collector's OTLP/HTTP base URL; the exporter appends /v1/traces
	// ZipkinURL, when set, is a Zipkin receiver's base URL: the payment
	// provider is then instrumented with Zipkin's own Go tracer (B3
	// headers, 64-bit trace IDs for the traces it starts) reporting there,
	// as a service of a B3 shop would.
	ZipkinURL string
	// ReconcileEvery is the Zipkin-instrumented reconciler's period (0:
	// DefaultReconcileEvery).
	ReconcileEvery time.Duration
	LokiPushURL    string  // full push URL, e.g. http://127.0.0.1:3100/loki/api/v1/push
	SampleRatio    float64 // head sampling at the gateway, parent-based after it
	// Sampling is the strategy (SamplingNone, SamplingHead, SamplingTail,
	// SamplingAdaptive; "" is none); SamplingURL the remote sampling
	// endpoint adaptive sampling asks.
	Sampling    string
	SamplingURL string
	// Faults decides, per request, how slow and how broken the world is;
	// the load generator's spike schedule drives it.
	Faults *Faults
}

// Shop is the running world of five services plus a metrics endpoint.
type Shop struct {
	URLs       map[string]string // service → base URL
	MetricsURL string            // OpenMetrics endpoint Prometheus scrapes
	servers    []*http.Server
	providers  []*sdktrace.TracerProvider
	zipkin     *zipkinService // the payment provider's, with ZipkinURL
	log        *logger
	metrics    *metrics
	faults     *Faults
}

// service is one of the shop's processes: its own tracer provider and an
// instrumented HTTP client for calling the next hop.
type service struct {
	name   string
	tracer trace.Tracer
	client *http.Client
	mux    *http.ServeMux
	shop   *Shop
}

var propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// StartShop starts the five services and the metrics endpoint on free
// loopback ports.
func StartShop(ctx context.Context, opt ShopOptions) (*Shop, error) {
	if opt.Faults == nil {
		opt.Faults = &Faults{}
	}
	if opt.SampleRatio <= 0 || opt.SampleRatio > 1 {
		return nil, fmt.Errorf("sample ratio %v must be in (0, 1]", opt.SampleRatio)
	}
	lg, err := newLogger(opt.LokiPushURL)
	if err != nil {
		return nil, fmt.Errorf("Loki client: %w", err)
	}
	s := &Shop{URLs: map[string]string{}, log: lg, metrics: newMetrics(), faults: opt.Faults}
	listeners := map[string]net.Listener{}
	for _, name := range []string{Gateway, Orders, Inventory, Payments, PaymentProvider, "metrics"} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.Close()
			return nil, err
		}
		listeners[name] = l
		s.URLs[name] = "http://" + l.Addr().String()
	}
	s.MetricsURL = s.URLs["metrics"] + "/metrics"
	delete(s.URLs, "metrics")

	prop := propagator
	if opt.ZipkinURL != "" {
		prop = b3Propagator
	}
	svcs := map[string]*service{}
	for _, name := range []string{Gateway, Orders, Inventory, Payments, PaymentProvider} {
		if name == PaymentProvider && opt.ZipkinURL != "" {
			z, err := newZipkinService(name, opt.ZipkinURL, listeners[name].Addr().String())
			if err != nil {
				s.Close()
				return nil, err
			}
			s.zipkin = z
			svcs[name] = &service{name: name, tracer: noop.NewTracerProvider().Tracer(""), client: z.client, mux: http.NewServeMux(), shop: s}
			srv := &http.Server{Handler: z.handler(svcs[name].mux), ReadHeaderTimeout: 5 * time.Second}
			s.servers = append(s.servers, srv)
			go srv.Serve(listeners[name])
			continue
		}
		tp, err := newTracerProvider(ctx, name, opt.OTLPURL, shopSampler(name, opt))
		if err != nil {
			s.Close()
			return nil, err
		}
		s.providers = append(s.providers, tp)
		svcs[name] = &service{
			name:   name,
			tracer: tp.Tracer("ariadne/demo/" + name),
			client: &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport,
				otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(prop),
				otelhttp.WithSpanNameFormatter(clientSpanName))},
			mux:  http.NewServeMux(),
			shop: s,
		}
		var h http.Handler = otelhttp.NewHandler(svcs[name].mux, name,
			otelhttp.WithTracerProvider(tp), otelhttp.WithPropagators(prop),
			otelhttp.WithSpanNameFormatter(serverSpanName(svcs[name].mux)))
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
		s.servers = append(s.servers, srv)
		go srv.Serve(listeners[name])
	}
	s.routes(svcs)
	if s.zipkin != nil {
		prov := svcs[PaymentProvider]
		every := opt.ReconcileEvery
		if every <= 0 {
			every = DefaultReconcileEvery
		}
		go s.zipkin.reconcile(every, func(ctx context.Context) {
			prov.logf(ctx, "info", "reconciling settlements")
			if status, _, err := prov.call(ctx, "GET", s.URLs[Payments], "/settlements", "/settlements", nil, 2*time.Second); err != nil || status != http.StatusOK {
				prov.logf(ctx, "warn", "settlements not checked", "status", status)
			}
		})
	}

	msrv := &http.Server{Handler: promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{EnableOpenMetrics: true}),
		ReadHeaderTimeout: 5 * time.Second}
	s.servers = append(s.servers, msrv)
	go msrv.Serve(listeners["metrics"])
	return s, nil
}

// Close stops the servers and flushes traces and logs.
func (s *Shop) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range s.servers {
		srv.Shutdown(ctx)
	}
	if s.zipkin != nil {
		s.zipkin.close()
	}
	var wg sync.WaitGroup
	for _, tp := range s.providers {
		wg.Add(1)
		go func() { defer wg.Done(); tp.Shutdown(ctx) }()
	}
	wg.Wait()
	if s.log != nil {
		s.log.stop()
	}
}

// LogLines is how many log lines the shop has written.
func (s *Shop) LogLines() int64 { return s.log.lines.Load() }

// handle registers a route, measuring it for the latency histogram.
func (v *service) handle(method, route string, fn func(w http.ResponseWriter, r *http.Request) int) {
	v.mux.HandleFunc(method+" "+route, func(w http.ResponseWriter, r *http.Request) {
		routeSpan(r.Context(), method, route)
		start := time.Now()
		status := fn(w, r)
		v.shop.metrics.observe(r.Context(), v.name, route, method, status, time.Since(start))
	})
}

func (v *service) logf(ctx context.Context, level, msg string, fields ...any) {
	v.shop.log.log(ctx, v.name, level, msg, fields...)
}

type routeKey struct{}

// serverSpanName names a server span "{method} {route}" from its start,
// the name otelhttp gives it only once the mux has routed (the method
// alone until then): a sampler that decides per operation, as adaptive
// sampling's does, must see the name Jaeger counts the root spans by.
func serverSpanName(mux *http.ServeMux) func(string, *http.Request) string {
	return func(_ string, r *http.Request) string {
		pattern := r.Pattern
		if pattern == "" {
			_, pattern = mux.Handler(r)
		}
		if pattern == "" {
			return r.Method
		}
		if _, path, ok := strings.Cut(pattern, " "); ok {
			pattern = path
		}
		return r.Method + " " + pattern
	}
}

// clientSpanName names a client span "{method} {route template}" (the
// semantic conventions' low-cardinality form), e.g. "GET /orders/{id}".
func clientSpanName(_ string, r *http.Request) string {
	if route, ok := r.Context().Value(routeKey{}).(string); ok {
		return r.Method + " " + route
	}
	return r.Method
}

// call makes an instrumented request to another service. route is the
// callee's route template, for the client span's name.
func (v *service) call(ctx context.Context, method, base, route, path string, body any, timeout time.Duration) (int, []byte, error) {
	url := base + path
	ctx = context.WithValue(ctx, routeKey{}, route)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := v.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// fail marks the current span as failed with a recorded exception and
// writes the error log line that carries the same trace ID.
func (v *service) fail(ctx context.Context, err error, msg string, fields ...any) {
	span := trace.SpanFromContext(ctx)
	span.RecordError(err, trace.WithStackTrace(true))
	span.SetStatus(codes.Error, err.Error())
	v.logf(ctx, "error", msg, append(fields, "error", err.Error())...)
}

func writeJSON(w http.ResponseWriter, status int, v any) int {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
	return status
}

// userHash stands in for a user ID: hashed, never the PII itself.
func userHash(email string) string {
	sum := sha256.Sum256([]byte(email))
	return hex.EncodeToString(sum[:8])
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func jitter(min, max time.Duration) time.Duration {
	return min + time.Duration(rand.Int64N(int64(max-min)+1))
}

var errProviderTimeout = errors.New("payment provider did not answer within 800ms")

func (s *Shop) routes(svcs map[string]*service) {
	gw, ord, inv, pay, prov := svcs[Gateway], svcs[Orders], svcs[Inventory], svcs[Payments], svcs[PaymentProvider]

	gw.handle("GET", "/api/orders/{id}", func(w http.ResponseWriter, r *http.Request) int {
		ctx := r.Context()
		id := r.PathValue("id")
		trace.SpanFromContext(ctx).SetAttributes(attribute.String("order.id", id))
		// A deliberate span-quality offender (#18): the look-up's own span
		// is named with the order ID, as code written before route
		// templates names it, so every order is an operation of its own.
		ctx, lookup := gw.tracer.Start(ctx, "GET /api/orders/"+id)
		defer lookup.End()
		status, body, err := gw.call(ctx, "GET", s.URLs[Orders], "/orders/{id}", "/orders/"+id, nil, 3*time.Second)
		if err != nil {
			gw.fail(ctx, err, "orders unreachable", "order.id", id)
			return writeJSON(w, http.StatusBadGateway, map[string]string{"error": "orders unavailable"})
		}
		gw.logf(ctx, "info", "order fetched", "order.id", id, "status", status)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
		return status
	})

	gw.handle("POST", "/api/checkout", func(w http.ResponseWriter, r *http.Request) int {
		ctx := r.Context()
		var in struct {
			User string `json:"user"`
			SKU  string `json:"sku"`
			Qty  int    `json:"qty"`
		}
		json.NewDecoder(r.Body).Decode(&in)
		uid := userHash(in.User)
		trace.SpanFromContext(ctx).SetAttributes(attribute.String("user.id", uid),
			// Deliberate span-quality offenders (#18), for the quality panel
			// and /quality to find: the user's e-mail address (personal
			// data) and the deprecated http.method beside
			// http.request.method.
			attribute.String("user.email", in.User), attribute.String("http.method", r.Method))
		gw.logf(ctx, "info", "checkout started", "user.id", uid, "sku", in.SKU)
		status, body, err := gw.call(ctx, "POST", s.URLs[Orders], "/orders", "/orders", map[string]any{"user_id": uid, "sku": in.SKU, "qty": in.Qty}, 5*time.Second)
		if err != nil {
			gw.fail(ctx, err, "orders unreachable during checkout", "user.id", uid)
			return writeJSON(w, http.StatusBadGateway, map[string]string{"error": "orders unavailable"})
		}
		if status >= 500 {
			gw.logf(ctx, "error", "checkout failed", "user.id", uid, "upstream_status", status)
		} else {
			gw.logf(ctx, "info", "checkout completed", "user.id", uid)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
		return status
	})

	ord.handle("GET", "/orders/{id}", func(w http.ResponseWriter, r *http.Request) int {
		ctx := r.Context()
		id := r.PathValue("id")
		trace.SpanFromContext(ctx).SetAttributes(attribute.String("order.id", id))
		ord.db(ctx, "SELECT orders", "SELECT id, status, total FROM orders WHERE id = $1", jitter(time.Millisecond, 4*time.Millisecond))
		if strings.HasSuffix(id, "0000") {
			ord.logf(ctx, "warn", "order not found", "order.id", id)
			return writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such order"})
		}
		ord.logf(ctx, "info", "order loaded", "order.id", id)
		return writeJSON(w, http.StatusOK, map[string]string{"id": id, "status": "shipped"})
	})

	ord.handle("POST", "/orders", func(w http.ResponseWriter, r *http.Request) int {
		ctx := r.Context()
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		orderID := fmt.Sprintf("ord-%06d", rand.IntN(1_000_000))
		span := trace.SpanFromContext(ctx)
		span.SetAttributes(attribute.String("order.id", orderID), attribute.String("user.id", fmt.Sprint(in["user_id"])))
		ord.logf(ctx, "info", "creating order", "order.id", orderID)

		status, _, err := ord.call(ctx, "POST", s.URLs[Inventory], "/reserve", "/reserve", map[string]any{"order_id": orderID, "sku": in["sku"], "qty": in["qty"]}, 3*time.Second)
		if err != nil || status >= 400 {
			if err == nil {
				err = fmt.Errorf("inventory answered %d", status)
			}
			ord.fail(ctx, err, "reservation failed", "order.id", orderID)
			return writeJSON(w, http.StatusBadGateway, map[string]string{"error": "reservation failed"})
		}
		span.AddEvent("inventory.reserved", trace.WithAttributes(attribute.String("order.id", orderID)))
		// A dependency that emits nothing of its own (#16): the service map
		// knows it only from this client span.
		ord.external(ctx, "fraud-api", "POST", "fraud-api.example", "/v1/score", jitter(4*time.Millisecond, 12*time.Millisecond))

		status, _, err = ord.call(ctx, "POST", s.URLs[Payments], "/charge", "/charge", map[string]any{"order_id": orderID, "amount_cents": 1999}, 3*time.Second)
		if err != nil || status >= 400 {
			if err == nil {
				err = fmt.Errorf("payments answered %d", status)
			}
			ord.fail(ctx, err, "payment failed, order cancelled", "order.id", orderID)
			ord.db(ctx, "UPDATE orders", "UPDATE orders SET status = 'cancelled' WHERE id = $1", jitter(time.Millisecond, 3*time.Millisecond))
			return writeJSON(w, http.StatusBadGateway, map[string]string{"error": "payment failed", "order_id": orderID})
		}
		ord.db(ctx, "INSERT orders", "INSERT INTO orders (id, user_id, status) VALUES ($1, $2, 'paid')", jitter(2*time.Millisecond, 5*time.Millisecond))
		ord.logf(ctx, "info", "order paid", "order.id", orderID)
		return writeJSON(w, http.StatusCreated, map[string]string{"order_id": orderID})
	})

	inv.handle("POST", "/reserve", func(w http.ResponseWriter, r *http.Request) int {
		ctx := r.Context()
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		trace.SpanFromContext(ctx).SetAttributes(attribute.String("order.id", fmt.Sprint(in["order_id"])))
		wait := jitter(2*time.Millisecond, 8*time.Millisecond)
		if s.faults.slowInventory() {
			wait = jitter(300*time.Millisecond, 1200*time.Millisecond)
			inv.logf(ctx, "warn", "waiting for row lock on inventory", "sku", in["sku"], "order.id", in["order_id"])
		}
		inv.db(ctx, "SELECT inventory FOR UPDATE", "SELECT quantity FROM inventory WHERE sku = $1 FOR UPDATE", wait)
		inv.db(ctx, "UPDATE inventory", "UPDATE inventory SET quantity = quantity - $2 WHERE sku = $1", jitter(time.Millisecond, 3*time.Millisecond))
		if s.faults.InSpike() {
			// A call that exists only during spikes, for the service map's
			// "new dependency" to find (#16): suggestions for a slow
			// reservation, from a service that emits nothing itself.
			inv.external(ctx, "recommendations", "GET", "recommendations.internal", "/v1/related", jitter(2*time.Millisecond, 6*time.Millisecond))
		}
		inv.logf(ctx, "info", "stock reserved", "sku", in["sku"], "order.id", in["order_id"], "lock_wait_ms", wait.Milliseconds())
		return writeJSON(w, http.StatusOK, map[string]bool{"reserved": true})
	})

	pay.handle("POST", "/charge", func(w http.ResponseWriter, r *http.Request) int {
		ctx := r.Context()
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		trace.SpanFromContext(ctx).SetAttributes(attribute.String("order.id", fmt.Sprint(in["order_id"])))
		pay.logf(ctx, "info", "charging card", "order.id", in["order_id"], "amount_cents", in["amount_cents"])
		status, _, err := pay.call(ctx, "POST", s.URLs[PaymentProvider], "/v1/charges", "/v1/charges", in, 800*time.Millisecond)
		if errors.Is(err, context.DeadlineExceeded) {
			err = errProviderTimeout
		}
		if err != nil || status >= 500 {
			if err == nil {
				err = fmt.Errorf("payment provider answered %d", status)
			}
			pay.fail(ctx, err, "payment provider timed out", "order.id", in["order_id"])
			return writeJSON(w, http.StatusGatewayTimeout, map[string]string{"error": err.Error()})
		}
		trace.SpanFromContext(ctx).AddEvent("payment.authorized")
		pay.logf(ctx, "info", "payment authorized", "order.id", in["order_id"])
		return writeJSON(w, http.StatusOK, map[string]bool{"paid": true})
	})

	pay.handle("GET", "/settlements", func(w http.ResponseWriter, r *http.Request) int {
		pay.logf(r.Context(), "info", "settlement batch checked")
		return writeJSON(w, http.StatusOK, map[string]int{"unsettled": rand.IntN(3)})
	})

	prov.handle("POST", "/v1/charges", func(w http.ResponseWriter, r *http.Request) int {
		ctx := r.Context()
		tag(ctx, "server.address", "api.payment-provider.example")
		d := jitter(20*time.Millisecond, 60*time.Millisecond)
		if s.faults.providerTimeout() {
			d = 1500 * time.Millisecond
			prov.logf(ctx, "warn", "acquirer slow to respond")
		}
		if err := sleep(ctx, d); err != nil {
			prov.logf(ctx, "error", "client went away before the charge completed", "error", err.Error())
			return 499
		}
		prov.logf(ctx, "info", "charge accepted")
		return writeJSON(w, http.StatusOK, map[string]string{"charge": "ch_" + fmt.Sprint(rand.IntN(1e9))})
	})
}

// db simulates a database call as a client span with the semantic
// conventions' attributes.
func (v *service) db(ctx context.Context, name, stmt string, d time.Duration) {
	_, span := v.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		attribute.String("db.system", "postgresql"),
		attribute.String("db.namespace", "shop"),
		attribute.String("db.query.text", stmt),
		attribute.String("db.statement", stmt),
		attribute.String("server.address", v.name+"-db"),
	))
	sleep(ctx, d)
	span.End()
}

// external simulates a call to a dependency outside the shop's telemetry
// (a third-party API, a service of another team that traces nothing): a
// client span with the semantic conventions' attributes, peer.service
// naming it, and nothing on the other side.
func (v *service) external(ctx context.Context, peer, method, host, route string, d time.Duration) {
	_, span := v.tracer.Start(ctx, method+" "+route, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		attribute.String("peer.service", peer),
		attribute.String("server.address", host),
		attribute.Int("server.port", 443),
		attribute.String("http.request.method", method),
		attribute.String("url.full", "https://"+host+route),
		attribute.Int("http.response.status_code", http.StatusOK),
	))
	sleep(ctx, d)
	span.End()
}
