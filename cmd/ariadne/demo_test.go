package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ariadne-dev/ariadne/datasources/promrun"
)

// TestDemoStopsEverything runs the real `ariadne demo` binary with its own
// Postgres and Prometheus, checks it serves, sends SIGTERM, and then finds
// no process it started and no port it listened on.
func TestDemoStopsEverything(t *testing.T) {
	promrun.RequireBinary(t)
	if _, err := os.Stat("/usr/lib/postgresql"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL is not installed: make test installs it")
		}
		t.Skip("PostgreSQL is not installed")
	}
	bin := filepath.Join(t.TempDir(), "ariadne")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	// Postgres runs as its own user: the data folder and its parents must
	// be reachable by it (t.TempDir's parent is private), or the demo falls
	// back to a folder under /var/tmp that would outlive the test.
	data, err := os.MkdirTemp("", "ariadne-demo-test-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(data, 0o755)
	t.Cleanup(func() { os.RemoveAll(data) })
	cmd := exec.Command(bin, "demo", "--data-dir", data, "--rate", "5")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")} // no DATABASE_URL etc.: the demo starts its own
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })

	urls := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, " ") && len(strings.Fields(v)) > 0 {
			urls[k] = strings.Fields(v)[0]
		}
		if strings.Contains(line, "their logs:") {
			break
		}
	}
	if urls["Ariadne"] == "" {
		t.Fatalf("demo printed %v; stderr:\n%s", urls, stderr.String())
	}
	for _, k := range []string{"Prometheus", "Loki", "Tempo (query)", "Tempo (OTLP ingest)", "Postgres"} {
		if urls[k] == "" {
			t.Errorf("demo did not print the %s URL (got %v)", k, urls)
		}
	}
	resp, err := http.Get(urls["Ariadne"] + "readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()

	// Ariadne's own telemetry is in the world: its /metrics scraped by the
	// world's Prometheus with their exemplars, its spans (that readyz's)
	// in Tempo, its log lines in Loki.
	for _, c := range []struct{ what, url, want string }{
		{"Prometheus scraping Ariadne", urls["Prometheus"] + "/api/v1/query?" + url.Values{"query": {`up{job="ariadne"}`}}.Encode(), `"1"]`},
		// No start or end: Prometheus then reads all it holds, whichever
		// clock stamped it (scripts/clock-ahead.sh moves this process's
		// clock, not Prometheus's).
		{"Ariadne's exemplars in Prometheus", urls["Prometheus"] + "/api/v1/query_exemplars?" + url.Values{"query": {`http_server_request_duration_seconds_bucket{service="ariadne"}`}}.Encode(), `"trace_id"`},
		{"Ariadne's spans in Tempo", urls["Tempo (query)"] + "/api/search?" + url.Values{"q": {`{ resource.service.name = "ariadne" }`}}.Encode(), `"traceID"`},
		{"Ariadne's lines in Loki", urls["Loki"] + "/loki/api/v1/query_range?" + url.Values{"query": {`{service_name="ariadne"}`}}.Encode(), `"msg\":\"request\"`},
	} {
		if got := waitForBody(c.url, c.want, 30*time.Second); !strings.Contains(got, c.want) {
			t.Errorf("%s: %s answers %.300s", c.what, c.url, got)
		}
	}

	var addrs []string
	for _, k := range []string{"Ariadne", "Prometheus", "Loki", "Tempo (query)", "Postgres", "Shop gateway"} {
		u, err := url.Parse(urls[k])
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, u.Host)
	}
	children := childPIDs(cmd.Process.Pid)
	if len(children) < 2 {
		t.Errorf("expected Postgres and Prometheus as children, found %v", children)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo exited with %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop within 30s of SIGTERM")
	}
	// Children may take a moment to be reaped by their own shutdown.
	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range children {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if alive(pid) {
			t.Errorf("process %d outlived the demo", pid)
		}
	}
	for _, a := range addrs {
		l, err := net.Listen("tcp", a)
		if err != nil {
			t.Errorf("port %s still in use after the demo stopped: %v", a, err)
			continue
		}
		l.Close()
	}
}

// childPIDs lists the direct children of pid from /proc.
func childPIDs(pid int) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		var p int
		if _, err := fmt.Sscanf(e.Name(), "%d", &p); err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses.
		rest := string(b)[strings.LastIndexByte(string(b), ')')+2:]
		var state string
		var ppid int
		fmt.Sscanf(rest, "%s %d", &state, &ppid)
		if ppid == pid {
			out = append(out, p)
		}
	}
	return out
}

func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	rest := string(b)[strings.LastIndexByte(string(b), ')')+2:]
	return !strings.HasPrefix(rest, "Z") // a zombie has exited
}

// waitForBody polls u until its body contains want or d has passed, and
// returns the last body.
func waitForBody(u, want string, d time.Duration) string {
	var body string
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		resp, err := http.Get(u)
		if err != nil {
			body = err.Error()
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if body = string(b); strings.Contains(body, want) {
			break
		}
	}
	return body
}
