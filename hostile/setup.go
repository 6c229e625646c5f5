package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/harnessdb"
	"github.com/dualuse-transparency/portal/internal/portalproc"
)

// suiteKey pseudonymises the synthetic exporters: synthetic data only.
const suiteKey = "portal-hostile-suite-synthetic-data-only"

// suite is what the items share: the portal binary, a database with the synthetic
// release loaded, and a temporary folder.
type suite struct {
	o       options
	work    string
	release string // the release folder, for the private-database item
	dbURL   string
	where   string
	closeDB func() error
}

func newSuite(ctx context.Context, o options) (*suite, error) {
	work, err := os.MkdirTemp("", "portal-hostile-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(work, 0o755); err != nil { // the postgres user of a private server enters it
		os.RemoveAll(work)
		return nil, err
	}
	s := &suite{o: o, work: work, release: filepath.Join(work, "release"), closeDB: func() error { return nil }}
	if err := s.setup(ctx); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *suite) setup(ctx context.Context) error {
	logf("a database")
	d, err := harnessdb.Open(ctx, "portal_hostile", true)
	if err != nil {
		return err
	}
	s.dbURL, s.where, s.closeDB = d.URL, d.Where, d.Close
	logf("a synthetic release (--decisions %d; 0: the demo's size), imported", s.o.decisions)
	args := []string{"demo-data", "--out", s.release}
	if s.o.decisions > 0 {
		args = append(args, "--decisions", strconv.Itoa(s.o.decisions))
	}
	if err := s.portal(ctx, s.dbURL, "", args...); err != nil {
		return err
	}
	if err := s.portal(ctx, s.dbURL, "", "migrate"); err != nil {
		return err
	}
	return s.portal(ctx, s.dbURL, "", "import", s.release)
}

func (s *suite) close() {
	if err := s.closeDB(); err != nil {
		logf("cleaning up the database: %v", err)
	}
	os.RemoveAll(s.work)
}

// portalEnv is this process's environment with the portal's settings on top (a later
// value wins in os/exec). dbURL "" runs the portal on its private server in dataDir.
func portalEnv(dbURL, dataDir string, extra ...string) []string {
	env := portalproc.Env(dbURL, "PORTAL_PSEUDONYM_KEY="+suiteKey)
	if dataDir != "" {
		env = append(env, "PORTAL_DATA_DIR="+dataDir)
	}
	return append(env, extra...)
}

// portal runs one command of the portal binary to completion.
func (s *suite) portal(ctx context.Context, dbURL, dataDir string, args ...string) error {
	cmd := exec.CommandContext(ctx, s.o.portal, args...)
	cmd.Env = portalEnv(dbURL, dataDir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("portal %s: %w\n%s", strings.Join(args, " "), err, lastLines(out.String()))
	}
	return nil
}

// server is a `portal serve` (or `portal demo`) process of the suite's own.
type server = portalproc.Server

// startServer starts `portal serve` (or args) on a free loopback port, without the
// per-client rate limit unless extra sets one, and waits until /readyz answers 200.
func (s *suite) startServer(ctx context.Context, name, dbURL, dataDir string, extra ...string) (*server, error) {
	srv, err := s.spawn(name, dbURL, dataDir, []string{"serve"}, extra...)
	if err != nil {
		return nil, err
	}
	if err := srv.WaitReady(ctx, time.Minute); err != nil {
		srv.Terminate(time.Second)
		return nil, err
	}
	return srv, nil
}

func (s *suite) spawn(name, dbURL, dataDir string, args []string, extra ...string) (*server, error) {
	env := append([]string{"RATE_LIMIT_PER_SECOND=0", "LOG_LEVEL=warn", "SHUTDOWN_TIMEOUT=" + s.o.shutdown.String()}, s.o.serverEnv...)
	proc, err := portalproc.Spawn(s.o.portal, args, portalEnv(dbURL, dataDir, append(env, extra...)...), filepath.Join(s.work, "portal-"+name+".log"))
	if err != nil {
		return nil, err
	}
	return proc, nil
}

func lastLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 12 {
		lines = lines[len(lines)-12:]
	}
	return strings.Join(lines, "\n")
}

// cpuTime is the process's user and system CPU time so far, from /proc.
func cpuTime(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: fields count after its ')'.
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks, nil
}

// rss is the process's resident memory in bytes, from /proc.
func rss(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmRSS", pid)
}

// rssSampler records the peak resident memory of a process until stopped.
type rssSampler struct {
	peak int64
	done chan struct{}
	stop chan struct{}
}

func sampleRSS(pid int) *rssSampler {
	r := &rssSampler{done: make(chan struct{}), stop: make(chan struct{})}
	r.peak, _ = rss(pid)
	go func() {
		defer close(r.done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-r.stop:
				return
			case <-t.C:
				if v, err := rss(pid); err == nil && v > r.peak {
					r.peak = v
				}
			}
		}
	}()
	return r
}

func (r *rssSampler) finish() int64 { close(r.stop); <-r.done; return r.peak }

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
