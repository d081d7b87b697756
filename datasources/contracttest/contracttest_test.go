package contracttest

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that notes how a helper ended t. Fatalf and
// Skipf stop the goroutine, as the real ones do.
type recorder struct {
	testing.TB
	failed, skipped string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls f with a recorder in a goroutine of its own, which Fatalf and
// Skipf may end.
func run(t *testing.T, f func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

// TestAbsentContracts: where the contracts are missing, a test skips, and
// under CI=true it fails, saying where they were looked for.
func TestAbsentContracts(t *testing.T) {
	missing := func() (string, bool) { return "/nowhere/shared/contracts", false }
	noModule := func() (string, bool) { return "", false }
	tests := []struct {
		name      string
		found     func() (string, bool)
		ci        bool
		wantFail  bool
		wantWords string
	}{
		{"absent, a clone elsewhere: skip", missing, false, false, "/nowhere/shared/contracts not found"},
		{"absent under CI: fail", missing, true, true, "/nowhere/shared/contracts not found"},
		{"no module root under CI: fail", noModule, true, true, "../shared/contracts not found"},
		{"no module root elsewhere: skip", noModule, false, false, "../shared/contracts not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, func(tb testing.TB) { locate(tb, tt.found, tt.ci) })
			got, other := r.skipped, r.failed
			if tt.wantFail {
				got, other = r.failed, r.skipped
			}
			if !strings.Contains(got, tt.wantWords) || other != "" {
				t.Errorf("failed %q, skipped %q; want the %s to say %q", r.failed, r.skipped, map[bool]string{true: "failure", false: "skip"}[tt.wantFail], tt.wantWords)
			}
			if tt.wantFail && !strings.Contains(got, "CI") {
				t.Errorf("the failure %q does not say why CI needs the contracts", got)
			}
		})
	}
}

func TestPresentContracts(t *testing.T) {
	dir := t.TempDir()
	found := func() (string, bool) { return dir, true }
	for _, ci := range []bool{false, true} {
		var got string
		r := run(t, func(tb testing.TB) { got = locate(tb, found, ci) })
		if got != dir || r.failed != "" || r.skipped != "" {
			t.Errorf("ci=%v: locate = %q (failed %q, skipped %q), want %q", ci, got, r.failed, r.skipped, dir)
		}
	}
}

func TestFilesWithoutMatchFails(t *testing.T) {
	Dir(t) // the rule itself, for the real folder
	r := run(t, func(tb testing.TB) { Files(tb, "*.no-such-extension", "loki") })
	if !strings.Contains(r.failed, "no contract file matches") {
		t.Errorf("failed %q, skipped %q; want a failure", r.failed, r.skipped)
	}
	if files := Files(t, "*.json", "loki", "real"); len(files) == 0 || filepath.Ext(files[0]) != ".json" {
		t.Errorf("Files(*.json) = %v", files)
	}
}
