package jaegerrun

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/childproc"
)

// AdaptiveVersion is the Jaeger release whose collector (v1,
// cmd/collector; Apache-2.0) the demo runs for adaptive sampling. Jaeger
// v2 (Version) computes adaptive probabilities but, in one process, never
// serves them: since v1.58 (jaegertracing/jaeger#5441) the strategy
// provider (internal/sampling/samplingstrategy/adaptive, Provider.
// runUpdateProbabilitiesLoop) reloads probabilities from the sampling
// store only while it is not the leader, and the post-aggregator that
// computes them (PostAggregator.runCalculation) only saves them; the
// memory and badger stores' locks (memory.Lock, badger's lock) always
// grant leadership, so the provider keeps serving the initial
// probability. Only Cassandra's lock lets a second process follow. In
// v1.57 one Processor computes and serves (runCalculationLoop calls
// generateStrategyResponses when leader), with the memory store, in one
// process. scripts/jaeger-adaptive.sh builds it once from its own module.
const AdaptiveVersion = "v1.57.0"

// ErrAdaptiveBinaryNotFound is returned (wrapped) when no adaptive
// sampling collector is built.
var ErrAdaptiveBinaryNotFound = errors.New("jaeger-collector " + AdaptiveVersion + " (adaptive sampling) not found: run scripts/install.sh (it builds it once, a few minutes) or set ARIADNE_JAEGER_ADAPTIVE_BIN")

// AdaptiveBinary is the adaptive sampling collector:
// $ARIADNE_JAEGER_ADAPTIVE_BIN, else the build scripts/jaeger-adaptive.sh
// caches (ariadne/jaeger-collector-<AdaptiveVersion>/jaeger-collector
// under the user's cache directory), else "jaeger-collector" in PATH.
func AdaptiveBinary() (string, error) {
	return findBinary("ARIADNE_JAEGER_ADAPTIVE_BIN", "jaeger-collector-"+AdaptiveVersion, "jaeger-collector", ErrAdaptiveBinaryNotFound)
}

// Adaptive is a running adaptive sampling collector: it counts the root
// spans it receives (their sampler.type and sampler.param tags) per
// service and operation, computes each operation's probability towards
// the target every calculation interval, and serves the strategies. It
// keeps few traces (it is not a trace backend): send it a copy.
type Adaptive struct {
	// OTLPHTTP is its OTLP/HTTP receiver's base URL (append /v1/traces).
	OTLPHTTP string
	// SamplingURL is the sampling endpoint (asked with ?service=), in
	// the form Jaeger's remote samplers take.
	SamplingURL string
	proc        *childproc.Process
}

// adaptiveMaxTraces bounds the collector's memory store: it only counts.
const adaptiveMaxTraces = 1000

// StartAdaptive starts the adaptive sampling collector with a's settings
// (zeros keep Jaeger's defaults) and waits until it is ready. ctx bounds
// the start-up only; out, when set, receives its log.
func StartAdaptive(ctx context.Context, a AdaptiveSampling, out io.Writer) (*Adaptive, error) {
	bin, err := AdaptiveBinary()
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		s, err := launchAdaptive(ctx, bin, a, out)
		if err == nil || attempt == 2 || !strings.Contains(err.Error(), "address already in use") {
			return s, err
		}
	}
}

func launchAdaptive(ctx context.Context, bin string, a AdaptiveSampling, out io.Writer) (*Adaptive, error) {
	var ports [5]string // collector http (sampling), collector grpc, otlp grpc, otlp http, admin (health)
	for i := range ports {
		p, err := childproc.FreeAddr("127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	proc, err := childproc.Start(ctx, childproc.Spec{Name: "jaeger-collector", Binary: bin, Args: adaptiveArgs(ports, a),
		Env: []string{"SPAN_STORAGE_TYPE=memory", "SAMPLING_CONFIG_TYPE=adaptive", "SAMPLING_STORAGE_TYPE=memory"},
		// The admin port's / answers 200 once the collector serves.
		ReadyURL: "http://" + ports[4] + "/", ReadyTimeout: 30 * time.Second, Output: out})
	if err != nil {
		return nil, err
	}
	return &Adaptive{OTLPHTTP: "http://" + ports[3], SamplingURL: "http://" + ports[0] + "/api/sampling", proc: proc}, nil
}

// adaptiveArgs are the collector's flags: its ports, a small memory
// store, and the adaptive settings that are set.
func adaptiveArgs(p [5]string, a AdaptiveSampling) []string {
	args := []string{
		"--collector.http-server.host-port=" + p[0], "--collector.grpc-server.host-port=" + p[1],
		"--collector.otlp.grpc.host-port=" + p[2], "--collector.otlp.http.host-port=" + p[3],
		"--admin.http.host-port=" + p[4],
		"--memory.max-traces=" + strconv.Itoa(adaptiveMaxTraces), "--log-level=warn",
	}
	num := func(k string, v float64) {
		if v > 0 {
			args = append(args, "--sampling."+k+"="+strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	dur := func(k string, d time.Duration) {
		if d > 0 {
			args = append(args, "--sampling."+k+"="+d.String())
		}
	}
	num("target-samples-per-second", a.TargetSamplesPerSecond)
	num("initial-sampling-probability", a.InitialSamplingProbability)
	num("min-sampling-probability", a.MinSamplingProbability)
	dur("calculation-interval", a.CalculationInterval)
	dur("delay", a.CalculationDelay)
	if a.AggregationBuckets > 0 {
		args = append(args, "--sampling.aggregation-buckets="+strconv.Itoa(a.AggregationBuckets))
	}
	if a.BucketsForCalculation > 0 {
		args = append(args, "--sampling.buckets-for-calculation="+strconv.Itoa(a.BucketsForCalculation))
	}
	return args
}

// PID is the collector's process ID.
func (s *Adaptive) PID() int { return s.proc.PID() }

// Logs returns the last lines the collector wrote.
func (s *Adaptive) Logs(lines int) string { return s.proc.Logs(lines) }

// Stop stops the collector (SIGTERM, then a kill after 10 s).
func (s *Adaptive) Stop() error { return s.proc.Stop(10 * time.Second) }
