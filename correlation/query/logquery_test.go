package query

import (
	"reflect"
	"regexp"
	"strconv"
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
	if f := AlternateIDForms(id64); f[len(f)-1] != (IDForm{"64-bit", "a3ce929d0e0e4736"}) {
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

// A 64-bit trace ID, and idA: another trace whose 32 characters end with
// the same 16 (its high half is not zero).
const (
	idA   = "4bf92f3577b34da6a3ce929d0e0e4736"
	id64  = "0000000000000000a3ce929d0e0e4736"
	low64 = "a3ce929d0e0e4736"
)

func TestTraceLogQuery64Bit(t *testing.T) {
	const (
		span  = "00f067aa0ba902b7"
		group = `(0000000000000000)?a3ce929d0e0e4736`
		// The default query for id64: the cheap substring filter on the
		// 16-character form, then the whole ID, padded or not, and not
		// the tail of a longer hex string such as idA.
		def64 = `{service_name=~".+"} |= "a3ce929d0e0e4736" |~ "(^|[^0-9a-fA-F])(0000000000000000)?a3ce929d0e0e4736([^0-9a-fA-F]|$)"`
	)
	tests := []struct {
		name, tmpl, trace, span string
		want                    string
	}{
		{"default, 16 characters", "", low64, "", def64},
		{"default, padded", "", id64, "", def64},
		{"default, upper case", "", strings.ToUpper(low64), "", def64},
		{"default with span: exact span filter", "", low64, span, def64 + ` |= "00f067aa0ba902b7"`},
		{"label form: both lengths, anchored", LabelTraceLogQuery, low64, "", `{service_name=~".+"} | trace_id=~"` + group + `"`},
		{"label form with span: still a label filter", LabelTraceLogQuery, id64, span, `{service_name=~".+"} | trace_id=~"` + group + `" | span_id="00f067aa0ba902b7"`},
		{"stream selector matcher", `{app="shop", trace_id="${trace_id}"}`, low64, "", `{app="shop", trace_id=~"` + group + `"}`},
		{"== with spaces keeps the spaces", `{app="shop"} | json | trace_id == "${trace_id}"`, low64, "", `{app="shop"} | json | trace_id =~ "` + group + `"`},
		{"equality with text around the ID", `{app="shop"} | tid="trace.${trace_id}"`, low64, "", `{app="shop"} | tid=~"trace\\.` + group + `"`},
		{"label regex", `{app="shop"} | json | trace_id=~"${trace_id}|none"`, low64, "", `{app="shop"} | json | trace_id=~"` + group + `|none"`},
		{"line filter after a key: a regex of it", `{app="shop"} |= "trace_id=${trace_id}"`, low64, "",
			`{app="shop"} |= "a3ce929d0e0e4736" |~ "trace_id=` + group + `([^0-9a-fA-F]|$)"`},
		{"line filter with escaped quotes", `{app="shop"} |= "\"trace_id\":\"${trace_id}\""`, low64, "",
			`{app="shop"} |= "a3ce929d0e0e4736" |~ "\"trace_id\":\"` + group + `\""`},
		{"backquoted line filter", "{app=\"shop\"} |= `${trace_id}`", low64, "",
			`{app="shop"} |= "a3ce929d0e0e4736" |~ "(^|[^0-9a-fA-F])` + group + `([^0-9a-fA-F]|$)"`},
		{"regex line filter alone", `{app="shop"} |~ "${trace_id}"`, low64, "", `{app="shop"} |~ "(^|[^0-9a-fA-F])` + group + `([^0-9a-fA-F]|$)"`},
		{"regex line filter with the user's own regex", `{app="shop"} |~ "tid=${trace_id}\\b"`, low64, "", `{app="shop"} |~ "tid=` + group + `\\b"`},
		{"or chain: the 16 characters, no guard", `{app="shop"} |= "x" or "${trace_id}"`, low64, "", `{app="shop"} |= "x" or "a3ce929d0e0e4736"`},
		{"or chain with a key before the ID: as before", `{app="shop"} |= "trace_id=${trace_id}" or "x"`, low64, "", `{app="shop"} |= "trace_id=` + id64 + `" or "x"`},
		{"or between label filters is not a chain", `{app="shop"} | trace_id="${trace_id}" or tid="${trace_id}"`, low64, "",
			`{app="shop"} | trace_id=~"` + group + `" or tid=~"` + group + `"`},
		{"negations and label_format: as before", `{app="shop"} |= "${trace_id}" != "x${trace_id}" | label_format t="${trace_id}"`, low64, "",
			`{app="shop"} |= "a3ce929d0e0e4736" |~ "(^|[^0-9a-fA-F])` + group + `([^0-9a-fA-F]|$)" != "x` + id64 + `" | label_format t="` + id64 + `"`},
		{"template names the span", `{app="shop"} | json | trace_id="${trace_id}" | span_id="${span_id}" | level!="debug"`, low64, span,
			`{app="shop"} | json | trace_id=~"` + group + `" | span_id="00f067aa0ba902b7" | level!="debug"`},
		{"template names the span, none given", `{app="shop"} | json | trace_id="${trace_id}" | span_id="${span_id}" | level!="debug"`, low64, "",
			`{app="shop"} | json | trace_id=~"` + group + `" | level!="debug"`},

		// A 128-bit ID is written exactly as before, whatever the template.
		{"128-bit: default", "", idA, "", `{service_name=~".+"} |= "` + idA + `"`},
		{"128-bit: label", LabelTraceLogQuery, idA, span, `{service_name=~".+"} | trace_id="` + idA + `" | span_id="00f067aa0ba902b7"`},
		{"128-bit: custom", `{app="shop", trace_id="${trace_id}"} |= "trace_id=${trace_id}" |~ "${trace_id}" | tid=~"${trace_id}"`, idA, "",
			`{app="shop", trace_id="` + idA + `"} |= "trace_id=` + idA + `" |~ "` + idA + `" | tid=~"` + idA + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TraceLogQuery(tt.tmpl, tt.trace, tt.span)
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v\nwant %q", got, err, tt.want)
			}
		})
	}
}

