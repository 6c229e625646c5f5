package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dualuse-transparency/portal/internal/portalproc"
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
	return portalproc.Run(ctx, binary, work, portalproc.Env(dbURL, "PORTAL_PSEUDONYM_KEY="+benchKey), args...)
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

// server is `portal serve` running as a process of its own, its resident memory sampled.
type server struct {
	*portalproc.Server

	mu     sync.Mutex
	maxRSS int64 // the largest VmRSS sampled, in kB
	ready  int64 // VmRSS when /readyz first answered, in kB
}

// startServer starts `portal serve` on a free loopback port, without the per-client
// rate limit, and waits until /readyz answers 200.
func startServer(ctx context.Context, binary, dbURL, work string) (*server, error) {
	// One client address sends all the load: the per-client rate limit would answer
	// most of it 429.
	proc, err := portalproc.Start(ctx, binary, portalproc.Env(dbURL, "RATE_LIMIT_PER_SECOND=0"), filepath.Join(work, "portal-serve.log"))
	if err != nil {
		return nil, err
	}
	s := &server{Server: proc}
	s.ready, _ = s.status("VmRSS")
	go s.sampleRSS()
	logf("portal serve is ready at %s (pid %d)", s.Base, s.Pid())
	return s, nil
}

// sampleRSS records the largest VmRSS of the server every 100 ms until it exits.
func (s *server) sampleRSS() {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-s.Exited():
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
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.Pid()))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no %s", s.Pid(), name)
}

// logf prints a progress line.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
