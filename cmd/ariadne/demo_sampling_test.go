package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// A bad --sampling is refused before anything starts.
func TestDemoRefusesUnknownSampling(t *testing.T) {
	err := runDemo(context.Background(), []string{"--sampling", "sometimes"}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--sampling") || !strings.Contains(err.Error(), "want none, head, tail or adaptive") {
		t.Fatalf("err = %v", err)
	}
}

func TestSamplingSummary(t *testing.T) {
	for st, want := range map[string]string{"none": "none, every trace kept", "head": "head, 0.1 of traces",
		"tail": "tail: errors, slower than 1s, 5% of the rest", "adaptive": "adaptive, 1 trace/s per operation"} {
		if got := samplingSummary(st, 0.1); got != want {
			t.Errorf("%s: %q, want %q", st, got, want)
		}
	}
}
