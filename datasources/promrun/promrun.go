// Package promrun runs a real Prometheus server (the `prometheus` binary,
// e.g. Debian's 2.42) as a child process, for tests and for the demo. It owns
// the generated configuration, the data directory, the choice of a free port,
// readiness, and making sure the process never outlives Ariadne.
//
// It is not a way to run Prometheus in production: there, Ariadne is pointed
// at an existing Prometheus with PROMETHEUS_URL.
package promrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/childproc"
)

// ErrBinaryNotFound is returned (wrapped) by Start when no prometheus binary
// exists; tests use errors.Is on it to decide between skipping and failing.
var ErrBinaryNotFound = errors.New(`prometheus binary not found: install it with "apt-get install prometheus" (Debian) or set PROMETHEUS_URL`)

// DebianBinary is where Debian's package installs Prometheus; it is tried
// when "prometheus" is not in PATH (PATH is often trimmed in test runners).
const DebianBinary = "/usr/bin/prometheus"

// Options says what to run. Zero values are sensible defaults.
type Options struct {
	// Binary is the prometheus executable; default: "prometheus" in PATH,
	// then DebianBinary.
	Binary string
	// Dir holds prometheus.yml and the TSDB (Dir/data). Default: a fresh
	// temporary directory, removed by Stop.
	Dir string
	// ListenAddr is host:port for --web.listen-address. Default
	// 127.0.0.1:0, meaning a free loopback port chosen by Start.
	ListenAddr string
	// ScrapeInterval for the one scrape job. Default 1s, so tests and the
	// demo see fresh samples (and exemplars) quickly.
	ScrapeInterval time.Duration
	// Job is the scrape job's name, i.e. the job label. Default "ariadne".
	Job string
	// Targets are host:port pairs scraped over http at /metrics.
	Targets []string
	// DisableExemplarStorage leaves out --enable-feature=exemplar-storage,
	// to reproduce a Prometheus that drops exemplars.
	DisableExemplarStorage bool
	// ExtraArgs are appended to the command line, e.g.
	// "--web.enable-remote-write-receiver".
	ExtraArgs []string
	// ReadyTimeout bounds the wait for /-/ready. Default 15s.
	ReadyTimeout time.Duration
	// Output, when set, receives the process's stdout and stderr as well.
	Output io.Writer
}

// Prometheus is a running server. Stop it with Stop.
type Prometheus struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234, without a slash.
	URL string
	// Addr is the host:port Prometheus listens on.
	Addr string
	// Dir holds prometheus.yml and data/.
	Dir string

	opts    Options
	tempDir bool
	proc    *childproc.Process
	cfgMu   sync.Mutex
	jobs    []job // AddJob's, under cfgMu
	stop    sync.Once
	stopErr error
}

// FindBinary returns the executable Start would run for explicit ("" means
// the default lookup), or an error wrapping ErrBinaryNotFound.
func FindBinary(explicit string) (string, error) {
	candidates := []string{explicit}
	if explicit == "" {
		candidates = []string{"prometheus", DebianBinary}
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	if explicit != "" {
		return "", fmt.Errorf("%w (looked for %q)", ErrBinaryNotFound, explicit)
	}
	return "", ErrBinaryNotFound
}

// Start writes the configuration, starts Prometheus and waits until it
// answers /-/ready. ctx bounds the start-up only: the process then runs until
// Stop, or until this process dies (it gets SIGTERM then, on Linux).
func Start(ctx context.Context, opts Options) (*Prometheus, error) {
	bin, err := FindBinary(opts.Binary)
	if err != nil {
		return nil, err
	}
	opts.Binary = bin
	if opts.ScrapeInterval <= 0 {
		opts.ScrapeInterval = time.Second
	}
	if opts.Job == "" {
		opts.Job = "ariadne"
	}
	if opts.ReadyTimeout <= 0 {
		opts.ReadyTimeout = 15 * time.Second
	}
	p := &Prometheus{Dir: opts.Dir, opts: opts}
	if p.Dir == "" {
		if p.Dir, err = os.MkdirTemp("", "promrun-"); err != nil {
			return nil, fmt.Errorf("creating prometheus directory: %w", err)
		}
		p.tempDir = true
	} else if err := os.MkdirAll(p.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating prometheus directory: %w", err)
	}
	// A port picked by us can be taken by someone else before Prometheus
	// binds it; try again with a new one rather than fail a test run.
	for attempt := 0; ; attempt++ {
		err = p.launch(ctx)
		if err == nil {
			return p, nil
		}
		if attempt == 2 || !opts.freePort() || !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	if p.tempDir {
		os.RemoveAll(p.Dir)
	}
	return nil, err
}

func (o Options) freePort() bool {
	return o.ListenAddr == "" || strings.HasSuffix(o.ListenAddr, ":0")
}

func (p *Prometheus) launch(ctx context.Context) error {
	// Prometheus would not say which port it picked: choose one for it.
	addr, err := childproc.FreeAddr(p.opts.ListenAddr)
	if err != nil {
		return err
	}
	p.Addr, p.URL = addr, "http://"+addr
	if err := p.writeConfig(p.opts.Targets); err != nil {
		return err
	}
	args := []string{
		"--config.file=" + p.configPath(),
		"--storage.tsdb.path=" + filepath.Join(p.Dir, "data"),
		"--web.listen-address=" + addr,
		"--web.enable-lifecycle",
	}
	if !p.opts.DisableExemplarStorage {
		args = append(args, "--enable-feature=exemplar-storage")
	}
	args = append(args, p.opts.ExtraArgs...)
	p.proc, err = childproc.Start(ctx, childproc.Spec{Name: "prometheus", Binary: p.opts.Binary, Args: args, Dir: p.Dir,
		ReadyURL: p.URL + "/-/ready", ReadyTimeout: p.opts.ReadyTimeout, Output: p.opts.Output})
	return err
}

// PID is the process ID of the running server.
func (p *Prometheus) PID() int { return p.proc.PID() }

// Exited is closed once the process has ended (after Stop, or a crash).
func (p *Prometheus) Exited() <-chan struct{} { return p.proc.Exited() }

// Logs returns the last lines the process wrote, for failure messages.
func (p *Prometheus) Logs(lines int) string { return p.proc.Logs(lines) }

// Stop sends SIGTERM, waits up to 10s for a clean shutdown, then kills the
// process. It removes Dir when Start created it. Calling it again is a no-op.
func (p *Prometheus) Stop() error {
	p.stop.Do(func() {
		p.stopErr = p.proc.Stop(10 * time.Second)
		if p.tempDir {
			if err := os.RemoveAll(p.Dir); err != nil && p.stopErr == nil {
				p.stopErr = err
			}
		}
	})
	return p.stopErr
}
