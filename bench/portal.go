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
	"sync"
	"syscall"
	"time"
)

// benchKey pseudonymises the synthetic exporters of the benchmark release.
const benchKey = "portal-benchmark-synthetic-data-only"

// dataResult is what preparing the data measured and found.
type dataResult struct {
	generate time.Duration // portal demo-data
	imported time.Duration // portal import, end to end
	year     int           // the latest year of the release
}

// prepareData generates the synthetic release with the portal binary, migrates the
// database and times the import of the release, end to end.
func prepareData(ctx context.Context, o options, decisions int, dbURL, work string) (dataResult, error) {
	var r dataResult
	dir := filepath.Join(work, "release")
	logf("generating a release of %s decisions", thousands(float64(decisions)))
	start := time.Now()
	if err := portalCommand(ctx, o.portal, dbURL, work, "demo-data", "--decisions", strconv.Itoa(decisions), "--out", dir); err != nil {
		return r, err
	}
	r.generate = time.Since(start)
	if err := portalCommand(ctx, o.portal, dbURL, work, "migrate"); err != nil {
		return r, err
	}
	logf("importing (generated in %s)", r.generate.Round(time.Millisecond))
	start = time.Now()
	if err := portalCommand(ctx, o.portal, dbURL, work, "import", dir); err != nil {
		return r, err
	}
	r.imported = time.Since(start)
	logf("imported in %s", r.imported.Round(time.Millisecond))
	var err error
	r.year, err = latestYear(dir)
	return r, err
}

// portalCommand runs one command of the portal binary to completion, its log in work.
func portalCommand(ctx context.Context, binary, dbURL, work string, args ...string) error {
	logPath := filepath.Join(work, "portal-"+args[0]+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = portalEnv(dbURL, "PORTAL_PSEUDONYM_KEY="+benchKey)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("portal %s: %w\n%s", strings.Join(args, " "), err, tail(logPath))
	}
	return nil
}

// portalEnv is this process's environment with the portal's settings on top (a later
// value wins in os/exec): the benchmark's database, for serving too.
func portalEnv(dbURL string, extra ...string) []string {
	return append(append(os.Environ(), "DATABASE_URL="+dbURL, "DATABASE_READ_URL="), extra...)
}

// latestYear reads the last year of the release's period from its release.json.
func latestYear(dir string) (int, error) {
	data, err := os.ReadFile(filepath.Join(dir, "release.json"))
	if err != nil {
		return 0, err
	}
	var meta struct {
		PeriodEnd string `json:"periodEnd"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return 0, fmt.Errorf("release.json: %w", err)
	}
	end, err := time.Parse(time.DateOnly, meta.PeriodEnd)
	if err != nil {
		return 0, fmt.Errorf("release.json: periodEnd: %w", err)
	}
	return end.Year(), nil
}

// server is `portal serve` running as a process of its own.
type server struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:PORT
	logPath string
	exited  chan struct{}

	mu     sync.Mutex
	maxRSS int64 // the largest VmRSS sampled, in kB
	ready  int64 // VmRSS when /readyz first answered, in kB
}

// startServer starts `portal serve` on a free loopback port, without the per-client
// rate limit, and waits until /readyz answers 200.
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
	// One client address sends all the load: the per-client rate limit would answer
	// most of it 429.
	s.cmd.Env = portalEnv(dbURL, "PORT="+strconv.Itoa(port), "RATE_LIMIT_PER_SECOND=0")
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
	s.ready, _ = s.status("VmRSS")
	go s.sampleRSS()
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

// stop sends SIGTERM, waits for the graceful shutdown, and kills after 20 s.
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

// sampleRSS records the largest VmRSS of the server every 100 ms until it exits.
func (s *server) sampleRSS() {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-s.exited:
			return
		case <-tick.C:
		}
		if kb, err := s.status("VmRSS"); err == nil {
			s.mu.Lock()
			s.maxRSS = max(s.maxRSS, kb)
			s.mu.Unlock()
		}
	}
}

// memoryResult is the resident memory of the serving process, in kB.
type memoryResult struct {
	hwm    int64 // the peak the kernel recorded (VmHWM)
	maxRSS int64 // the largest VmRSS sampled every 100 ms
	ready  int64 // VmRSS when it was ready, before any query
	after  int64 // VmRSS after the measurements, the load over
	err    error
}

// memory reads the peak resident memory and the resident memory now, after the
// measurements. Call it before stop.
func (s *server) memory() memoryResult {
	var m memoryResult
	m.hwm, m.err = s.status("VmHWM")
	if m.err == nil {
		m.after, m.err = s.status("VmRSS")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m.maxRSS, m.ready = s.maxRSS, s.ready
	return m
}

// status reads one "Name: N kB" line of /proc/PID/status.
func (s *server) status(name string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", s.cmd.Process.Pid, name)
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
	return "last lines of " + path + ":\n" + strings.Join(lines, "\n")
}

// logf prints a progress line.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
