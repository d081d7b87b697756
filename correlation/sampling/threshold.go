// Package sampling owns what Ariadne can tell about how a trace was
// sampled: OpenTelemetry's tracestate threshold (ot=th:…) and the adjusted
// count it implies, Jaeger's sampler.type/sampler.param tags, a tail
// sampler's policy where the pipeline records one, and the reasoning of a
// trace's 404 page (sampled out, not yet ingested, outside retention,
// another backend). Pure: callers pass the clock in.
package sampling

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// MaxAdjustedCount is 2^56, the number of distinct 56-bit randomness
// values: a rejection threshold is how many of them are rejected.
const MaxAdjustedCount = 1 << 56

// thDigits is the most hexadecimal digits a th value has (56 bits).
const thDigits = 14

// Threshold is OpenTelemetry's 56-bit rejection threshold: a trace whose
// randomness is below it is not sampled. 0 keeps everything.
type Threshold uint64

var (
	errThEmpty    = errors.New("th has no digits")
	errThTooLong  = errors.New("th has more than 14 hexadecimal digits")
	errThNotHex   = errors.New("th is not hexadecimal")
	errThNotFound = errors.New("no ot=th: in tracestate")
)

// ParseThreshold reads a th value: 1 to 14 hexadecimal digits, extended
// with trailing zeros to 14 (the spec removes them when writing).
func ParseThreshold(th string) (Threshold, error) {
	switch {
	case th == "":
		return 0, errThEmpty
	case len(th) > thDigits:
		return 0, errThTooLong
	}
	var v uint64
	for i := 0; i < len(th); i++ {
		d, ok := hexDigit(th[i])
		if !ok {
			return 0, errThNotHex
		}
		v = v<<4 | uint64(d)
	}
	return Threshold(v << (4 * (thDigits - len(th)))), nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// String writes t as a th value, trailing zeros removed ("0" for zero).
func (t Threshold) String() string {
	if t == 0 {
		return "0"
	}
	s := strconv.FormatUint(uint64(t), 16)
	s = strings.Repeat("0", thDigits-len(s)) + s
	return strings.TrimRight(s, "0")
}

// Probability is the sampling probability the threshold stands for,
// (2^56 - t) / 2^56.
func (t Threshold) Probability() float64 {
	return float64(MaxAdjustedCount-uint64(t)) / MaxAdjustedCount
}

// AdjustedCount is how many items of the population one sampled item
// stands for: 1 / Probability.
func (t Threshold) AdjustedCount() float64 {
	return MaxAdjustedCount / float64(MaxAdjustedCount-uint64(t))
}

// OTelValue is the value of sub-key key in tracestate's ot member
// ("ot=th:8;rv:…"), and whether it was there. Other vendors' members and
// the multi-tenant form (tenant@ot) are not OpenTelemetry's.
func OTelValue(tracestate, key string) (string, bool) {
	for member := range strings.SplitSeq(tracestate, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(member), "=")
		if !ok || k != "ot" {
			continue
		}
		for kv := range strings.SplitSeq(v, ";") {
			if sk, sv, ok := strings.Cut(kv, ":"); ok && sk == key {
				return sv, true
			}
		}
		return "", false // keys are unique: one ot member only
	}
	return "", false
}

// ThresholdOf reads the ot=th: threshold of a tracestate header.
func ThresholdOf(tracestate string) (Threshold, error) {
	th, ok := OTelValue(tracestate, "th")
	if !ok {
		return 0, errThNotFound
	}
	return ParseThreshold(th)
}

// ThresholdFor is the rejection threshold of sampling probability p, in
// (0, 1]: (1 - p) × 2^56, rounded to the nearest whole threshold.
func ThresholdFor(p float64) Threshold {
	switch {
	case p >= 1:
		return 0
	case p <= 1.0/MaxAdjustedCount:
		return MaxAdjustedCount - 1
	}
	return Threshold(math.Round((1 - p) * MaxAdjustedCount))
}
