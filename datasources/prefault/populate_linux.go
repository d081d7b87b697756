package prefault

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

const canPopulate = true

var pageSize = uintptr(os.Getpagesize())

// populate faults in the whole pages within b as a write would, without
// writing (MADV_POPULATE_WRITE, Linux 5.14; an older kernel refuses it,
// and the pages fault when written, as without this package).
func populate(b []byte) error {
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	skip := (pageSize - p%pageSize) % pageSize
	if uintptr(len(b)) <= skip {
		return nil
	}
	b = b[skip:]
	if whole := uintptr(len(b)) / pageSize * pageSize; whole > 0 {
		return unix.Madvise(b[:whole], unix.MADV_POPULATE_WRITE)
	}
	return nil
}
