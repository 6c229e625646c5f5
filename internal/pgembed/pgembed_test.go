package pgembed

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// newDataDir returns a cluster folder the server user can reach: t.TempDir()
// is private to root, which the postgres user cannot enter.
func newDataDir(t *testing.T) string {
	t.Helper()
	base, err := os.MkdirTemp("", "pgembed-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(base, "data")
	dir, err := ResolveDataDir(want)
	if err != nil || dir != want {
		t.Fatalf("ResolveDataDir(%s) = %q, %v; want the preferred folder", want, dir, err)
	}
	t.Cleanup(func() { killLeftover(t, dir) })
	return dir
}

// killLeftover stops a server that a failed test or Start left running, so
// that no postmaster outlives the test.
func killLeftover(t *testing.T, dir string) {
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); err != nil {
		return
	}
	bin, err1 := FindBinDir()
	id, err2 := serverIdentity()
	if err := errors.Join(err1, err2); err != nil {
		t.Errorf("stop leftover server in %s: %v", dir, err)
		return
	}
	s := &Server{dataDir: dir, binDir: bin, id: id}
	if running, _ := s.running(context.Background()); running {
		t.Errorf("a server was left running in %s", dir)
		_ = s.pgCtlStop(context.Background(), "immediate")
	}
}

func startServer(t *testing.T, opts Options) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	opts.Fast = true
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	begin := time.Now()
	s, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	stopOnCleanup(t, s)
	t.Logf("Start took %v", time.Since(begin).Round(time.Millisecond))
	return s
}

