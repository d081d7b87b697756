// Package contracttest finds the recorded backend responses in
// ../shared/contracts (beside the repository). They are read from there at
// test time and never copied into the repository: some come from AGPL
// projects. Tests that need them skip with a clear message where they are
// absent, e.g. in a clone outside the workplace, and fail under CI=true,
// where a copy of shared/ always sits beside the clone (as store/storetest
// does for Postgres).
package contracttest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of ../shared/contracts/<elem...>, or skips
// t (fails it under CI=true) when the contracts are absent.
func Dir(t testing.TB, elem ...string) string {
	t.Helper()
	root := locate(t, find, os.Getenv("CI") == "true")
	return filepath.Join(append([]string{root}, elem...)...)
}

// Read returns the bytes of a contract file, or skips t as Dir does.
func Read(t testing.TB, elem ...string) []byte {
	t.Helper()
	p := Dir(t, elem...)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("reading contract file: %v", err)
	}
	return b
}

// Files returns the contract files matching pattern in the folder
// ../shared/contracts/<elem...>, or skips t as Dir does. No match fails t:
// a renamed folder must not quietly leave a fuzz test without its seeds.
func Files(t testing.TB, pattern string, elem ...string) []string {
	t.Helper()
	dir := Dir(t, elem...)
	files, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatalf("listing contract files: %v", err)
	}
	if len(files) == 0 {
		t.Fatalf("no contract file matches %s in %s", pattern, dir)
	}
	return files
}

// locate returns the contracts folder that found reports, or ends t when
// there is none: a failure under CI, where its absence means a broken
// setup, and a skip elsewhere.
func locate(t testing.TB, found func() (dir string, ok bool), ci bool) string {
	t.Helper()
	dir, ok := found()
	if ok {
		return dir
	}
	if dir == "" {
		dir = "../shared/contracts"
	}
	if ci {
		t.Fatalf("%s not found beside the repository: with CI=true the tests against recorded backend responses must run, so CI needs a copy of shared/ beside its clone", dir)
	}
	t.Skipf("%s not found beside the repository: skipping tests against recorded backend responses", dir)
	return ""
}

// find walks up from the working directory to the module root (the folder
// holding go.mod) and looks for shared/contracts beside it. When it is not
// there, dir is where it was looked for ("" without a module root).
func find() (dir string, ok bool) {
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for d := wd; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(filepath.Dir(d), "shared", "contracts")
			if st, err := os.Stat(c); err == nil && st.IsDir() {
				return c, true
			}
			return c, false
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", false
		}
		d = parent
	}
}
