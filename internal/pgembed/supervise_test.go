package pgembed

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// killPostmaster plays a crash: SIGKILL to the postmaster, which then cleans
// up nothing, leaving postmaster.pid and possibly backends behind.
func killPostmaster(t *testing.T, s *Server) int {
	t.Helper()
	pid := s.postmasterPID()
	if pid <= 0 {
		t.Fatal("no postmaster pid")
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	return pid
}

// waitQuery runs sql until it answers or the deadline passes, as a pool would.
func waitQuery(t *testing.T, url string, within time.Duration) time.Duration {
	t.Helper()
	begin := time.Now()
	var err error
	for time.Since(begin) < within {
		var conn *pgx.Conn
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if conn, err = pgx.Connect(ctx, url); err == nil {
			var n int
			err = conn.QueryRow(ctx, "select n from kept").Scan(&n)
			conn.Close(ctx)
			if err == nil && n == 7 {
				cancel()
				return time.Since(begin)
			}
		}
		cancel()
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the server did not answer within %v: %v", within, err)
	return 0
}

// A supervised server that dies is started again on the same port and socket,
// with its data; Stop then stops it for good.
func TestSupervisedServerRestartsAfterCrash(t *testing.T) {
	dir := newDataDir(t)
	var mu sync.Mutex
	var lines []string
	logf := func(f string, a ...any) { mu.Lock(); lines = append(lines, f); mu.Unlock() }
	s := startServer(t, Options{DataDir: dir, Supervise: true, Logf: logf})
	url := s.URL("postgres")
	conn := connect(t, url)
	// Fast turns synchronous_commit off: the checkpoint, after the commit, makes the row survive the crash.
	for _, sql := range []string{"create table kept (n int); insert into kept values (7)", "checkpoint"} {
		if _, err := conn.Exec(context.Background(), sql); err != nil {
			t.Fatal(err)
		}
	}
	for round := 1; round <= 2; round++ {
		begin := time.Now()
		old := killPostmaster(t, s)
		took := waitQuery(t, url, 20*time.Second)
		t.Logf("round %d: answering again after %v", round, took)
		if pid := s.postmasterPID(); pid == old || !alive(pid) {
			t.Fatalf("round %d: postmaster pid %d after the crash of %d; want a new, live one", round, pid, old)
		}
		for s.Restarts() < round && time.Since(begin) < 30*time.Second { // pg_ctl may notice a moment after clients
			time.Sleep(50 * time.Millisecond)
		}
		if s.Restarts() != round || s.Health() != nil {
			t.Fatalf("round %d: Restarts() = %d, Health() = %v", round, s.Restarts(), s.Health())
		}
	}
	mu.Lock()
	logged := strings.Join(lines, "\n")
	mu.Unlock()
	if !strings.Contains(logged, "has stopped; restarting") || !strings.Contains(logged, "restarted the PostgreSQL server") {
		t.Errorf("the crash and the restart are not logged:\n%s", logged)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * pollInterval)
	if running, _ := s.running(context.Background()); running {
		t.Fatal("the supervisor started the server again after Stop")
	}
}

// When the server cannot be brought back (here its port is taken), the
// supervisor gives up after the configured attempts and Health says so.
func TestSupervisorGivesUp(t *testing.T) {
	dir := newDataDir(t)
	s := startServer(t, Options{DataDir: dir, Supervise: true, Restarts: 2})
	killPostmaster(t, s)
	var squatter net.Listener
	deadline := time.Now().Add(5 * time.Second)
	for squatter == nil && time.Now().Before(deadline) {
		squatter, _ = net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(s.Port()))
		time.Sleep(5 * time.Millisecond)
	}
	if squatter == nil {
		t.Fatal("the port was not freed by the crash")
	}
	defer squatter.Close()
	for time.Now().Before(deadline.Add(30 * time.Second)) {
		if err := s.Health(); err != nil {
			if !strings.Contains(err.Error(), "2 restarts failed") {
				t.Fatalf("Health() = %v; want it to say the restarts failed", err)
			}
			if err := s.Stop(); err != nil {
				t.Fatalf("Stop after giving up: %v", err)
			}
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the supervisor never gave up")
}

// A second Exclusive Start on a held folder is refused, naming the holder; once
// the first is stopped, the folder is free again.
func TestExclusiveStartRefusesHeldFolder(t *testing.T) {
	dir := newDataDir(t)
	s1 := startServer(t, Options{DataDir: dir, Exclusive: true, Holder: "first holder"})
	_, err := Start(context.Background(), Options{DataDir: dir, Exclusive: true, Fast: true})
	var inUse *InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("second Exclusive Start: %v; want an *InUseError", err)
	}
	if inUse.PID != os.Getpid() || inUse.Port != s1.Port() || inUse.Holder != "first holder" {
		t.Fatalf("InUseError = %+v; want pid %d, port %d, holder %q", inUse, os.Getpid(), s1.Port(), "first holder")
	}
	for _, want := range []string{dir, strconv.Itoa(os.Getpid()), strconv.Itoa(s1.Port()), "first holder"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not name %s", err, want)
		}
	}
	if got := queryInt(t, s1.URL("postgres"), "select 1"); got != 1 {
		t.Fatalf("the first server after the refusal: select 1 = %d", got)
	}
	if err := s1.Stop(); err != nil {
		t.Fatal(err)
	}
	s2 := startServer(t, Options{DataDir: dir, Exclusive: true})
	if got := queryInt(t, s2.URL("postgres"), "select 1"); got != 1 {
		t.Fatalf("select 1 after taking the freed folder = %d", got)
	}
}

// A server left running by a holder that died is taken over: supervised and
// stopped by the new holder.
func TestExclusiveStartTakesOverOrphan(t *testing.T) {
	dir := newDataDir(t)
	orphan := startServer(t, Options{DataDir: dir})
	orphan.owned = false // as if its process had died: nobody will stop it
	s := startServer(t, Options{DataDir: dir, Exclusive: true, Supervise: true})
	if s.Port() != orphan.Port() || !s.owned {
		t.Fatalf("port %d (orphan's %d), owned %t; want the orphan taken over", s.Port(), orphan.Port(), s.owned)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if running, _ := s.running(context.Background()); running {
		t.Fatal("the orphan still runs after the new holder's Stop")
	}
}
