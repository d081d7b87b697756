package views

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/text"
)

// Query languages of the pickers.
const (
	LangPromQL = "promql"
	LangLogQL  = "logql"
)

// pickerKeys are the picker's own parameters; paging is dropped too, as
// a changed query starts at its first page.
var pickerKeys = []string{"labels", "pick", "field", "parser", "filter", "value", "cursor", "newer"}

// Pick is what a picker chose: a label, or a detected field and the parser
// that reads it ("" for structured metadata).
type Pick struct {
	Name   string
	Field  bool
	Parser string
}

// Apply is q narrowed to value of the pick: a label matcher in the
// selectors, or for a field a parser stage and a label filter. ok is false
// when q has nothing to narrow (a field on a metric query, a label that
// cannot be a stream label).
func (p Pick) Apply(lang, q, value string) (string, bool) {
	switch {
	case lang == LangPromQL:
		return query.AddPromMatcher(q, p.Name, value), true
	case p.Field:
		if !query.IsLogQuery(q) {
			return q, false
		}
		return query.AddFieldFilter(q, p.Parser, p.Name, value), true
	}
	return query.AddLogMatcher(q, p.Name, value)
}

// PickerInput is what building a picker needs: the page it sits on and
// what the backend answered.
type PickerInput struct {
	Lang       string
	Path       string     // the page: /graph, /logs; fragments are Path+"/labels"
	Params     url.Values // the page's parameters, kept on every link
	Target     string     // the query parameter it edits
	TextareaID string
	Targets    []Link // the query boxes (Label, URL = parameter name) when more than one
	Query      string
	Open       bool
	Scope      string

	Labels      []string
	LabelsError string
	// Fields are the detected fields (logs only); FieldsNote says where
	// they come from when not from Loki's API.
	Fields      []PickerField
	FieldsNote  string
	FieldsError string

	Pick        Pick // Name empty: no label chosen
	Values      []string
	ValuesError string
	ValuesNote  string
	Filter      string
}

// PickerField is one detected field.
type PickerField struct {
	Name, Parser, Type string
	Cardinality        int
}

// BuildPicker lays out a picker: its links keep the page's parameters,
// with the query narrowed on the values' links.
func BuildPicker(in PickerInput) Picker {
	base := url.Values{}
	for k, vs := range in.Params {
		base[k] = vs
	}
	for _, k := range pickerKeys {
		base.Del(k)
	}
	link := func(path string, set ...string) string {
		v := url.Values{}
		for k, vs := range base {
			v[k] = vs
		}
		for i := 0; i+1 < len(set); i += 2 {
			if set[i+1] == "" {
				v.Del(set[i])
			} else {
				v.Set(set[i], set[i+1])
			}
		}
		return path + "?" + v.Encode()
	}
	frag := in.Path + "/labels"
	p := Picker{ID: "picker-" + in.Lang, Lang: in.Lang, Target: in.Target, TextareaID: in.TextareaID, Query: in.Query,
		Open: in.Open, Scope: in.Scope, Error: in.LabelsError,
		OpenURL: link(in.Path, "labels", "1"), OpenFragment: link(frag, "labels", "1"), CloseURL: link(in.Path)}
	if !in.Open {
		return p
	}
	for _, t := range in.Targets {
		p.Targets = append(p.Targets, Link{Label: t.Label, URL: link(in.Path, "labels", "1", "target", t.URL), Current: t.URL == in.Target})
	}
	pickArgs := func(pk Pick) []string {
		if pk.Field {
			return []string{"labels", "1", "field", pk.Name, "parser", pk.Parser}
		}
		return []string{"labels", "1", "pick", pk.Name}
	}
	name := func(pk Pick, hint string) PickerName {
		return PickerName{Name: pk.Name, Label: text.Visible(pk.Name), Hint: hint, URL: link(in.Path, pickArgs(pk)...), Fragment: link(frag, pickArgs(pk)...),
			Current: pk == in.Pick}
	}
	title := "Labels"
	if in.Lang == LangLogQL {
		title = "Stream labels"
	}
	if in.LabelsError == "" {
		g := PickerGroup{Title: title}
		for _, l := range in.Labels {
			g.Names = append(g.Names, name(Pick{Name: l}, ""))
		}
		if len(g.Names) == 0 {
			g.Note = "No labels in this time range."
		}
		p.Groups = append(p.Groups, g)
	}
	if in.Lang == LangLogQL && query.IsLogQuery(in.Query) {
		g := PickerGroup{Title: "Fields", Note: in.FieldsNote, Error: in.FieldsError}
		for _, f := range in.Fields {
			hint := f.Parser
			if hint == "" {
				hint = "metadata"
			}
			if f.Cardinality > 0 {
				hint += " · " + plural(f.Cardinality, "value")
			}
			g.Names = append(g.Names, name(Pick{Name: f.Name, Field: true, Parser: f.Parser}, hint))
		}
		if len(g.Names) == 0 && g.Error == "" {
			g.Note = strings.TrimSpace(g.Note + " No fields found in the lines.")
		}
		p.Groups = append(p.Groups, g)
	}
	if in.Pick.Name != "" {
		p.Values = buildPickerValues(in, link, frag, pickArgs(in.Pick))
	}
	return p
}

