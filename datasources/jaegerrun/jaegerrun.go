// Package jaegerrun runs the real Jaeger (v2, an OpenTelemetry Collector
// build; Apache-2.0) as a child process for tests and the demo: memory
// storage, its query API, an OTLP receiver (gRPC and HTTP) and a Zipkin
// receiver, each on a free loopback port. The binary is built once from
// its own module (scripts/jaeger/go.mod, never Ariadne's) by
// scripts/install.sh and cached; Binary says where.
//
// It is not a way to run Jaeger in production: there, Ariadne is pointed
// at an existing Jaeger with JAEGER_URL.
package jaegerrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/childproc"
)

// Version is the Jaeger release scripts/install.sh builds.
const Version = "v1.76.0"

// ErrBinaryNotFound is returned (wrapped) when no jaeger binary exists.
var ErrBinaryNotFound = errors.New("jaeger binary not found: run scripts/install.sh (it builds " + Version + " once, ≈ 6 minutes) or set ARIADNE_JAEGER_BIN")

// Binary is the jaeger executable: $ARIADNE_JAEGER_BIN, else the build
// scripts/install.sh caches ($XDG_CACHE_HOME or ~/.cache, then
// ariadne/jaeger-<Version>/jaeger), else "jaeger" in PATH.
func Binary() (string, error) {
	return findBinary("ARIADNE_JAEGER_BIN", "jaeger-"+Version, "jaeger", ErrBinaryNotFound)
}

// findBinary is the executable named by the environment variable env, else
// the one scripts/ cache under the user's cache directory
// (ariadne/<dir>/<name>), else name in PATH.
func findBinary(env, dir, name string, notFound error) (string, error) {
	if b := os.Getenv(env); b != "" {
		if _, err := os.Stat(b); err != nil {
			return "", fmt.Errorf("%w (%s=%s: %v)", notFound, env, b, err)
		}
		return b, nil
	}
	if cache, err := os.UserCacheDir(); err == nil {
		b := filepath.Join(cache, "ariadne", dir, name)
		if _, err := os.Stat(b); err == nil {
			return b, nil
		}
	}
	if b, err := exec.LookPath(name); err == nil {
		return b, nil
	}
	return "", notFound
}

// Options says what to run. Zero values are sensible defaults.
type Options struct {
	// Dir holds config.yaml. Default: a temporary directory removed by Stop.
	Dir string
	// Processors are extra trace processors in the pipeline, before
	// batch, as YAML under processors: (name → config); e.g. tail_sampling.
	Processors []Processor
	// ForwardTo are OTLP/HTTP base URLs every trace Jaeger keeps is also
	// exported to (the exporter appends /v1/traces): Jaeger as the
	// collector in front of another backend.
	ForwardTo []string
	// SpanMetrics, when set, adds the spanmetrics connector over every
	// span received, exported for Prometheus to scrape at MetricsURL.
	SpanMetrics *SpanMetrics
	// FeatureGates are collector feature gates to turn on
	// (--feature-gates), e.g. processor.tailsamplingprocessor.recordpolicy.
	FeatureGates []string
	// ReadyTimeout bounds the start. Default 30 s.
	ReadyTimeout time.Duration
	// Output, when set, receives Jaeger's log as well.
	Output io.Writer
}

// AdaptiveSampling is Jaeger's adaptive strategy (its adaptive.Options,
// by their v2 YAML keys; StartAdaptive passes them to the v1 collector as
// its --sampling.* settings); zeros keep Jaeger's
// defaults, which suit production (a one-minute calculation, two minutes'
// delay) rather than a demo.
type AdaptiveSampling struct {
	TargetSamplesPerSecond     float64       // target_samples_per_second, per operation
	InitialSamplingProbability float64       // initial_sampling_probability
	MinSamplingProbability     float64       // min_sampling_probability
	CalculationInterval        time.Duration // calculation_interval
	CalculationDelay           time.Duration // calculation_delay
	AggregationBuckets         int           // aggregation_buckets
	BucketsForCalculation      int           // calculation_buckets: how many of the latest buckets weigh in
}

