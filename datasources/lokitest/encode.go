package lokitest

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// The answers are written by hand rather than with encoding/json: the field
// order matters to some clients (encodingFlags before result), the value
// tuples are heterogeneous arrays, and large answers stay cheap.

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendLabels(b []byte, ls []Label) []byte {
	b = append(b, '{')
	for i, l := range ls {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, l.Name)
		b = append(b, ':')
		b = appendString(b, l.Value)
	}
	return append(b, '}')
}

// appendSeconds writes unix nanoseconds as Loki's sample time: seconds as
// a JSON number with at most 3 decimals.
func appendSeconds(b []byte, ns int64) []byte {
	ms := ns / 1e6
	b = strconv.AppendInt(b, ms/1000, 10)
	if frac := ms % 1000; frac != 0 {
		d := []byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
		for d[len(d)-1] == '0' {
			d = d[:len(d)-1]
		}
		b = append(b, d...)
	}
	return b
}

// formatValue writes a sample value as Prometheus does, NaN and ±Inf too.
func formatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func appendStats(b []byte, st queryStats, returned int, execSeconds float64) []byte {
	perSec := func(n int64) int64 {
		if execSeconds <= 0 {
			return 0
		}
		return int64(float64(n) / execSeconds)
	}
	b = append(b, `"stats":{"summary":{"bytesProcessedPerSecond":`...)
	b = strconv.AppendInt(b, perSec(st.bytes), 10)
	b = append(b, `,"linesProcessedPerSecond":`...)
	b = strconv.AppendInt(b, perSec(st.lines), 10)
	b = append(b, `,"totalBytesProcessed":`...)
	b = strconv.AppendInt(b, st.bytes, 10)
	b = append(b, `,"totalLinesProcessed":`...)
	b = strconv.AppendInt(b, st.lines, 10)
	b = append(b, `,"execTime":`...)
	b = strconv.AppendFloat(b, execSeconds, 'f', -1, 64)
	b = append(b, `,"queueTime":0,"subqueries":0,"totalEntriesReturned":`...)
	b = strconv.AppendInt(b, int64(returned), 10)
	b = append(b, `,"splits":0,"shards":0,"totalPostFilterLines":`...)
	b = strconv.AppendInt(b, st.postFilter, 10)
	b = append(b, `,"totalStructuredMetadataBytesProcessed":`...)
	b = strconv.AppendInt(b, st.metaBytes, 10)
	return append(b, `}}`...)
}

// appendStreams writes a streams answer.
func appendStreams(b []byte, streams []outStream, categorized bool, st queryStats, execSeconds float64) []byte {
	b = append(b, `{"status":"success","data":{`...)
	if categorized {
		b = append(b, `"encodingFlags":["categorize-labels"],`...)
	}
	b = append(b, `"resultType":"streams","result":[`...)
	n := 0
	for i, s := range streams {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"stream":`...)
		b = appendLabels(b, s.labels)
		b = append(b, `,"values":[`...)
		for j, e := range s.entries {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, `["`...)
			b = strconv.AppendInt(b, e.ts, 10)
			b = append(b, `",`...)
			b = appendString(b, e.line)
			if categorized {
				b = append(b, ',', '{')
				if len(e.meta) > 0 {
					b = append(b, `"structuredMetadata":`...)
					b = appendLabels(b, e.meta)
				}
				if len(e.parsed) > 0 {
					if len(e.meta) > 0 {
						b = append(b, ',')
					}
					b = append(b, `"parsed":`...)
					b = appendLabels(b, e.parsed)
				}
				b = append(b, '}')
			}
			b = append(b, ']')
			n++
		}
		b = append(b, `]}`...)
	}
	b = append(b, `],`...)
	b = appendStats(b, st, n, execSeconds)
	return append(b, `}}`...)
}

// appendMetric writes a matrix (instant false) or vector answer.
func appendMetric(b []byte, res *evalResult, sp steps, instant bool, execSeconds float64) []byte {
	b = append(b, `{"status":"success","data":{"resultType":`...)
	switch {
	case instant && res.scalar:
		b = append(b, `"scalar","result":[`...)
		b = appendSeconds(b, sp.at(0))
		b = append(b, ',')
		b = appendString(b, formatValue(res.v))
		b = append(b, `],`...)
		b = appendStats(b, res.stats, 1, execSeconds)
		return append(b, `}}`...)
	case instant:
		b = append(b, `"vector","result":[`...)
	default:
		b = append(b, `"matrix","result":[`...)
	}
	ss := res.series
	if res.scalar {
		ss = []*series{constSeries(res.v, sp)}
	}
	n := 0
	for _, s := range ss {
		if len(s.points) == 0 {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, `{"metric":`...)
		b = appendLabels(b, s.labels)
		if instant {
			p := s.points[0]
			b = append(b, `,"value":[`...)
			b = appendSeconds(b, sp.at(p.k))
			b = append(b, ',')
			b = appendString(b, formatValue(p.v))
			b = append(b, `]}`...)
			continue
		}
		b = append(b, `,"values":[`...)
		for j, p := range s.points {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = appendSeconds(b, sp.at(p.k))
			b = append(b, ',')
			b = appendString(b, formatValue(p.v))
			b = append(b, ']')
		}
		b = append(b, `]}`...)
	}
	b = append(b, `],`...)
	b = appendStats(b, res.stats, n, execSeconds)
	return append(b, `}}`...)
}