func buildPickerValues(in PickerInput, link func(string, ...string) string, frag string, pickArgs []string) *PickerValues {
	what := "label"
	if in.Pick.Field {
		what = "field"
	}
	v := &PickerValues{Name: in.Pick.Name, Title: "Values of " + what + " " + in.Pick.Name, Error: in.ValuesError, Note: in.ValuesNote,
		Filter: in.Filter, FilterAction: in.Path, Fragment: frag, Total: len(in.Values)}
	// The filter form keeps everything but itself.
	keep := url.Values{}
	for k, vs := range in.Params {
		keep[k] = vs
	}
	for _, k := range pickerKeys {
		keep.Del(k)
	}
	for i := 0; i+1 < len(pickArgs); i += 2 {
		if pickArgs[i+1] != "" {
			keep.Set(pickArgs[i], pickArgs[i+1])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(keep)) {
		for _, val := range keep[k] {
			v.FilterHidden = append(v.FilterHidden, Hidden{Name: k, Value: val})
		}
	}
	f := strings.ToLower(in.Filter)
	for _, val := range in.Values {
		if f != "" && !strings.Contains(strings.ToLower(val), f) {
			continue
		}
		if len(v.Values) == PickerMaxValues {
			v.More++
			continue
		}
		q, ok := in.Pick.Apply(in.Lang, in.Query, val)
		if !ok {
			continue
		}
		label := text.Shorten(text.Visible(val), 120)
		if val == "" {
			label = "(empty)"
		}
		fa := append(append([]string{}, pickArgs...), "value", val, in.Target, in.Query)
		v.Values = append(v.Values, PickerValue{Label: label, Value: val, Query: q, Title: text.Shorten(text.Visible(q), 500),
			URL:      link(in.Path, in.Target, q, "labels", "1"),
			Fragment: link(frag, fa...)})
	}
	return v
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// filterNote is " containing "x"" for a filtered list.
func filterNote(f string) string {
	if f == "" {
		return ""
	}
	return " containing " + strconv.Quote(f)
}

// quantileName is a quantile as a percentile: "0.99" is "99", "0.999" is "99.9".
func quantileName(q string) string {
	f, err := strconv.ParseFloat(q, 64)
	if err != nil {
		return q
	}
	return strconv.FormatFloat(f*100, 'f', -1, 64)
}

// LatencyBuilderInput is the builder's state and Prometheus's lists.
type LatencyBuilderInput struct {
	Services, Routes []string
	Service, Route   string
	Quantile         string
	Params           url.Values // the page's; the window and settings are kept
	Error            string     // the lists could not be read
	Built            bool       // the page's query came from the builder
	Listed           bool       // Prometheus was asked for the lists
}

// BuildLatencyBuilder lays out the builder form.
func BuildLatencyBuilder(in LatencyBuilderInput) LatencyBuilder {
	b := LatencyBuilder{Open: in.Built, Services: in.Services, Routes: in.Routes, Service: in.Service, Route: in.Route,
		Quantile: in.Quantile, Quantiles: query.Quantiles, Metric: query.LatencyHistogram, Note: in.Error}
	if b.Quantile == "" {
		b.Quantile = query.Quantiles[0]
	}
	if !slices.Contains(b.Quantiles, b.Quantile) {
		b.Quantiles = append(slices.Clone(b.Quantiles), b.Quantile)
	}
	// A chosen value the lists lack (gone from this range) stays choosable.
	if in.Service != "" && len(b.Services) > 0 && !slices.Contains(b.Services, in.Service) {
		b.Services = append(slices.Clone(b.Services), in.Service)
	}
	if in.Route != "" && len(b.Routes) > 0 && !slices.Contains(b.Routes, in.Route) {
		b.Routes = append(slices.Clone(b.Routes), in.Route)
	}
	for _, k := range []string{"from", "to", "utc", "step"} {
		if v := in.Params.Get(k); v != "" {
			b.Hidden = append(b.Hidden, Hidden{Name: k, Value: v})
		}
	}
	if in.Listed && len(in.Services) == 0 && in.Error == "" {
		b.Note = "Prometheus has no " + query.LatencyHistogram + " series in this range: type a service and route."
	}
	return b
}

// currentAttr marks the chosen name for assistive technology.
func currentAttr(current bool) templ.Attributes {
	if current {
		return templ.Attributes{"aria-current": "true"}
	}
	return nil
}