func stopOnCleanup(t *testing.T, s *Server) {
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func queryInt(t *testing.T, url, sql string) int {
	t.Helper()
	var n int
	if err := connect(t, url).QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestStartFreshCluster(t *testing.T) {
	dir := newDataDir(t)
	s := startServer(t, Options{DataDir: dir})
	if got := queryInt(t, s.URL("postgres"), "select 1"); got != 1 {
		t.Fatalf("select 1 = %d", got)
	}
	if s.DataDir() != dir || s.Port() <= 0 {
		t.Fatalf("DataDir() = %q, Port() = %d", s.DataDir(), s.Port())
	}
	if _, err := os.Stat(filepath.Join(dir, "run", ".s.PGSQL."+strconv.Itoa(s.Port()))); err != nil {
		t.Fatalf("no socket in <data>/run: %v", err)
	}
	var fast string
	if err := connect(t, s.URL("postgres")).QueryRow(context.Background(), "show fsync").Scan(&fast); err != nil || fast != "off" {
		t.Fatalf("show fsync = %q, %v; want off with Fast", fast, err)
	}
	assertServerUser(t, dir)
}

// assertServerUser checks that under root the server runs as postgres, the
// only way initdb and postgres agree to run.
func assertServerUser(t *testing.T, dir string) {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	id, err := serverIdentity()
	if err != nil {
		t.Fatal(err)
	}
	if uid := fi.Sys().(*syscall.Stat_t).Uid; uid != id.uid {
		t.Fatalf("postmaster.pid owned by uid %d, want %d (%s)", uid, id.uid, id.name)
	}
}

func TestStopThenReuse(t *testing.T) {
	dir := newDataDir(t)
	var lines []string
	logf := func(f string, a ...any) { lines = append(lines, f) }
	s1 := startServer(t, Options{DataDir: dir, Logf: logf})
	conn := connect(t, s1.URL("postgres"))
	if _, err := conn.Exec(context.Background(), "create table kept (n int); insert into kept values (42)"); err != nil {
		t.Fatal(err)
	}
	url1 := s1.URL("postgres")
	if err := s1.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s1.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if c, err := pgx.Connect(context.Background(), url1); err == nil {
		c.Close(context.Background())
		t.Fatal("the server still accepts connections after Stop")
	}
	lines = nil
	s2 := startServer(t, Options{DataDir: dir, Logf: logf})
	if got := queryInt(t, s2.URL("postgres"), "select n from kept"); got != 42 {
		t.Fatalf("select n from kept = %d, want 42", got)
	}
	for _, l := range lines {
		if strings.Contains(l, "initdb") {
			t.Fatalf("the second start ran initdb on an initialised cluster")
		}
	}
}

func TestSecondStartAdoptsRunningServer(t *testing.T) {
	dir := newDataDir(t)
	s1 := startServer(t, Options{DataDir: dir})
	s2 := startServer(t, Options{DataDir: dir})
	if s2.Port() != s1.Port() || s2.URL("x") != s1.URL("x") {
		t.Fatalf("second Start: port %d, URL %s; want port %d, URL %s", s2.Port(), s2.URL("x"), s1.Port(), s1.URL("x"))
	}
	if got := queryInt(t, s2.URL("postgres"), "select 2"); got != 2 {
		t.Fatalf("select 2 through the adopted server = %d", got)
	}
	if err := s2.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := queryInt(t, s1.URL("postgres"), "select 1"); got != 1 {
		t.Fatalf("after the non-owning Stop, select 1 = %d", got)
	}
}

// TestConcurrentStarts: test binaries of one `go test ./...` may start on
// the same folder at once; one initdb and one server must come of it.
func TestConcurrentStarts(t *testing.T) {
	dir := newDataDir(t)
	servers := make([]*Server, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range servers {
		wg.Go(func() { servers[i], errs[i] = Start(context.Background(), Options{DataDir: dir, Fast: true}) })
	}
	wg.Wait()
	owners := 0
	for i, s := range servers {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		stopOnCleanup(t, s)
		if s.owned {
			owners++
		}
		if s.Port() != servers[0].Port() {
			t.Fatalf("ports %d and %d for one folder", s.Port(), servers[0].Port())
		}
	}
	if owners != 1 {
		t.Fatalf("%d of 3 concurrent starts launched a server, want 1", owners)
	}
	if got := queryInt(t, servers[2].URL("postgres"), "select 1"); got != 1 {
		t.Fatalf("select 1 = %d", got)
	}
}

// TestStalePidFile plays a crash: a postmaster.pid naming a dead process must
// not block the next start.
func TestStalePidFile(t *testing.T) {
	dir := newDataDir(t)
	s1 := startServer(t, Options{DataDir: dir})
	pidFile := filepath.Join(dir, "postmaster.pid")
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := s1.Stop(); err != nil {
		t.Fatal(err)
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	stale := strconv.Itoa(dead.Process.Pid) + string(data[strings.IndexByte(string(data), '\n'):])
	if err := os.WriteFile(pidFile, []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	id, _ := serverIdentity()
	if err := chownTo(pidFile, id); err != nil {
		t.Fatal(err)
	}
	s2 := startServer(t, Options{DataDir: dir})
	if got := queryInt(t, s2.URL("postgres"), "select 1"); got != 1 {
		t.Fatalf("select 1 after a stale postmaster.pid = %d", got)
	}
}

func TestStartErrorCarriesServerLog(t *testing.T) {
	dir := newDataDir(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	s, err := Start(context.Background(), Options{DataDir: dir, Port: port, Fast: true})
	if err == nil {
		s.Stop()
		t.Fatalf("Start on busy port %d succeeded", port)
	}
	if msg := err.Error(); !strings.Contains(msg, "could not bind") || !strings.Contains(msg, dir) {
		t.Fatalf("error lacks the server log's reason or the folder:\n%s", msg)
	}
	t.Logf("the error:\n%v", err)
	if _, statErr := os.Stat(filepath.Join(dir, "postmaster.pid")); statErr == nil {
		t.Fatal("a failed start left postmaster.pid behind")
	}
}

// TestStartHonoursDeadline: a start cut short fails with the context's error
// and leaves the folder fit for the next start.
func TestStartHonoursDeadline(t *testing.T) {
	dir := newDataDir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	s, err := Start(ctx, Options{DataDir: dir, Fast: true})
	if err == nil {
		s.Stop()
		t.Skip("the machine started PostgreSQL within 300ms; nothing to cut short")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v; want context.DeadlineExceeded", err)
	}
	t.Logf("cut short: %v", err)
	s = startServer(t, Options{DataDir: dir})
	if got := queryInt(t, s.URL("postgres"), "select 1"); got != 1 {
		t.Fatalf("select 1 after an interrupted start = %d", got)
	}
}

// TestLongDataDirUsesShortSocketDir: a socket path past sun_path cannot be
// bound, so the socket moves to a short temporary folder, removed by Stop.
func TestLongDataDirUsesShortSocketDir(t *testing.T) {
	dir := filepath.Join(newDataDir(t), strings.Repeat("d", 90))
	s := startServer(t, Options{DataDir: dir})
	t.Cleanup(func() { killLeftover(t, dir) })
	if strings.HasPrefix(s.sockDir, dir) {
		t.Fatalf("socket folder %s is inside the long data folder", s.sockDir)
	}
	if got := queryInt(t, s.URL("postgres"), "select 1"); got != 1 {
		t.Fatalf("select 1 = %d", got)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.sockDir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Stop left the temporary socket folder %s: %v", s.sockDir, err)
	}
}

func TestURLParsesWithPgx(t *testing.T) {
	s := &Server{sockDir: "/tmp/a b&c", port: 5433}
	cfg, err := pgconn.ParseConfig(s.URL("my db"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "/tmp/a b&c" || cfg.Port != 5433 || cfg.Database != "my db" || cfg.User != "postgres" || cfg.TLSConfig != nil {
		t.Fatalf("parsed %s as host %q port %d db %q user %q tls %v", s.URL("my db"), cfg.Host, cfg.Port, cfg.Database, cfg.User, cfg.TLSConfig != nil)
	}
}

func TestFindBinDir(t *testing.T) {
	dir, err := FindBinDir()
	if err != nil {
		t.Fatal(err)
	}
	if !hasServerBinaries(dir) {
		t.Fatalf("FindBinDir() = %s, which lacks initdb, pg_ctl or postgres", dir)
	}
}

// TestFindBinDirNewestVersion: 10 must beat 9.6, which a string sort gets wrong.
func TestFindBinDirNewestVersion(t *testing.T) {
	root := t.TempDir()
	for _, v := range []string{"9.6", "10", "notes"} {
		fakeBinaries(t, filepath.Join(root, v, "bin"))
	}
	withSearch(t, "", root)
	dir, err := FindBinDir()
	if want := filepath.Join(root, "10", "bin"); err != nil || dir != want {
		t.Fatalf("FindBinDir() = %q, %v; want %s", dir, err, want)
	}
}

func TestFindBinDirOnPathResolvesSymlinks(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "real")
	fakeBinaries(t, real)
	link := filepath.Join(root, "link")
	if err := os.Mkdir(link, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(real, "initdb"), filepath.Join(link, "initdb")); err != nil {
		t.Fatal(err)
	}
	withSearch(t, "relative:"+link, t.TempDir())
	if dir, err := FindBinDir(); err != nil || dir != real {
		t.Fatalf("FindBinDir() = %q, %v; want %s", dir, err, real)
	}
}

func TestFindBinDirNothingInstalled(t *testing.T) {
	withSearch(t, "", t.TempDir())
	_, err := FindBinDir()
	if err == nil {
		t.Fatal("FindBinDir found binaries in empty places")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "apt-get install postgresql") || !strings.Contains(msg, "DATABASE_URL") {
		t.Fatalf("want one line that says what to install, got %q", msg)
	}
}

func withSearch(t *testing.T, path, root string) {
	oldPath, oldRoot := pathEnv, libRoot
	pathEnv, libRoot = func() string { return path }, root
	t.Cleanup(func() { pathEnv, libRoot = oldPath, oldRoot })
}

func fakeBinaries(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// TestResolveDataDirFallback: under root, a preferred folder behind a 0700
// parent (like a checkout in /root) is out of the postgres user's reach.
func TestResolveDataDirFallback(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: only then does the server run as another user")
	}
	private, err := os.MkdirTemp("", "pgembed-private-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(private) })
	preferred := filepath.Join(private, "pgdata")
	got, err := ResolveDataDir(preferred)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(got) })
	if filepath.Dir(got) != os.TempDir() || !strings.HasPrefix(filepath.Base(got), "portal-pgdata-") {
		t.Fatalf("ResolveDataDir(%s) = %s; want %s/portal-pgdata-<hash>", preferred, got, os.TempDir())
	}
	if _, err := os.Stat(preferred); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the unreachable preferred folder was created: %v", err)
	}
	if again, _ := ResolveDataDir(preferred); again != got {
		t.Fatalf("second ResolveDataDir = %s, want the same %s", again, got)
	}
	touchAsServerUser(t, filepath.Join(got, "probe"))
}

func touchAsServerUser(t *testing.T, path string) {
	t.Helper()
	id, err := serverIdentity()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("touch", path)
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: id.cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("user %s cannot write %s: %v: %s", id.name, path, err, out)
	}
}

func TestNoServerUserUnderRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: only then is the postgres user needed")
	}
	name := "pgembed-no-such-user"
	if _, err := user.Lookup(name); err == nil {
		t.Skipf("user %s exists", name)
	}
	old := serverUserName
	serverUserName = name
	t.Cleanup(func() { serverUserName = old })
	_, err := Start(context.Background(), Options{DataDir: t.TempDir()})
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "useradd") {
		t.Fatalf("want a one-line error naming the fix, got %v", err)
	}
}
