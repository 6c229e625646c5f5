package pgembed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dualuse-transparency/portal/internal/procstat"
)

// Supervision defaults: the postmaster is looked at every pollInterval; a restart
// that fails is tried again after a delay that doubles from restartDelay up to
// maxRestartDelay, and after defaultRestarts failures in a row the supervisor gives
// up, which Health then reports. With the defaults it gives up after about half a
// minute of failures.
const (
	pollInterval    = 250 * time.Millisecond
	restartDelay    = 250 * time.Millisecond
	maxRestartDelay = 8 * time.Second
	defaultRestarts = 8
	restartTimeout  = time.Minute
	holdName        = "pgembed.lock" // the lifetime lock of an Exclusive Start, inside the data folder
)

// InUseError is the refusal of an Exclusive Start on a folder another process holds.
type InUseError struct {
	DataDir string
	PID     int    // the holder's process id, 0 if it could not be read
	Port    int    // the holder's PostgreSQL port, 0 if unknown
	Holder  string // how the holder describes itself (Options.Holder)
}

func (e *InUseError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = "process " + strconv.Itoa(e.PID)
	}
	if e.Holder != "" {
		who += " (" + e.Holder + ")"
	}
	msg := fmt.Sprintf("the data folder %s is in use by %s", e.DataDir, who)
	if e.Port > 0 {
		msg += fmt.Sprintf(", its PostgreSQL server listening on port %d", e.Port)
	}
	return msg
}

// holderInfo is what the lock file says about its holder.
type holderInfo struct {
	PID    int    `json:"pid"`
	Port   int    `json:"port"`
	Holder string `json:"holder,omitempty"`
}

// hold takes the data folder for the Server's lifetime: an exclusive flock on a
// file inside it, released by Stop or by the kernel when the process ends. Start
// calls it under the start lock, before bringUp on an initialised cluster (so a
// held folder is refused before anything runs) and after it otherwise (initdb
// needs the folder empty; nobody can hold a folder without a cluster).
func (s *Server) hold() error {
	if s.holdFile != nil || !initialised(s.dataDir) {
		return nil
	}
	path := filepath.Join(s.dataDir, holdName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("lock %s: %w", path, err)
		}
		e := &InUseError{DataDir: s.dataDir}
		var info holderInfo
		if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &info) == nil {
			e.PID, e.Port, e.Holder = info.PID, info.Port, info.Holder
		}
		return e
	}
	_ = chownTo(path, s.id) // pg_basebackup, run as the server user, copies it
	s.holdFile = f
	return nil
}

// writeHolder records who holds the folder, for the refusal of the next one.
func (s *Server) writeHolder(holder string) error {
	if s.holdFile == nil {
		return nil
	}
	data, _ := json.Marshal(holderInfo{PID: os.Getpid(), Port: s.port, Holder: holder})
	if err := s.holdFile.Truncate(0); err != nil {
		return err
	}
	_, err := s.holdFile.WriteAt(append(data, '\n'), 0)
	return err
}

func (s *Server) releaseHold() {
	if s.holdFile != nil {
		_ = s.holdFile.Truncate(0)
		_ = s.holdFile.Close() // closing releases the lock
		s.holdFile = nil
	}
}

// Health is nil while the server runs or is being restarted, and says why once the
// supervisor has given up restarting it.
func (s *Server) Health() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failure
}

// Restarts is how many times the supervisor brought the server back.
func (s *Server) Restarts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restarts
}

// supervise watches the postmaster and brings it back, on the same port, socket and
// data folder, when it dies; connection pools then reconnect by themselves. The
// postmaster is not a child of this process (pg_ctl starts it detached), so it is
// watched by its pid rather than waited for.
func (s *Server) supervise(ctx context.Context, opts Options) {
	defer close(s.supDone)
	attempts := opts.Restarts
	if attempts <= 0 {
		attempts = defaultRestarts
	}
	for {
		pid := s.postmasterPID()
		for alive(pid) {
			select {
			case <-ctx.Done():
				return
			case <-time.After(pollInterval):
			}
		}
		if ctx.Err() != nil {
			return
		}
		s.logf("pgembed: the PostgreSQL server of %s (pid %d) has stopped; restarting it on port %d\nlast lines of %s:\n%s",
			s.dataDir, pid, s.port, filepath.Join(s.dataDir, logName), s.logTail())
		if !s.restart(ctx, opts.Fast, attempts, pid) {
			return
		}
	}
}

// restart relaunches the server, with backoff; false when stopped or given up.
func (s *Server) restart(ctx context.Context, fast bool, attempts, dead int) bool {
	delay := restartDelay
	for attempt := 1; ; attempt++ {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(delay):
		}
		err := s.relaunch(ctx, fast, dead)
		if err == nil {
			s.mu.Lock()
			s.restarts++
			s.mu.Unlock()
			s.logf("pgembed: restarted the PostgreSQL server of %s on port %d (attempt %d)", s.dataDir, s.port, attempt)
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		s.logf("pgembed: restart %d of %d of the PostgreSQL server of %s failed: %v", attempt, attempts, s.dataDir, err)
		if attempt >= attempts {
			s.mu.Lock()
			s.failure = fmt.Errorf("the PostgreSQL server of %s stopped and %d restarts failed, the last with: %s",
				s.dataDir, attempts, firstLine(err.Error()))
			s.mu.Unlock()
			s.logf("pgembed: giving up on the PostgreSQL server of %s", s.dataDir)
			return false
		}
		delay = min(2*delay, maxRestartDelay)
	}
}

// relaunch starts the server again where it was: same port, same socket folder.
func (s *Server) relaunch(ctx context.Context, fast bool, dead int) error {
	ctx, cancel := context.WithTimeout(ctx, restartTimeout)
	defer cancel()
	if pid := s.postmasterPID(); pid != dead && alive(pid) {
		return nil // someone (an operator with pg_ctl) started it already
	}
	// postgres refuses to start while postmaster.pid names a process that exists,
	// and a dead postmaster exists until its parent reaps it.
	waitGone(ctx, dead)
	if err := s.pgCtlStart(ctx, fast); err != nil {
		stopCtx, stopCancel := context.WithTimeout(context.Background(), stopTimeout)
		defer stopCancel()
		if pid := s.postmasterPID(); pid != dead && alive(pid) {
			_ = s.pgCtlStop(stopCtx, "immediate") // half started: the next attempt starts clean
		}
		return err
	}
	return nil
}

// waitGone waits, up to ten seconds, until no process has the pid, reaping it if it
// is a child of this process (as it is when this process is PID 1 of a container).
func waitGone(ctx context.Context, pid int) {
	if pid <= 0 {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var ws syscall.WaitStatus
		_, _ = syscall.Wait4(pid, &ws, syscall.WNOHANG, nil) // ECHILD when not ours
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// postmasterPID reads the first line of postmaster.pid; 0 when there is none.
func (s *Server) postmasterPID() int {
	data, err := os.ReadFile(filepath.Join(s.dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(firstLine(string(data))))
	if err != nil {
		return 0
	}
	return pid
}

// alive tells whether the process exists and is not a zombie (which it becomes
// when this process is PID 1 of a container and inherits it).
func alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	s, err := procstat.Read(pid)
	if err != nil {
		return true // no /proc (macOS): the signal test stands
	}
	return !s.Gone()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
