package handlers

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"time"
	"unsafe"

	"github.com/ariadne-dev/ariadne/correlation/chart"
	"github.com/ariadne-dev/ariadne/correlation/links"
	"github.com/ariadne-dev/ariadne/correlation/logline"
	"github.com/ariadne-dev/ariadne/correlation/query"
	"github.com/ariadne-dev/ariadne/correlation/text"
	"github.com/ariadne-dev/ariadne/datasources"
	"github.com/ariadne-dev/ariadne/datasources/loki"
	"github.com/ariadne-dev/ariadne/views"
)

// previewBytes is how much of a line its row shows; the rest sits behind
// "show all", so one 1 MB line cannot bury the page.
const previewBytes = 2000

// logRowLinks is what a row's links need beyond the line.
type logRowLinks struct {
	from, to time.Time // the page's window
	trace    string    // on the trace page: span links stay on it
	// colours, when set, are the trace page's service colour classes, so
	// a line's service matches its spans in the waterfall.
	colours map[string]string
}

var levelClass = map[string]string{"error": "lvl-error", "warn": "lvl-warn", "info": "lvl-info", "debug": "lvl-debug", "trace": "lvl-debug"}

// logRows turns lines into rows: inert text, level and service, derived
// trace links, and the line's labels, metadata and parsed fields for its
// expanded view. baseNs, when not zero, adds each line's offset from it.
func (h *Handler) logRows(lines []datasources.LogLine, zone *time.Location, baseNs int64, rl logRowLinks) []views.LogRow {
	rows := make([]views.LogRow, len(lines))
	svcClass := rl.colours
	if svcClass == nil {
		svcClass = map[string]string{}
	}
	var refs []logline.TraceRef
	// Lines of one stream share one Labels map: its selector and label
	// rows are built once per stream, not once per line.
	type streamInfo struct {
		selector string
		labels   []views.KV
	}
	streams := map[unsafe.Pointer]streamInfo{}
	for i := range lines {
		l := &lines[i]
		t := time.Unix(0, l.TimeNs).In(zone)
		level := logline.LineLevel(l)
		svc := logline.LineService(l)
		if _, ok := svcClass[svc]; !ok && rl.colours == nil {
			svcClass[svc] = "svc-" + strconv.Itoa(len(svcClass)%serviceColours)
		}
		r := views.LogRow{
			ID:         "l-" + strconv.Itoa(i),
			Time:       t.Format("15:04:05.000"),
			TimeTitle:  t.Format("2006-01-02 15:04:05.000000000 MST"),
			Level:      level,
			LevelClass: levelClass[level],
			Service:    svc,
			SvcClass:   svcClass[svc],
		}
		clean := logline.CleanLine(l.Line)
		if prev, cut := text.Cut(clean, previewBytes); cut {
			r.Preview, r.Rest = prev, clean[len(prev):]
			r.RestSize = byteSize(len(r.Rest))
		} else {
			r.Preview = clean
		}
		if baseNs != 0 {
			r.Offset = "+" + text.FormatDuration(time.Duration(l.TimeNs-baseNs))
		}
		refs = h.deriver.AppendExtract(refs[:0], l)
		for _, ref := range refs {
			// A window around the line's time: Tempo then searches only
			// the blocks that can hold the trace.
			r.Traces = append(r.Traces, views.Link{Label: ref.TraceID, URL: links.TraceLink(ref.TraceID, time.Unix(0, l.TimeNs))})
		}
		if sid := logline.LineSpanID(l); sid != "" && len(refs) > 0 {
			r.SpanID = sid
			r.SpanURL = "/traces/" + refs[0].TraceID + "?span=" + sid + "#s-" + sid
		}
		key := reflect.ValueOf(l.Labels).UnsafePointer()
		si, ok := streams[key]
		if !ok {
			si = streamInfo{labels: sortedKV(l.Labels)}
			if len(l.Labels) > 0 {
				si.selector = query.StreamSelector(l.Labels)
			}
			streams[key] = si
		}
		r.ContextURL = contextURL(si.selector, l)
		r.Labels = si.labels
		r.Metadata = sortedKV(l.StructuredMetadata)
		if len(l.Parsed) > 0 {
			r.Fields = sortedKV(l.Parsed)
		} else if len(l.Line) <= 64<<10 {
			for _, f := range logline.ParseFields(clean) {
				r.Fields = append(r.Fields, views.KV{Key: f.Key, Value: f.Value})
			}
		}
		rows[i] = r
	}
	return rows
}

