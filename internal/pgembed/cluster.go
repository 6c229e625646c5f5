package pgembed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	logName    = "pgembed.log" // pg_ctl's server log, inside the data folder
	maxSockLen = 100           // sun_path holds 108 bytes on Linux, 104 on macOS
	tailLines  = 15
)

// command runs a server binary as the server user, from "/" because the
// caller's working folder may be one that user cannot enter, and initdb
// and pg_ctl fail when they cannot resolve it.
func (s *Server) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(s.binDir, name), args...)
	cmd.Dir = "/"
	if s.id.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.id.cred}
	}
	// SIGTERM rather than SIGKILL on cancel: initdb then removes what it
	// wrote instead of leaving a half-made cluster.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// ctxOr prefers the context's error to the "signal: killed" it caused, so
// that callers can tell a timeout with errors.Is.
func ctxOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func initialised(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "PG_VERSION"))
	return err == nil
}

// running asks pg_ctl rather than trusting postmaster.pid, which a crash
// leaves behind.
func (s *Server) running(ctx context.Context) (bool, error) {
	if _, err := os.Stat(filepath.Join(s.dataDir, "postmaster.pid")); err != nil {
		return false, nil
	}
	out, err := s.command(ctx, "pg_ctl", "status", "-D", s.dataDir).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &exit) && exit.ExitCode() == 3: // "no server running"
		return false, nil
	default:
		return false, fmt.Errorf("pg_ctl status: %w: %s", err, bytes.TrimSpace(out))
	}
}

func (s *Server) initdb(ctx context.Context, fast bool) error {
	if names, err := dirNames(s.dataDir); err != nil || len(names) > 0 {
		return fmt.Errorf("%s holds no PostgreSQL cluster but is not empty either (%v): pick another folder", s.dataDir, names)
	}
	s.logf("pgembed: initdb %s", s.dataDir)
	args := []string{"-D", s.dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"}
	if fast {
		args = append(args, "--no-sync")
	}
	if out, err := s.command(ctx, "initdb", args...).CombinedOutput(); err != nil {
		clearDir(s.dataDir)
		return fmt.Errorf("initdb: %w: %s", ctxOr(ctx, err), bytes.TrimSpace(out))
	}
	return nil
}

func dirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, err
}

// clearDir empties a folder that was empty before a failed initdb, since a
// killed initdb leaves a PG_VERSION behind that would pass for a cluster.
func clearDir(dir string) {
	names, _ := dirNames(dir)
	for _, n := range names {
		_ = os.RemoveAll(filepath.Join(dir, n))
	}
}

// adopt takes over the address of a server some other process started on
// this folder; Stop will leave it running.
func (s *Server) adopt(ctx context.Context) error {
	lines, err := waitPidFileReady(ctx, s.dataDir)
	if err != nil {
		return err
	}
	port, err := strconv.Atoi(lines[3])
	if err != nil {
		return fmt.Errorf("postmaster.pid: port %q: %w", lines[3], err)
	}
	s.port, s.sockDir = port, lines[4]
	s.logf("pgembed: reusing the PostgreSQL server already running on %s (port %d)", s.dataDir, s.port)
	return nil
}

// waitPidFileReady reads postmaster.pid until its status line says the
// server accepts connections; the server may still be starting.
func waitPidFileReady(ctx context.Context, dir string) ([]string, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		data, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
		if err != nil {
			return nil, err
		}
		lines := strings.Split(string(data), "\n")
		if len(lines) >= 8 && (strings.TrimSpace(lines[7]) == "ready" || strings.TrimSpace(lines[7]) == "standby") {
			return lines, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the server running on %s is not ready after a minute", dir)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// launch runs pg_ctl start -w, which returns once the server accepts
// connections, or fails with the reason in the server log.
func (s *Server) launch(ctx context.Context, opts Options) error {
	if err := s.pickAddress(opts.Port); err != nil {
		return err
	}
	if err := s.pgCtlStart(ctx, opts.Fast); err != nil {
		s.abandon()
		return err
	}
	s.logf("pgembed: PostgreSQL running on port %d, data %s", s.port, s.dataDir)
	return nil
}

// pgCtlStart starts the server on s.port and s.sockDir.
func (s *Server) pgCtlStart(ctx context.Context, fast bool) error {
	args := []string{"start", "-w", "-D", s.dataDir, "-l", filepath.Join(s.dataDir, logName),
		"-o", serverOptions(s.port, s.sockDir, fast)}
	if deadline, ok := ctx.Deadline(); ok {
		secs := int(math.Ceil(time.Until(deadline).Seconds()))
		args = append(args, "-t", strconv.Itoa(max(secs, 1)))
	}
	out, err := s.command(ctx, "pg_ctl", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl start: %w: %s\nlast lines of %s:\n%s",
			ctxOr(ctx, err), bytes.TrimSpace(out), filepath.Join(s.dataDir, logName), s.logTail())
	}
	return nil
}

// abandon cleans up after a failed or cancelled start: pg_ctl leaves the
// postmaster running when its wait times out or it is killed. We hold the
// folder lock and nothing ran before, so whatever runs now is ours.
func (s *Server) abandon() {
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	if running, err := s.running(ctx); err == nil && running {
		_ = s.pgCtlStop(ctx, "immediate") // best effort; the start error says more
	}
	if s.tmpSock {
		_ = os.RemoveAll(s.sockDir)
	}
}

func (s *Server) pgCtlStop(ctx context.Context, mode string) error {
	out, err := s.command(ctx, "pg_ctl", "stop", "-w", "-m", mode, "-D", s.dataDir).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl stop -m %s: %w: %s", mode, err, bytes.TrimSpace(out))
	}
	return nil
}

func (s *Server) pickAddress(port int) error {
	if port == 0 {
		var err error
		if port, err = freePort(); err != nil {
			return err
		}
	}
	s.port = port
	return s.makeSocketDir()
}

// freePort may race with another process grabbing the port before the
// server binds it; the start then fails with "could not bind" in its log.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// makeSocketDir prefers <data>/run, so the socket sits with its cluster, but
// a socket path longer than sun_path cannot be bound, and then a short
// temporary folder is used.
func (s *Server) makeSocketDir() error {
	dir := filepath.Join(s.dataDir, "run")
	if len(socketPath(dir, s.port)) > maxSockLen {
		return s.makeTempSocketDir()
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	s.sockDir = dir
	return chownTo(dir, s.id)
}

func (s *Server) makeTempSocketDir() error {
	parent := os.TempDir()
	if len(socketPath(filepath.Join(parent, "pgsock-0123456789"), s.port)) > maxSockLen {
		parent = "/tmp" // a long $TMPDIR, as on macOS
	}
	dir, err := os.MkdirTemp(parent, "pgsock-")
	if err != nil {
		return err
	}
	s.sockDir, s.tmpSock = dir, true
	return chownTo(dir, s.id)
}

func socketPath(dir string, port int) string {
	return filepath.Join(dir, ".s.PGSQL."+strconv.Itoa(port))
}

// serverOptions is pg_ctl's -o, which pg_ctl hands to /bin/sh, hence the
// quoting of the socket folder.
func serverOptions(port int, sockDir string, fast bool) string {
	o := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s", port, shellQuote(sockDir))
	if fast {
		o += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	}
	return o
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// logTail is the end of the server log, where postgres says why it stopped.
func (s *Server) logTail() string {
	data, err := os.ReadFile(filepath.Join(s.dataDir, logName))
	if err != nil {
		return "(no server log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > tailLines {
		lines = lines[len(lines)-tailLines:]
	}
	return strings.Join(lines, "\n")
}
