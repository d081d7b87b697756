//go:build !linux

package childproc

import "syscall"

// sysProcAttr: only Linux has a parent-death signal; elsewhere Stop is the
// only way the server ends.
func sysProcAttr() *syscall.SysProcAttr { return nil }
