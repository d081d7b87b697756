package childproc

import "syscall"

// sysProcAttr asks the kernel to SIGTERM the child when its parent dies, so
// a crashed test or demo never leaves a server holding a port. (Pdeathsig
// follows the forking OS thread; Go keeps its threads alive, so in practice
// that is the process.)
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
