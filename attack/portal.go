package main

import (
	"bytes"
	"context"
	"encoding/json"
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

// portalCommand runs one command of the portal binary to completion, its log in work.
func portalCommand(ctx context.Context, binary, dbURL, work string, args ...string) error {
	logPath := filepath.Join(work, "portal-"+args[0]+".log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = portalEnv(dbURL, "PORTAL_PSEUDONYM_KEY="+attackKey)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("portal %s: %w\n%s", strings.Join(args, " "), err, tail(logPath))
	}
	return nil
}

// portalEnv is this process's environment with the portal's settings on top (a later
// value wins in os/exec): the suite's database, for serving too.
func portalEnv(dbURL string, extra ...string) []string {
	return append(append(os.Environ(), "DATABASE_URL="+dbURL, "DATABASE_READ_URL="), extra...)
}

// releaseID reads the id of a release folder from its release.json.
func releaseID(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "release.json"))
	if err != nil {
		return "", err
	}
	var meta struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &meta); err != nil || meta.ID == "" {
		return "", fmt.Errorf("%s: no release id: %v", filepath.Join(dir, "release.json"), err)
	}
	return meta.ID, nil
}

// server is `portal serve` running as a process of its own.
type server struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:PORT
	logPath string
	exited  chan struct{}
}

// startServer starts `portal serve` on a free loopback port without the per-client
// rate limit (one client sends every query) and waits until /readyz answers 200.
func startServer(ctx context.Context, binary, dbURL, work string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{base: fmt.Sprintf("http://127.0.0.1:%d", port), logPath: filepath.Join(work, "portal-serve.log"), exited: make(chan struct{})}
	logFile, err := os.Create(s.logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	s.cmd = exec.Command(binary, "serve")
	s.cmd.Env = portalEnv(dbURL, "PORT="+strconv.Itoa(port), "RATE_LIMIT_PER_SECOND=0", "LOG_LEVEL=warn")
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Ctrl-C reaches us; we stop it
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("portal serve: %w", err)
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	if err := s.waitReady(ctx); err != nil {
		s.stop()
		return nil, err
	}
	logf("portal serve is ready at %s (pid %d)", s.base, s.cmd.Process.Pid)
	return s, nil
}

// freePort may race with another process taking the port; the start then fails.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls /readyz for up to a minute.
func (s *server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.exited:
			return fmt.Errorf("portal serve exited before it was ready\n%s", tail(s.logPath))
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("portal serve not ready after a minute\n%s", tail(s.logPath))
}

// stop sends SIGTERM to the server it started, waits for the graceful shutdown, and
// kills it after 20 s.
func (s *server) stop() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// tail is the end of a log file, for an error message.
func tail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(bytes.TrimSpace(data)), "\n"), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return "last lines of the portal's log:\n" + strings.Join(lines, "\n")
}
