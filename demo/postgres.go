package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Postgres is a private PostgreSQL cluster run as a child of this process:
// it dies with us (Pdeathsig), listens on loopback only, on a free port.
type Postgres struct {
	URL  string // admin URL of the "ariadne" database, no password
	Dir  string
	cmd  *exec.Cmd
	done chan error
	temp bool
}

// StartPostgres starts a cluster from the machine's PostgreSQL binaries.
// dataRoot is the project-local folder for state (e.g. ".data"); when its
// cluster is already running (another demo), a temporary one is used.
func StartPostgres(ctx context.Context, dataRoot string) (*Postgres, error) {
	bin, err := pgBin()
	if err != nil {
		return nil, err
	}
	cred, err := pgCredential()
	if err != nil {
		return nil, err
	}
	dir, temp, err := pgDataDir(dataRoot, cred)
	if err != nil {
		return nil, err
	}
	pg := &Postgres{Dir: dir, temp: temp, done: make(chan error, 1)}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); err != nil {
		initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
		initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
		if out, err := initdb.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("initdb: %v: %s", err, lastLine(out))
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	pg.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", dir, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="+dir, "-c", "max_connections=100")
	pg.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGTERM}
	logf, err := os.OpenFile(filepath.Join(dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	pg.cmd.Stdout, pg.cmd.Stderr = logf, logf
	if err := pg.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	go func() { pg.done <- pg.cmd.Wait(); logf.Close() }()

	admin := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	if err := waitPostgres(ctx, admin, pg.done, 30*time.Second); err != nil {
		pg.Stop()
		return nil, fmt.Errorf("postgres did not start (see %s): %w", filepath.Join(dir, "server.log"), err)
	}
	if err := createDatabase(ctx, admin, "ariadne"); err != nil {
		pg.Stop()
		return nil, err
	}
	pg.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/ariadne?sslmode=disable", port)
	return pg, nil
}

// Stop shuts the cluster down (fast mode) and waits for it.
func (p *Postgres) Stop() {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGINT) // fast shutdown: roll back, flush, exit
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
	if p.temp {
		os.RemoveAll(p.Dir)
	}
}

func pgBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) < versionOf(dirs[j]) })
	if len(dirs) == 0 {
		return "", errors.New(`PostgreSQL is not installed: run "apt-get install postgresql" (make demo does), or set DATABASE_URL`)
	}
	return dirs[len(dirs)-1], nil
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// pgCredential runs Postgres as the postgres user when we are root
// (initdb refuses root); otherwise as ourselves.
func pgCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs the postgres user (from the postgresql package): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// pgDataDir picks the cluster's folder. The postgres user must be able to
// reach it: a checkout under root's private home cannot be, so fall back
// to /var/tmp keyed by the project path.
func pgDataDir(dataRoot string, cred *syscall.Credential) (dir string, temp bool, err error) {
	root, err := filepath.Abs(dataRoot)
	if err != nil {
		return "", false, err
	}
	if cred != nil && !reachableBy(root, cred) {
		sum := sha256.Sum256([]byte(root))
		root = "/var/tmp/ariadne-" + hex.EncodeToString(sum[:6])
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", false, err
	}
	if cred != nil {
		os.Chmod(root, 0o755)
	}
	dir = filepath.Join(root, "demo-pg")
	if running(dir) {
		// Another demo owns it: use a throwaway cluster beside it.
		dir, err = os.MkdirTemp(root, "demo-pg-")
		if err != nil {
			return "", false, err
		}
		temp = true
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", false, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return "", false, err
		}
	}
	os.Chmod(dir, 0o700)
	return dir, temp, nil
}

// reachableBy reports whether every folder above path is searchable by
// others (a good enough check for the postgres user).
func reachableBy(path string, cred *syscall.Credential) bool {
	for p := path; ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if err == nil && st.Mode().Perm()&0o001 == 0 {
			return false
		}
		if p == filepath.Dir(p) {
			return true
		}
	}
}

// running reports whether a live postmaster owns dir.
func running(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil || pid <= 0 {
		return false
	}
	return syscall.Kill(pid, 0) == nil
}

func waitPostgres(ctx context.Context, url string, exited <-chan error, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		c, err := pgx.Connect(ctx, url)
		if err == nil {
			c.Close(ctx)
			return nil
		}
		select {
		case e := <-exited:
			return fmt.Errorf("postgres exited: %v", e)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return err
		}
	}
}

func createDatabase(ctx context.Context, admin, name string) error {
	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	var exists bool
	if err := c.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		_, err = c.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	}
	return err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
