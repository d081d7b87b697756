package promrun

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPrometheusDiesWithItsParent checks the promise that matters most for a
// crashed test or demo: a parent that exits without Stop takes Prometheus
// with it. The parent is this test binary, re-executed as a helper.
func TestPrometheusDiesWithItsParent(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("parent-death signal is Linux only")
	}
	RequireBinary(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestOrphanHelper$")
	cmd.Env = append(os.Environ(), "PROMRUN_ORPHAN_DIR="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if s, ok := strings.CutPrefix(sc.Text(), "prometheus pid "); ok {
			pid, _ = strconv.Atoi(s)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	if pid == 0 {
		t.Fatal("helper did not report a prometheus pid")
	}
	deadline := time.Now().Add(15 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("prometheus %d outlived its parent by 15s", pid)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// alive treats a zombie as gone: the orphan's reaper is not ours.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// Fields after the parenthesised command: the first is the state.
	rest := stat[strings.LastIndexByte(string(stat), ')')+1:]
	return !strings.HasPrefix(strings.TrimSpace(string(rest)), "Z")
}

func TestOrphanHelper(t *testing.T) {
	dir := os.Getenv("PROMRUN_ORPHAN_DIR")
	if dir == "" {
		t.Skip("helper for TestPrometheusDiesWithItsParent")
	}
	p, err := Start(context.Background(), Options{Dir: dir})
	if err != nil {
		fmt.Println("start failed:", err)
		os.Exit(1)
	}
	fmt.Printf("prometheus pid %d\n", p.PID())
	os.Exit(0) // no Stop: the kernel must end Prometheus
}