// The default query's two line filters, as Loki applies them, keep the
// lines of the 64-bit trace in either form and nothing else.
func TestTraceLogQuery64BitLines(t *testing.T) {
	q, err := TraceLogQuery("", low64, "")
	if err != nil {
		t.Fatal(err)
	}
	toks := lexLogQL(q)
	lit, _ := strconv.Unquote(toks[len(toks)-3].text)
	src, _ := strconv.Unquote(toks[len(toks)-1].text)
	re := regexp.MustCompile(src)
	for line, want := range map[string]bool{
		`level=info traceID=` + low64 + ` msg="charging card"`: true,
		`{"trace_id":"` + id64 + `","msg":"charging card"}`:    true,
		`trace ` + low64:      true,
		`GET /traces/` + id64: true,
		`{"trace_id":"` + idA + `","msg":"someone else"}`:           false,
		`traceID=` + low64 + `ffffffffffffffff`:                     false,
		`traceID=` + strings.Repeat("0", 15) + "1" + low64:          false,
		`{"trace_id":"` + strings.ToUpper(id64) + `","msg":"case"}`: false, // as for any ID: case is the diagnosis's job
	} {
		if got := strings.Contains(line, lit) && re.MatchString(line); got != want {
			t.Errorf("%s: kept %v, want %v", line, got, want)
		}
	}
}

func TestTraceLogQueryForm(t *testing.T) {
	for _, tt := range []struct{ tmpl, form, span, want, wantErr string }{
		{"", "00000000-0000-0000-a3ce-929d0e0e4736", "", `{service_name=~".+"} |= "00000000-0000-0000-a3ce-929d0e0e4736"`, ""},
		{LabelTraceLogQuery, "AAAAAAAAAACjzpKdDg5HNg==", "00f067aa0ba902b7", `{service_name=~".+"} | trace_id="AAAAAAAAAACjzpKdDg5HNg==" | span_id="00f067aa0ba902b7"`, ""},
		{`{app="shop"} |~ "id=${trace_id}"`, "ab+c/d==", "", `{app="shop"} |~ "id=ab\\+c/d=="`, ""},
		{"", `x" or "`, "", "", "only hex"},
		{"", "", "", "", "only hex"},
	} {
		got, err := TraceLogQueryForm(tt.tmpl, tt.form, tt.span)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: got %q, %v; want an error with %q", tt.form, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %q, %v\nwant %q", tt.form, got, err, tt.want)
		}
	}
}

