package handlers

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"sync"
)

// sharePages keeps rendered share pages: a link pasted into a busy
// incident channel is opened by many people at once, and a page is a pure
// function of its investigation's fingerprint and the viewer's zone. The
// token is checked on every request before the cache is consulted, so a
// revoked link stops working at once. The zero value is ready to use.
//
// Each page is kept compressed as well: gzip of a 50-item page (≈ 400 KB)
// costs ≈ 4 ms, which on two cores capped the share page at ≈ 460 req/s
// when every request compressed it again.
type sharePages struct {
	mu    sync.Mutex
	pages map[string]sharePage
	order []string // insertion order, for eviction
	size  int
}

// sharePage is one rendered page, plain and gzipped.
type sharePage struct {
	html, gz []byte
}

// sharePagesMaxBytes bounds the memory the cache may hold.
const sharePagesMaxBytes = 32 << 20

func (s *sharePages) get(key string) (sharePage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pages[key]
	return p, ok
}

// put compresses and keeps html under key, and returns the page either
// way, so the request that rendered it is served the same bytes.
func (s *sharePages) put(key string, html []byte) sharePage {
	p := sharePage{html: html, gz: gzipped(html)}
	n := len(p.html) + len(p.gz)
	if n > sharePagesMaxBytes/4 {
		return p
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pages == nil {
		s.pages = map[string]sharePage{}
	}
	if old, ok := s.pages[key]; ok {
		return old
	}
	for s.size+n > sharePagesMaxBytes && len(s.order) > 0 {
		old := s.order[0]
		s.order = s.order[1:]
		s.size -= len(s.pages[old].html) + len(s.pages[old].gz)
		delete(s.pages, old)
	}
	s.pages[key] = p
	s.order = append(s.order, key)
	s.size += n
	return p
}

// gzipped is b compressed once, at the best ratio: it is served many times.
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip: named
// (or "*") with a q-value other than 0.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		return q > 0
	}
	return false
}
