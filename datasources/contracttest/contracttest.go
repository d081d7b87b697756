// Package contracttest finds the recorded backend responses in
// ../shared/contracts (beside the repository). They are read from there at
// test time and never copied into the repository: some come from AGPL
// projects. Tests that need them skip with a clear message where they are
// absent, e.g. in a clone outside the workplace.
package contracttest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of ../shared/contracts/<elem...>, or skips t.
func Dir(t testing.TB, elem ...string) string {
	t.Helper()
	root, ok := find()
	if !ok {
		t.Skip("../shared/contracts not found beside the repository: skipping tests against recorded backend responses")
	}
	return filepath.Join(append([]string{root}, elem...)...)
}

// Read returns the bytes of a contract file, or skips t.
func Read(t testing.TB, elem ...string) []byte {
	t.Helper()
	p := Dir(t, elem...)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("reading contract file: %v", err)
	}
	return b
}

// find walks up from the working directory to the module root (the folder
// holding go.mod) and looks for shared/contracts beside it.
func find() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			c := filepath.Join(filepath.Dir(dir), "shared", "contracts")
			if st, err := os.Stat(c); err == nil && st.IsDir() {
				return c, true
			}
			return "", false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