func TestLabelFilterName(t *testing.T) {
	for _, tt := range []struct{ q, id, want, renamed string }{
		{`{service_name=~".+"} | trace_id="` + idA + `"`, idA, "trace_id", `{service_name=~".+"} | traceId="` + idA + `"`},
		{`{service_name=~".+"} | json | traceId="` + idA + `"`, idA, "traceId", `{service_name=~".+"} | json | traceId="` + idA + `"`},
		{`{service_name=~".+"} |= "` + idA + `"`, idA, "", `{service_name=~".+"} |= "` + idA + `"`},
		{`{service_name=~".+", trace_id="` + idA + `"}`, idA, "trace_id", `{service_name=~".+", traceId="` + idA + `"}`},
		{`{service_name=~".+"} | level="x" and tid="` + idA + `"`, idA, "tid", `{service_name=~".+"} | level="x" and traceId="` + idA + `"`},
		// The shapes TraceLogQuery writes for a 64-bit ID.
		{mustQuery(t, LabelTraceLogQuery, low64), id64, "trace_id", `{service_name=~".+"} | traceId=~"(0000000000000000)?` + low64 + `"`},
		{mustQuery(t, `{app="x", tid="${trace_id}"}`, low64), id64, "tid", `{app="x", traceId=~"(0000000000000000)?` + low64 + `"}`},
		{mustQuery(t, "", low64), id64, "", mustQuery(t, "", low64)},
		// A user's query with the padded ID still counts.
		{`{app="x"} | trace_id="` + id64 + `"`, id64, "trace_id", `{app="x"} | traceId="` + id64 + `"`},
	} {
		if got := LabelFilterName(tt.q, tt.id); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.q, got, tt.want)
		}
		if got := RenameLabelFilter(tt.q, tt.id, "traceId"); got != tt.renamed {
			t.Errorf("%s renamed: %s, want %s", tt.q, got, tt.renamed)
		}
	}
}

func mustQuery(t *testing.T, tmpl, id string) string {
	t.Helper()
	q, err := TraceLogQuery(tmpl, id, "")
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestIDFormQueries(t *testing.T) {
	const id128 = "4bf92f3577b34da6a3ce929d0e0e4736"
	user := `{service="shop"} |= "` + id128 + `"`
	got := IDFormQueries("", user, id128, "")
	if len(got) != len(AlternateIDForms(id128)) || len(got) == 0 {
		t.Fatalf("%d queries for %d forms", len(got), len(AlternateIDForms(id128)))
	}
	for _, f := range got {
		if want := `{service="shop"} |= "` + f.Value + `"`; f.Query != want {
			t.Errorf("%s: the user's query should have the ID replaced: %q, want %q", f.Name, f.Query, want)
		}
	}

	const id64 = "0000000000000000a3ce929d0e0e4736"
	built, err := TraceLogQuery("", id64, "")
	if err != nil {
		t.Fatal(err)
	}
	got = IDFormQueries("", built, id64, "")
	for _, f := range got {
		if f.Value == id64[16:] {
			t.Errorf("the built query already searches the 16-character form; it is checked again")
		}
		want, _ := TraceLogQueryForm("", f.Value, "")
		if f.Query != want {
			t.Errorf("%s: built query not rebuilt with the form: %q, want %q", f.Name, f.Query, want)
		}
	}
	if len(got) != len(AlternateIDForms(id64))-1 {
		t.Errorf("%d queries, want every form but the 16-character one", len(got))
	}
}
