// Package prefault faults in the pages of a large fresh allocation on a
// spare core while the caller fills it from the front.
//
// A huge trace is read, decoded and arranged into fresh memory, and on
// this project's 2-core VMs fresh memory is much of the cost: the first
// write to each 4 KiB page faults, and the host hands over a page the
// guest never touched at ≈ 3 s per GB (≈ 0.5 s per GB for one it had).
// Where one core fills a buffer and the other waits (a body arriving on a
// socket, a tree walked on one core), the waiting core populates the
// pages from the far end and the two meet in the middle.
package prefault

import (
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// MinBytes is the allocation size from which a helper populates it:
// below it, its pages are a few milliseconds.
const MinBytes = 16 << 20

// chunk is how much one populate call covers: small enough that the
// helper stops soon after the front passes it.
const chunk = 2 << 20

// Start populates the pages of b from its end back, chunk by chunk, on
// another goroutine, until it reaches front (how many bytes from b's
// start the caller has filled; nil for "not known") or stop is called.
// stop waits for the helper. Contents never change: populating a page
// already there does nothing. Small buffers, one core or a system that
// cannot populate get no helper.
func Start(b []byte, front func() int64) (stop func()) {
	if len(b) < MinBytes || runtime.GOMAXPROCS(0) < 2 || !canPopulate {
		return func() {}
	}
	var done atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for end := len(b); end > 0 && !done.Load(); end -= chunk {
			start := max(0, end-chunk)
			if front != nil && int64(start) < front() {
				return // the caller is there: its own faults cost the same
			}
			if populate(b[start:end]) != nil {
				return // an older kernel: the caller's writes fault them
			}
		}
	})
	return func() { done.Store(true); wg.Wait() }
}

// Slice is Start over the whole backing array of s (its capacity), for
// a slice about to be appended to.
func Slice[T any](s []T) (stop func()) {
	if cap(s) == 0 {
		return func() {}
	}
	var zero T
	n := uintptr(cap(s)) * unsafe.Sizeof(zero)
	return Start(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s[:cap(s)]))), n), nil)
}

// Read fills b from r as io.ReadFull does, while a helper populates the
// pages of b the read has not reached. A buffer too small for a helper
// (the usual backend answer) is io.ReadFull itself.
func Read(r io.Reader, b []byte) (int, error) {
	if len(b) < MinBytes {
		return io.ReadFull(r, b)
	}
	var filled atomic.Int64
	stop := Start(b, filled.Load)
	defer stop()
	n := 0
	for n < len(b) {
		m, err := r.Read(b[n:])
		n += m
		filled.Store(int64(n))
		switch {
		case n == len(b):
			return n, nil
		case err == io.EOF && n > 0:
			return n, io.ErrUnexpectedEOF
		case err != nil:
			return n, err
		}
	}
	return n, nil
}
