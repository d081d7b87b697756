package logline

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ariadne-dev/ariadne/datasources"
)

const (
	idA = "4bf92f3577b34da6a3ce929d0e0e4736"
	idB = "0af7651916cd43dd8448eb211c80319c"
)

func TestDerivedFieldsDefaults(t *testing.T) {
	d := MustDefaultDeriver()
	tests := []struct {
		name string
		line datasources.LogLine
		want []string
	}{
		{"JSON line", datasources.LogLine{Line: `{"level":"info","msg":"charging card","trace_id":"` + idA + `","span_id":"00f067aa0ba902b7"}`}, []string{idA}},
		{"JSON with a space after the colon", datasources.LogLine{Line: `{"traceId": "` + strings.ToUpper(idA) + `"}`}, []string{idA}},
		{"logfmt line", datasources.LogLine{Line: `level=error msg="charge failed" trace_id=` + idA + ` span_id=00f067aa0ba902b7`}, []string{idA}},
		{"Jaeger traceID", datasources.LogLine{Line: `ts=1 traceID=` + idB + ` done`}, []string{idB}},
		{"plain text with no ID", datasources.LogLine{Line: `GET /healthz 200 4bf92f35`}, nil},
		{"two IDs on one line, both linked, in order", datasources.LogLine{Line: `link from trace_id=` + idA + ` to trace_id=` + idB}, []string{idA, idB}},
		{"two IDs in JSON, the first in a non-match", datasources.LogLine{Line: `{"trace_idx":"` + idB + `","trace_id":"` + idA + `","links":{"traceId":"` + idB + `"}}`}, []string{idA, idB}},
		{"a match right after a match", datasources.LogLine{Line: `trace_id=` + idA + ` trace_id=` + idB}, []string{idA, idB}},
		{"xtrace_id= is not trace_id=, the next one is", datasources.LogLine{Line: `xtrace_id=` + idB + ` trace_id=` + idA}, []string{idA}},
		{"the same ID twice links once", datasources.LogLine{Line: `trace_id=` + idA + ` {"trace_id":"` + idA + `"}`}, []string{idA}},
		{"64-bit ID is padded", datasources.LogLine{Line: `traceID=a3ce929d0e0e4736`}, []string{"0000000000000000a3ce929d0e0e4736"}},
		{"31 characters: wrong length", datasources.LogLine{Line: `trace_id=` + idA[1:]}, nil},
		{"33 characters: wrong length", datasources.LogLine{Line: `trace_id=` + idA + `0`}, nil},
		{"not hex", datasources.LogLine{Line: `trace_id=zzf92f3577b34da6a3ce929d0e0e4736`}, nil},
		{"all zeros is no trace", datasources.LogLine{Line: `trace_id=00000000000000000000000000000000`}, nil},
		{"part of a longer key is not trace_id", datasources.LogLine{Line: `parent_trace_id_hint=` + idA}, nil},
		{"structured metadata", datasources.LogLine{Line: "charged", StructuredMetadata: map[string]string{"trace_id": idB}}, []string{idB}},
		{"stream label traceID", datasources.LogLine{Line: "x", Labels: map[string]string{"traceID": idA}}, []string{idA}},
		{"metadata and line agree: one link", datasources.LogLine{Line: `trace_id=` + idA, StructuredMetadata: map[string]string{"trace_id": idA}}, []string{idA}},
		{"parsed field", datasources.LogLine{Line: "x", Parsed: map[string]string{"trace_id": idB}}, []string{idB}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range d.Extract(&tt.line) {
				got = append(got, r.TraceID)
				if r.Field != "trace_id" {
					t.Errorf("field %q", r.Field)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDerivedFieldsConfigured(t *testing.T) {
	d, err := CompileDerivedFields([]DerivedField{
		{Name: "request", Regex: `req=([0-9a-f]+)`},
		{Name: "otel", Label: "otel_trace"},
	})
	if err != nil {
		t.Fatal(err)
	}
	l := datasources.LogLine{Line: `req=` + idA + ` trace_id=` + idB, StructuredMetadata: map[string]string{"otel_trace": idB}}
	got := d.Extract(&l)
	want := []TraceRef{{"request", idA}, {"otel", idB}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v (the defaults must not apply once rules are configured)", got, want)
	}
}

func TestCompileDerivedFieldsErrors(t *testing.T) {
	tests := []struct {
		rule DerivedField
		want string
	}{
		{DerivedField{Name: "x", Regex: `trace=\w+`}, "exactly one capture group"},
		{DerivedField{Name: "x", Regex: `(a)(b)`}, "it has 2"},
		{DerivedField{Name: "x", Regex: `(`}, "missing closing )"},
		{DerivedField{Name: "x", Regex: `(a)`, Label: "trace_id"}, "not both"},
		{DerivedField{Name: "x"}, "set a regex or a label"},
	}
	for _, tt := range tests {
		_, err := CompileDerivedFields([]DerivedField{tt.rule})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want %q", tt.rule, err, tt.want)
		}
	}
}

// A JSON line's fields stand in for the default JSON rule's scan
// (AppendExtractFrom): the IDs, and their order, are the regex's whatever
// the line holds; escaped keys, escaped values, numbers, nesting, more
// than 16 fields and lines cleaned of escapes all included.
func FuzzExtractFromFields(f *testing.F) {
	for _, line := range []string{
		`{"level":"info","trace_id":"` + idA + `","traceID":"` + idB + `"}`,
		`{"trace_ID" : "` + idA + `" , "traceid":"` + idA + `"}`,
		`{"trace_id":1234567890123456,"traceId":"` + idB + `"}`,            // a number is no match
		`{"a\"trace_id":"` + idA + `"}`,                                    // a match inside an escaped key
		`{"trace\u005fid":"` + idA + `"}`,                                  // an escape where the regex wants _
		`{"trace_id":"\u0034bf92f3577b34da6a3ce929d0e0e4736"}`,             // an escape in the value
		`{"msg":"x\"trace_id\":\"` + idA + `\"","trace_id":"` + idB + `"}`, // a quoted match in a value
		`{"a":{"trace_id":"` + idA + `"},"traceId":"` + idB + `"}`,         // nesting
		`{"trace_id":"` + idA + `","trace_id":"` + idB + `"}`,              // a key twice
		`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"ka":0,"kb":1,"kc":2,"kd":3,"ke":4,"traceId":"` + idB + `","trace_id":"` + idA + `"}`,
		"{\"trace_id\":\t\"" + idA + "\"}",
		"\x1b[31m{\"trace_id\":\"" + idA + "\"}",
		`trace_id=` + idA + ` {"trace_id":"` + idB + `"}`,
		`{"trace__id":"` + idA + `","tracexid":"` + idB + `"}`,
	} {
		f.Add(line)
	}
	d := MustDefaultDeriver()
	f.Fuzz(func(t *testing.T, line string) {
		if len(line) > 4096 {
			return
		}
		l := datasources.LogLine{Line: line, StructuredMetadata: map[string]string{"trace_id": idA}}
		want := d.AppendExtract(nil, &l)
		lf := AppendLineFields(nil, CleanLine(line))
		if got := d.AppendExtractFrom(nil, &l, &lf); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: from fields %v, from the text %v", line, got, want)
		}
	})
}

// The usual JSON line is read from its fields, not scanned again.
func TestPlainJSONLineExtractsFromFields(t *testing.T) {
	line := `{"level":"info","msg":"charging card","trace_id":"` + idA + `","span_id":"00f067aa0ba902b7"}`
	lf := AppendLineFields(nil, line)
	if !lf.flat || !lf.plain.keys || lf.plain.strings != 0b1111 {
		t.Fatalf("fields %+v: flat %v, plain %+v", lf.Fields, lf.flat, lf.plain)
	}
	if lf := AppendLineFields(nil, `{"a\"b":"c","d":"e\n"}`); lf.plain.keys || lf.plain.strings != 0b01 {
		t.Errorf("an escaped key, then an escaped value: %+v, want no plain keys and the first value plain", lf.plain)
	}
}
