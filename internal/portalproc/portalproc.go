// Package portalproc runs the portal binary as a child process, for the programs that
// measure or attack it from outside as a user would (bench, attack, hostile): one
// command to completion, or a server (`portal serve`, `portal demo`) on a free loopback
// port until it is stopped.
package portalproc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Env is this process's environment with the portal's settings on top (a later value
// wins in os/exec): dbURL as its database ("" for its private server), no read replica,
// then extra.
func Env(dbURL string, extra ...string) []string {
	return append(append(os.Environ(), "DATABASE_URL="+dbURL, "DATABASE_READ_URL="), extra...)
}

// Run runs binary with args and env to completion, its output appended to
// work/portal-<first arg>.log. A failure's error ends with the log's last lines.
func Run(ctx context.Context, binary, work string, env []string, args ...string) error {
	logPath := filepath.Join(work, "portal-"+args[0]+".log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("portal %s: %w\n%s", strings.Join(args, " "), err, Tail(logPath))
	}
	return nil
}

// Server is a portal server process of the caller's own.
type Server struct {
	Base    string // http://127.0.0.1:PORT
	Port    int
	LogPath string

	cmd      *exec.Cmd
	exited   chan struct{}
	exitCode int       // once exited is closed
	exitedAt time.Time // once exited is closed
}

// Spawn starts binary with args and env, and PORT set to a free loopback port, its
// output in logPath, in a process group of its own (Ctrl-C reaches the caller, which
// stops it). It does not wait for the server to be ready.
func Spawn(binary string, args, env []string, logPath string) (*Server, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	s := &Server{Base: fmt.Sprintf("http://127.0.0.1:%d", port), Port: port, LogPath: logPath, exited: make(chan struct{})}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	s.cmd = exec.Command(binary, args...)
	s.cmd.Env = append(append([]string(nil), env...), "PORT="+strconv.Itoa(port))
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("portal %s: %w", strings.Join(args, " "), err)
	}
	go func() {
		err := s.cmd.Wait()
		s.exitedAt = time.Now()
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit):
			s.exitCode = exit.ExitCode()
		case err != nil:
			s.exitCode = -1
		}
		close(s.exited)
	}()
	return s, nil
}

// Start spawns `portal serve` and waits up to a minute until /readyz answers 200.
func Start(ctx context.Context, binary string, env []string, logPath string) (*Server, error) {
	s, err := Spawn(binary, []string{"serve"}, env, logPath)
	if err != nil {
		return nil, err
	}
	if err := s.WaitReady(ctx, time.Minute); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// FreePort is a loopback port free a moment ago; another process may take it first,
// and the start then fails.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// WaitReady polls /readyz until it answers 200, for up to within.
func (s *Server) WaitReady(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	c := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		if resp, err := c.Get(s.Base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.exited:
			return fmt.Errorf("portal %s exited (status %d) before it was ready\n%s", s.command(), s.exitCode, s.Tail())
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("portal %s not ready after %s\n%s", s.command(), within, s.Tail())
}

// command is the portal command the server runs, for an error message.
func (s *Server) command() string { return strings.Join(s.cmd.Args[1:], " ") }

// Pid is the server's process id.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Exited is closed when the process has exited.
func (s *Server) Exited() <-chan struct{} { return s.exited }

// ExitCode is the process's exit status once Exited is closed (-1 when it did not exit
// by itself).
func (s *Server) ExitCode() int {
	<-s.exited
	return s.exitCode
}

// Terminate sends SIGTERM and waits up to within for the exit; it reports the exit
// status and how long the exit took, and kills the process group when it did not exit.
func (s *Server) Terminate(within time.Duration) (code int, took time.Duration, exited bool) {
	select {
	case <-s.exited:
		return s.exitCode, 0, true
	default:
	}
	sent := time.Now()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return s.exitCode, s.exitedAt.Sub(sent), true
	case <-time.After(within):
		_ = syscall.Kill(-s.Pid(), syscall.SIGKILL) // its own process group, started here
		<-s.exited
		return s.exitCode, time.Since(sent), false
	}
}

// Stop ends the server: SIGTERM, the graceful shutdown, and the kill after 20 s.
func (s *Server) Stop() { s.Terminate(20 * time.Second) }

// Tail is the end of the server's log, for an error message.
func (s *Server) Tail() string { return Tail(s.LogPath) }

// Tail is the end of a log file, for an error message.
func Tail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(bytes.TrimSpace(data)), "\n"), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return "last lines of " + path + ":\n" + strings.Join(lines, "\n")
}
