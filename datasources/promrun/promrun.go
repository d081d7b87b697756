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
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
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
	cmd     *exec.Cmd
	logs    *tail
	exited  chan struct{} // closed when the process has been reaped
	waitErr error         // valid after exited is closed
	cfgMu   sync.Mutex
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
		if attempt == 2 || !opts.freePort() || !strings.Contains(p.logs.String(), "address already in use") {
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
	addr, err := listenAddr(p.opts.ListenAddr)
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
	p.logs = &tail{max: 16 << 10}
	out := io.Writer(p.logs)
	if p.opts.Output != nil {
		out = io.MultiWriter(p.logs, p.opts.Output)
	}
	cmd := exec.Command(p.opts.Binary, args...)
	cmd.Dir = p.Dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", p.opts.Binary, err)
	}
	p.cmd = cmd
	p.exited = make(chan struct{})
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	if err := p.waitReady(ctx); err != nil {
		p.kill()
		return err
	}
	return nil
}

// listenAddr resolves a ":0" port to a concrete free one, because
// Prometheus would not tell us which port it picked.
func listenAddr(want string) (string, error) {
	if want == "" {
		want = "127.0.0.1:0"
	}
	host, port, err := net.SplitHostPort(want)
	if err != nil {
		return "", fmt.Errorf("listen address %q: %w", want, err)
	}
	if port != "0" {
		return want, nil
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return "", fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func (p *Prometheus) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.opts.ReadyTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.URL+"/-/ready", nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.exited:
			return fmt.Errorf("prometheus exited before it was ready (%v); last output:\n%s", p.waitErr, p.logs.Lines(20))
		case <-ctx.Done():
			return fmt.Errorf("prometheus was not ready at %s after %s (%v); last output:\n%s", p.URL, p.opts.ReadyTimeout, ctx.Err(), p.logs.Lines(20))
		case <-tick.C:
		}
	}
}

// PID is the process ID of the running server.
func (p *Prometheus) PID() int { return p.cmd.Process.Pid }

// Exited is closed once the process has ended (after Stop, or a crash).
func (p *Prometheus) Exited() <-chan struct{} { return p.exited }

// Logs returns the last lines the process wrote, for failure messages.
func (p *Prometheus) Logs(lines int) string { return p.logs.Lines(lines) }

// Stop sends SIGTERM, waits up to 10s for a clean shutdown, then kills the
// process. It removes Dir when Start created it. Calling it again is a no-op.
func (p *Prometheus) Stop() error {
	p.stop.Do(func() {
		p.stopErr = p.terminate(10 * time.Second)
		if p.tempDir {
			if err := os.RemoveAll(p.Dir); err != nil && p.stopErr == nil {
				p.stopErr = err
			}
		}
	})
	return p.stopErr
}

func (p *Prometheus) terminate(grace time.Duration) error {
	select {
	case <-p.exited:
		return nil // crashed or already gone; Wait has reaped it
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stopping prometheus: %w", err)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(grace):
		p.kill()
		return fmt.Errorf("prometheus did not stop within %s of SIGTERM and was killed", grace)
	}
}

func (p *Prometheus) kill() {
	_ = p.cmd.Process.Kill()
	<-p.exited
}
