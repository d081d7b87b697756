package prefault

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// populate makes the pages of a fresh mapping resident without writing
// them, from an unaligned start too (only whole pages inside b count).
func TestPopulateMakesPagesResident(t *testing.T) {
	const pages = 64
	m, err := unix.Mmap(-1, 0, pages*int(pageSize), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		t.Skip("no anonymous mapping:", err)
	}
	defer unix.Munmap(m)
	resident := func() int {
		vec := make([]byte, pages)
		if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
			t.Fatal(errno)
		}
		n := 0
		for _, v := range vec {
			n += int(v & 1)
		}
		return n
	}
	if r := resident(); r != 0 {
		t.Fatalf("a fresh mapping has %d resident pages", r)
	}
	// Pages 1 to 62 are whole in it; page 0 only in part.
	if err := populate(m[100 : len(m)-int(pageSize)]); err == unix.EINVAL {
		t.Skip("this kernel cannot populate (before Linux 5.14)")
	} else if err != nil {
		t.Fatal(err)
	}
	if r := resident(); r != pages-2 {
		t.Errorf("%d pages resident after populating %d", r, pages-2)
	}
	for i, c := range m {
		if c != 0 {
			t.Fatalf("byte %d is %d: populating wrote", i, c)
		}
	}
}
