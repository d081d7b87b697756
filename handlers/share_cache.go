package handlers

import "sync"

// sharePages keeps rendered share pages: a link pasted into a busy
// incident channel is opened by many people at once, and a page is a pure
// function of its investigation's fingerprint and the viewer's zone. The
// token is checked on every request before the cache is consulted, so a
// revoked link stops working at once. The zero value is ready to use.
type sharePages struct {
	mu    sync.Mutex
	pages map[string][]byte
	order []string // insertion order, for eviction
	size  int
}

// sharePagesMaxBytes bounds the memory the cache may hold.
const sharePagesMaxBytes = 32 << 20

func (s *sharePages) get(key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.pages[key]
	return b, ok
}

func (s *sharePages) put(key string, page []byte) {
	if len(page) > sharePagesMaxBytes/4 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pages == nil {
		s.pages = map[string][]byte{}
	}
	if _, ok := s.pages[key]; ok {
		return
	}
	for s.size+len(page) > sharePagesMaxBytes && len(s.order) > 0 {
		old := s.order[0]
		s.order = s.order[1:]
		s.size -= len(s.pages[old])
		delete(s.pages, old)
	}
	s.pages[key] = page
	s.order = append(s.order, key)
	s.size += len(page)
}
