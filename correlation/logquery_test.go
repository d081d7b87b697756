package correlation

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestTraceLogQuery(t *testing.T) {
	tests := []struct {
		name, tmpl, trace, span string
		want                    string
		wantErr                 string
	}{
		{"default, padded and lower-cased", "", strings.ToUpper(idA), "", `{service_name=~".+"} |= "` + idA + `"`, ""},
		{"64-bit ID padded", "", "a3ce929d0e0e4736", "", `{service_name=~".+"} |= "0000000000000000a3ce929d0e0e4736"`, ""},
		{"span adds a line filter", "", idA, "00F067AA0BA902B7", `{service_name=~".+"} |= "` + idA + `" |= "00f067aa0ba902b7"`, ""},
		{"label form", LabelTraceLogQuery, idA, "", `{service_name=~".+"} | trace_id="` + idA + `"`, ""},
		{"label form with span", LabelTraceLogQuery, idA, "00f067aa0ba902b7", `{service_name=~".+"} | trace_id="` + idA + `" | span_id="00f067aa0ba902b7"`, ""},
		{"template names the span", `{app="shop"} | json | trace_id="${trace_id}" | span_id="${span_id}" | level!="debug"`, idA, "00f067aa0ba902b7",
			`{app="shop"} | json | trace_id="` + idA + `" | span_id="00f067aa0ba902b7" | level!="debug"`, ""},
		{"template names the span, none given", `{app="shop"} | json | trace_id="${trace_id}" | span_id="${span_id}" | level!="debug"`, idA, "",
			`{app="shop"} | json | trace_id="` + idA + `" | level!="debug"`, ""},
		{"injection: quote and pipeline", "", idA + `"} | drop trace_id #`, "", "", "hexadecimal"},
		{"injection: selector", "", `"} or {job=~".+`, "", "", "hexadecimal"},
		{"injection through span", "", idA, `0" |~ ".*`, "", "hexadecimal"},
		{"too long", "", idA + "0", "", "", "1 to 32"},
		{"template without the ID", `{app="shop"}`, idA, "", "", "${trace_id}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TraceLogQuery(tt.tmpl, tt.trace, tt.span)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %q, %v; want error with %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v\nwant %q", got, err, tt.want)
			}
		})
	}
}

func TestVolumeQuery(t *testing.T) {
	for _, tt := range []struct {
		step time.Duration
		want string
	}{
		{15 * time.Second, `sum by (level) (count_over_time({service_name="orders"} |= "x" [15s]))`},
		{2 * time.Minute, `sum by (level) (count_over_time({service_name="orders"} |= "x" [2m]))`},
		{3 * time.Hour, `sum by (level) (count_over_time({service_name="orders"} |= "x" [3h]))`},
		{500 * time.Millisecond, `sum by (level) (count_over_time({service_name="orders"} |= "x" [500ms]))`},
	} {
		if got := VolumeQuery(` {service_name="orders"} |= "x" `, tt.step); got != tt.want {
			t.Errorf("%s: %q", tt.step, got)
		}
	}
	if !IsLogQuery(` {a="b"}`) || IsLogQuery(`rate({a="b"}[1m])`) {
		t.Error("IsLogQuery")
	}
}

func TestStreamSelector(t *testing.T) {
	got := StreamSelector(map[string]string{"service_name": "orders", "level": `we"ird\`, "bad-name": "x"})
	if want := `{level="we\"ird\\", service_name="orders"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestAlternateIDForms(t *testing.T) {
	got := AlternateIDForms(idA)
	want := []IDForm{
		{"with dashes", "4bf92f35-77b3-4da6-a3ce-929d0e0e4736"},
		{"upper case", "4BF92F3577B34DA6A3CE929D0E0E4736"},
		{"base64", "S/kvNXezTaajzpKdDg5HNg=="},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
	if f := AlternateIDForms("0000000000000000a3ce929d0e0e4736"); f[len(f)-1] != (IDForm{"64-bit", "a3ce929d0e0e4736"}) {
		t.Errorf("64-bit form missing: %v", f)
	}
}

func TestCloseNames(t *testing.T) {
	have := []string{"level", "service_name", "traceId", "trace.id", "TraceID", "span_id", "trace_id", "tracer"}
	got := CloseNames("trace_id", have)
	want := []string{"TraceID", "trace.id", "traceId"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLabelFilterName(t *testing.T) {
	for q, want := range map[string]string{
		`{service_name=~".+"} | trace_id="` + idA + `"`:          "trace_id",
		`{service_name=~".+"} | json | traceId="` + idA + `"`:    "traceId",
		`{service_name=~".+"} |= "` + idA + `"`:                  "",
		`{service_name=~".+", trace_id="` + idA + `"}`:           "trace_id",
		`{service_name=~".+"} | level="x" and tid="` + idA + `"`: "tid",
	} {
		if got := LabelFilterName(q, idA); got != want {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
}
