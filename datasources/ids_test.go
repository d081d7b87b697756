package datasources

import (
	"strings"
	"testing"
)

func TestParseTraceID(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"4bf92f3577b34da6a3ce929d0e0e4736", "4bf92f3577b34da6a3ce929d0e0e4736", true},
		{"4BF92F3577B34DA6A3CE929D0E0E4736", "4bf92f3577b34da6a3ce929d0e0e4736", true},
		{"  4bf92f3577b34da6a3ce929d0e0e4736\n", "4bf92f3577b34da6a3ce929d0e0e4736", true},
		// Tempo search strips leading zeros; 64-bit Jaeger IDs are 16 chars.
		{"4bf92f3577b34da6a3ce929d0e0e47", "004bf92f3577b34da6a3ce929d0e0e47", true},
		{"d6e9329d67b6146a", "0000000000000000d6e9329d67b6146a", true},
		{"abc", "00000000000000000000000000000abc", true},
		{"1", "00000000000000000000000000000001", true},
		{"", "", false},
		{"   ", "", false},
		{"0", "", false},
		{strings.Repeat("0", 32), "", false},
		{strings.Repeat("a", 33), "", false},
		{"xyz", "", false},
		{"4bf92f35-77b3-4da6-a3ce-929d0e0e4736", "", false},
		{"0x4bf92f3577b34da6", "", false},
		{"4bf92f3577b34da6a3ce929d0e0e47é", "", false},
	}
	for _, tc := range cases {
		got, err := ParseTraceID(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseTraceID(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && err != ErrInvalidTraceID {
			t.Errorf("ParseTraceID(%q) error %v, want ErrInvalidTraceID", tc.in, err)
		}
	}
}

func TestParseSpanID(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"00f067aa0ba902b7", "00f067aa0ba902b7", true},
		{"F067AA0BA902B7", "00f067aa0ba902b7", true},
		{"7", "0000000000000007", true},
		{"0000000000000000", "", false},
		{"00f067aa0ba902b7a", "", false},
		{"g067aa0ba902b7", "", false},
	}
	for _, tc := range cases {
		got, err := ParseSpanID(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseSpanID(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && err != ErrInvalidSpanID {
			t.Errorf("ParseSpanID(%q) error %v, want ErrInvalidSpanID", tc.in, err)
		}
	}
}

func TestParseTraceRef(t *testing.T) {
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	cases := []struct {
		in, trace, span string
		errPart         string // "" means success
	}{
		{tp, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", ""},
		{"traceparent: " + tp, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", ""},
		{"traceparent=" + tp, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", ""},
		// Browsers and HTTP/1.1 tools show the header name capitalised.
		{"Traceparent: " + tp, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", ""},
		{strings.ToUpper(tp), "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", ""},
		{"  4bf92f3577b34da6a3ce929d0e0e47  ", "004bf92f3577b34da6a3ce929d0e0e47", "", ""},
		{"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", ""},
		{"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "", "", "version ff"},
		{"zz-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "", "", "not hexadecimal"},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-zz", "", "", "flags"},
		{"00-00000000000000000000000000000000-00f067aa0ba902b7-01", "", "", "trace ID"},
		{"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "", "", "span ID"},
		{"00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01", "", "", "version-traceid-spanid-flags"},
		{"not an id", "", "", "trace ID"},
	}
	for _, tc := range cases {
		tr, sp, err := ParseTraceRef(tc.in)
		if tc.errPart == "" {
			if err != nil || tr != tc.trace || sp != tc.span {
				t.Errorf("ParseTraceRef(%q) = %q, %q, %v; want %q, %q", tc.in, tr, sp, err, tc.trace, tc.span)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.errPart) || tr != "" || sp != "" {
			t.Errorf("ParseTraceRef(%q) = %q, %q, %v; want an error mentioning %q", tc.in, tr, sp, err, tc.errPart)
		}
	}
}

// FuzzParseTraceRef checks the invariants every caller relies on: a
// successful parse is canonical (32 or 16 lower-case hex, not all zero,
// idempotent) and keeps the pasted ID's significant digits.
func FuzzParseTraceRef(f *testing.F) {
	for _, s := range []string{
		"4bf92f3577b34da6a3ce929d0e0e4736", "004bf92f3577b34da6a3ce929d0e0e47", "d6e9329d67b6146a", "abc", "0",
		"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "---", " \t", "5b8efff798038103d269b633813fc700",
	} {
		f.Add(s)
	}
	canonical := func(t *testing.T, id string, width int) {
		t.Helper()
		if len(id) != width || strings.Trim(id, "0123456789abcdef") != "" || strings.Trim(id, "0") == "" {
			t.Fatalf("%q is not %d lower-case hex digits, not all zero", id, width)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if id, err := ParseTraceID(s); err == nil {
			canonical(t, id, 32)
			if again, _ := ParseTraceID(id); again != id {
				t.Fatalf("not idempotent: %q -> %q -> %q", s, id, again)
			}
			if strings.TrimLeft(id, "0") != strings.TrimLeft(strings.ToLower(strings.TrimSpace(s)), "0") {
				t.Fatalf("%q -> %q changed significant digits", s, id)
			}
		}
		if id, err := ParseSpanID(s); err == nil {
			canonical(t, id, 16)
		}
		tr, sp, err := ParseTraceRef(s)
		if err != nil {
			if tr != "" || sp != "" {
				t.Fatalf("error %v with IDs %q %q", err, tr, sp)
			}
			return
		}
		canonical(t, tr, 32)
		if sp != "" {
			canonical(t, sp, 16)
		}
	})
}

func TestTraceExtent(t *testing.T) {
	tr := &Trace{Spans: []Span{{StartNs: 50, EndNs: 60}, {StartNs: 10, EndNs: 40}, {StartNs: 20, EndNs: 90}}}
	if s, e := tr.Extent(); s != 10 || e != 90 {
		t.Errorf("extent %d–%d, want 10–90", s, e)
	}
	if s, e := (&Trace{}).Extent(); s != 0 || e != 0 {
		t.Errorf("empty trace extent %d–%d", s, e)
	}
}
