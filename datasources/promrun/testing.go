package promrun

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// StartTest starts Prometheus scraping targets for the test's duration and
// stops it in t.Cleanup. Without a prometheus binary the test is skipped,
// except under CI=true, where a missing binary must fail the run instead of
// silently skipping the integration tests.
func StartTest(t testing.TB, targets ...string) *Prometheus {
	t.Helper()
	return StartTestOptions(t, Options{Targets: targets})
}

// StartTestOptions is StartTest with full Options; Dir defaults to a
// t.TempDir.
func StartTestOptions(t testing.TB, opts Options) *Prometheus {
	t.Helper()
	RequireBinary(t)
	if opts.Dir == "" {
		opts.Dir = t.TempDir() // registered first, so removed after Stop
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("starting prometheus: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Stop(); err != nil {
			t.Errorf("stopping prometheus: %v", err)
		}
	})
	return p
}

// RequireBinary skips the test when no prometheus binary is installed, or
// fails it under CI=true.
func RequireBinary(t testing.TB) {
	t.Helper()
	if _, err := FindBinary(""); err != nil {
		if !errors.Is(err, ErrBinaryNotFound) || os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}
