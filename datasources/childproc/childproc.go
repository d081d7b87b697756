// Package childproc runs a real server binary (Prometheus, Jaeger) as a
// child process for tests and the demo: its output kept for failure
// messages, a readiness wait, a clean stop, and the parent-death signal so
// it never outlives the process that started it. promrun and jaegerrun
// build on it; each owns its server's configuration.
package childproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Spec says what to run.
type Spec struct {
	Name   string // for messages: "prometheus", "jaeger"
	Binary string
	Args   []string
	Dir    string
	// Env is added to this process's environment (KEY=value), for
	// servers configured by environment variables.
	Env []string
	// ReadyURL is polled until it answers 200, within ReadyTimeout
	// (default 15 s).
	ReadyURL     string
	ReadyTimeout time.Duration
	// Output, when set, receives the process's stdout and stderr as well.
	Output io.Writer
}

// Process is a running child.
type Process struct {
	spec    Spec
	cmd     *exec.Cmd
	logs    *tail
	exited  chan struct{} // closed when the process has been reaped
	waitErr error         // valid after exited is closed
}

// Start starts the binary and waits until it is ready. ctx bounds the
// start-up only. On failure the process is gone and the error carries its
// last output.
func Start(ctx context.Context, spec Spec) (*Process, error) {
	if spec.ReadyTimeout <= 0 {
		spec.ReadyTimeout = 15 * time.Second
	}
	p := &Process{spec: spec, logs: &tail{max: 16 << 10}}
	out := io.Writer(p.logs)
	if spec.Output != nil {
		out = io.MultiWriter(p.logs, spec.Output)
	}
	cmd := exec.Command(spec.Binary, spec.Args...)
	cmd.Dir = spec.Dir
	if len(spec.Env) > 0 {
		cmd.Env = append(os.Environ(), spec.Env...)
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", spec.Binary, err)
	}
	p.cmd = cmd
	p.exited = make(chan struct{})
	go func() {
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	if err := p.waitReady(ctx); err != nil {
		p.kill()
		return nil, err
	}
	return p, nil
}

func (p *Process) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.spec.ReadyTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.spec.ReadyURL, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.exited:
			return fmt.Errorf("%s exited before it was ready (%v); last output:\n%s", p.spec.Name, p.waitErr, p.logs.Lines(20))
		case <-ctx.Done():
			return fmt.Errorf("%s was not ready at %s after %s (%v); last output:\n%s", p.spec.Name, p.spec.ReadyURL, p.spec.ReadyTimeout, ctx.Err(), p.logs.Lines(20))
		case <-tick.C:
		}
	}
}

// PID is the process ID.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Exited is closed once the process has ended (after Stop, or a crash).
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Logs returns the last lines the process wrote.
func (p *Process) Logs(lines int) string { return p.logs.Lines(lines) }

// Output is all the process's output still kept (the last 16 KB).
func (p *Process) Output() string { return p.logs.String() }

// Stop sends SIGTERM, waits up to grace for a clean exit, then kills.
func (p *Process) Stop(grace time.Duration) error {
	select {
	case <-p.exited:
		return nil // crashed or already gone; Wait has reaped it
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stopping %s: %w", p.spec.Name, err)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(grace):
		p.kill()
		return fmt.Errorf("%s did not stop within %s of SIGTERM and was killed", p.spec.Name, grace)
	}
}

func (p *Process) kill() {
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// FreeAddr resolves a host:0 address to a concrete free port, for servers
// that would not say which port they picked. A port can be taken between
// this and the server binding it; callers retry on "address already in
// use" in its output.
func FreeAddr(want string) (string, error) {
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
