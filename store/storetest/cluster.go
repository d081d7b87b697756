package storetest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"
)

// Cluster is a private Postgres cluster that a test may stop, kill and
// restart: the shared cluster of `make test` must not be, since other
// packages use it at the same time. It uses Debian's PostgreSQL binaries
// (scripts/install.sh installs them) and is removed when the test ends.
type Cluster struct {
	// AdminURL is the superuser URL (database postgres): pass it to Create
	// for a migrated database of its own.
	AdminURL string
	bin, dir string
	port     int
	t        testing.TB
}

// NewCluster initialises and starts a cluster on a free loopback port.
// Without PostgreSQL installed the test fails under CI=true and skips
// elsewhere, as AdminURL does.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL is not installed: run scripts/install.sh")
		}
		t.Skip("PostgreSQL is not installed: skipping a test that restarts its own cluster")
	}
	sort.Strings(bins)
	c := &Cluster{bin: filepath.Dir(bins[len(bins)-1]), t: t}
	// Not t.TempDir: the postgres user must reach the directory, and a
	// test's temporary directories are private to root.
	dir, err := os.MkdirTemp("", "ariadne-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c.dir = dir
	t.Cleanup(func() {
		c.Stop("immediate")
		os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatal(err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := c.run("initdb", "-D", c.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	c.AdminURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=5", c.port)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

// Start starts the cluster and waits until it accepts connections.
func (c *Cluster) Start() error {
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s -c fsync=off -c max_connections=100", c.port, c.dir)
	out, err := c.run("pg_ctl", "-D", c.data(), "-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "30", "-o", opts, "start")
	if err != nil {
		return fmt.Errorf("pg_ctl start: %v\n%s", err, out)
	}
	return nil
}

// Stop stops the cluster in mode: "immediate" (as a crash: connections
// are cut, the next start recovers) or "fast" (clean).
func (c *Cluster) Stop(mode string) error {
	out, err := c.run("pg_ctl", "-D", c.data(), "-m", mode, "-w", "-t", "30", "stop")
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	return nil
}

func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = os.TempDir()
	done := make(chan struct{})
	defer close(done)
	go func() { // pg_ctl waits at most 30 s itself; this is a backstop
		select {
		case <-done:
		case <-time.After(2 * time.Minute):
			if cmd.Process != nil {
				cmd.Process.Kill()
			}
		}
	}()
	return cmd.CombinedOutput()
}