// SpanMetrics configures the spanmetrics connector.
type SpanMetrics struct {
	// FlushInterval is how often the connector emits (its
	// metrics_flush_interval). Default 15 s (the connector's is 60 s, too
	// slow for a demo's first minute).
	FlushInterval time.Duration
}

// Processor is one named processor and its YAML configuration (indented
// as the value of its key, without the key).
type Processor struct {
	Name string
	YAML string
}

// Jaeger is a running server. Stop it with Stop.
type Jaeger struct {
	// QueryURL is the query API's base URL (Jaeger's 16686): what
	// JAEGER_URL points at.
	QueryURL string
	// OTLPHTTP is the OTLP/HTTP receiver's base URL (the SDK appends
	// /v1/traces); OTLPGRPC the OTLP/gRPC receiver's host:port.
	OTLPHTTP string
	OTLPGRPC string
	// ZipkinURL is the Zipkin receiver's base URL (POST /api/v2/spans).
	ZipkinURL string
	// MetricsURL is the prometheus exporter's scrape URL
	// (http://host:port/metrics) with SpanMetrics; "" otherwise.
	MetricsURL string
	Dir        string

	opts    Options
	tempDir bool
	proc    *childproc.Process
}

// Start writes the configuration, starts Jaeger and waits until its query
// API answers. ctx bounds the start-up only: the process then runs until
// Stop, or until this process dies (it gets SIGTERM then, on Linux).
func Start(ctx context.Context, opts Options) (*Jaeger, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	if opts.ReadyTimeout <= 0 {
		opts.ReadyTimeout = 30 * time.Second
	}
	j := &Jaeger{Dir: opts.Dir, opts: opts}
	if j.Dir == "" {
		if j.Dir, err = os.MkdirTemp("", "jaegerrun-"); err != nil {
			return nil, err
		}
		j.tempDir = true
	}
	// A port chosen here may be taken before Jaeger binds it: retry.
	for attempt := 0; ; attempt++ {
		err = j.launch(ctx, bin)
		if err == nil {
			return j, nil
		}
		if attempt == 2 || !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	if j.tempDir {
		os.RemoveAll(j.Dir)
	}
	return nil, err
}

func (j *Jaeger) launch(ctx context.Context, bin string) error {
	var ports [6]string // query http, query grpc, otlp grpc, otlp http, zipkin, health
	for i := range ports {
		a, err := childproc.FreeAddr("127.0.0.1:0")
		if err != nil {
			return err
		}
		ports[i] = a
	}
	metrics := ""
	if j.opts.SpanMetrics != nil {
		a, err := childproc.FreeAddr("127.0.0.1:0")
		if err != nil {
			return err
		}
		metrics, j.MetricsURL = a, "http://"+a+"/metrics"
	}
	j.QueryURL, j.OTLPGRPC, j.OTLPHTTP, j.ZipkinURL = "http://"+ports[0], ports[2], "http://"+ports[3], "http://"+ports[4]
	cfg := config(ports, j.opts, metrics)
	path := filepath.Join(j.Dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		return err
	}
	var err error
	args := []string{"--config", "file:" + path}
	if len(j.opts.FeatureGates) > 0 {
		args = append(args, "--feature-gates="+strings.Join(j.opts.FeatureGates, ","))
	}
	j.proc, err = childproc.Start(ctx, childproc.Spec{Name: "jaeger", Binary: bin, Args: args,
		// The health extension answers 200 once every component (receivers
		// included) has started; the query API alone comes up first.
		Dir: j.Dir, ReadyURL: "http://" + ports[5] + "/status", ReadyTimeout: j.opts.ReadyTimeout, Output: j.opts.Output})
	return err
}

// PID is the process ID of the running server.
func (j *Jaeger) PID() int { return j.proc.PID() }

// Logs returns the last lines Jaeger wrote, for failure messages.
func (j *Jaeger) Logs(lines int) string { return j.proc.Logs(lines) }

// Stop stops Jaeger (SIGTERM, then a kill after 10 s) and removes Dir
// when Start created it.
func (j *Jaeger) Stop() error {
	err := j.proc.Stop(10 * time.Second)
	if j.tempDir {
		if rerr := os.RemoveAll(j.Dir); err == nil {
			err = rerr
		}
	}
	return err
}