func sortedKV(m map[string]string) []views.KV {
	if len(m) == 0 {
		return nil
	}
	out := make([]views.KV, 0, len(m))
	for k, v := range m {
		out = append(out, views.KV{Key: logline.CleanLine(k), Value: logline.CleanLine(v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// contextURL opens "show context" for a line: its stream, its time, and a
// hash of its text to mark it among lines of the same nanosecond.
func contextURL(selector string, l *datasources.LogLine) string {
	if selector == "" {
		return ""
	}
	return "/logs/context?h=" + lineHash(l.Line) + "&stream=" + url.QueryEscape(selector) + "&ts=" + strconv.FormatInt(l.TimeNs, 10)
}

func lineHash(s string) string {
	f := fnv.New64a()
	f.Write([]byte(s))
	return strconv.FormatUint(f.Sum64(), 36)
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.Itoa(n) + " bytes"
}

// volumeBars is how many bars the histogram aims for.
const volumeBars = 120

// levelOrder stacks bars from the bottom: errors first, where the eye is.
var levelOrder = []string{"error", "warn", "info", "debug", "trace", ""}

// volumePanel runs the by-level count alongside the lines.
func (h *Handler) volumePanel(ctx context.Context, req logsRequest) (panelOut, error) {
	if h.opt.Loki == nil {
		return panelOut{}, datasources.NotConfigured(loki.Backend)
	}
	window := req.r.To.Sub(req.r.From)
	step := chart.AutoStep(window, volumeBars)
	res, err := h.opt.Loki.QueryRange(ctx, loki.Query{Expr: query.VolumeQuery(req.query, step),
		Start: req.r.From, End: req.r.To, Step: step})
	if err != nil {
		return panelOut{}, err
	}
	v := volumeView(res.Series, req.r.From, req.r.To, step, req.zone, req.params)
	return panelOut{Body: views.LogVolumeChart(v), State: v.Total + " lines"}, nil
}

// volumeView lays the series out as stacked bars in a 90-unit-high chart.
func volumeView(series []datasources.Series, from, to time.Time, step time.Duration, zone *time.Location, params url.Values) views.LogVolume {
	type bucket struct {
		t      int64
		counts map[string]float64
	}
	buckets := map[int64]*bucket{}
	levels := map[string]bool{}
	total := 0.0
	for _, s := range series {
		lvl := logline.NormalizeLevel(s.Labels["level"])
		if levelClass[lvl] == "" {
			lvl = "" // one "other" colour for levels nobody agrees on
		}
		levels[lvl] = true
		for _, p := range s.Points {
			if math.IsNaN(p.V) || math.IsInf(p.V, 0) {
				continue
			}
			b := buckets[p.TMs]
			if b == nil {
				b = &bucket{t: p.TMs, counts: map[string]float64{}}
				buckets[p.TMs] = b
			}
			b.counts[lvl] += p.V
			total += p.V
		}
	}
	maxSum := 0.0
	for _, b := range buckets {
		sum := 0.0
		for _, n := range b.counts {
			sum += n
		}
		maxSum = max(maxSum, sum)
	}
	span := float64(to.Sub(from))
	pos := func(t time.Time) float64 { return 100 * float64(t.Sub(from)) / span }
	barW := max(100*float64(step)/span*0.8, 0.2)
	v := views.LogVolume{Total: strconv.FormatFloat(total, 'f', 0, 64), Max: strconv.FormatFloat(maxSum, 'f', 0, 64),
		Step: text.FormatDuration(step)}
	keys := make([]int64, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	for _, k := range keys {
		b := buckets[k]
		// A point at t counts the lines of (t-step, t].
		end := time.UnixMilli(k)
		start := end.Add(-step)
		x := max(pos(start)+(100*float64(step)/span-barW)/2, 0)
		bar := views.VolumeBar{X: pctf(x), W: pctf(barW)}
		y := 90.0
		title := start.In(zone).Format("15:04:05") + "–" + end.In(zone).Format("15:04:05") + ":"
		for _, lvl := range levelOrder {
			n := b.counts[lvl]
			if n == 0 {
				continue
			}
			hgt := 88 * n / maxSum
			y -= hgt
			cls := levelClass[lvl]
			if cls == "" {
				cls = "lvl-other"
			}
			bar.Parts = append(bar.Parts, views.VolumePart{Y: strconv.FormatFloat(y, 'f', 2, 64), H: strconv.FormatFloat(hgt, 'f', 2, 64), Class: cls})
			name := lvl
			if name == "" {
				name = "other"
			}
			title += fmt.Sprintf(" %.0f %s", n, name)
		}
		bar.Title = title
		q := url.Values{}
		for kk, vs := range params {
			if kk != "cursor" && kk != "newer" {
				q[kk] = vs
			}
		}
		q.Set("from", start.UTC().Format(time.RFC3339Nano))
		q.Set("to", end.UTC().Format(time.RFC3339Nano))
		bar.ZoomURL = "/logs?" + q.Encode()
		v.Bars = append(v.Bars, bar)
	}
	for _, lvl := range levelOrder {
		if levels[lvl] {
			name, cls := lvl, levelClass[lvl]
			if name == "" {
				name, cls = "other", "lvl-other"
			}
			v.Legend = append(v.Legend, views.LevelChip{Name: name, Class: cls})
		}
	}
	for _, t := range chart.TimeTicks(from, to, zone, 8, pos) {
		v.Ticks = append(v.Ticks, views.AxisTick{X: pctf(t.Pos), Label: t.Label})
	}
	return v
}

func pctf(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) + "%" }
