package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dualuse-transparency/portal/internal/pgembed"
	"github.com/dualuse-transparency/portal/internal/procstat"
)

var (
	attrURL = regexp.MustCompile(`(?i)(?:src|href)\s*=\s*["']?([^"'\s>]+)`)
	cssURL  = regexp.MustCompile(`(?i)url\(\s*["']?(https?:[^"')\s]+)`)
	cdnRe   = regexp.MustCompile(`https?://(unpkg\.com|cdn\.jsdelivr\.net|esm\.sh|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|cdn\.skypack\.dev)`)
)

// externalRefs lists the page's references to other hosts and its own scripts' URLs.
func externalRefs(html, base string) (external, scripts []string) {
	b, _ := url.Parse(base + "/")
	refs := attrURL.FindAllStringSubmatch(html, -1)
	refs = append(refs, cssURL.FindAllStringSubmatch(html, -1)...)
	for _, m := range refs {
		u, err := b.Parse(m[1])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		if u.Host != b.Host {
			external = append(external, u.String())
			continue
		}
		if strings.HasSuffix(u.Path, ".js") || strings.HasSuffix(u.Path, ".css") || strings.HasSuffix(u.Path, ".mjs") {
			scripts = append(scripts, u.String())
		}
	}
	return external, scripts
}

// cdnHosts are the content delivery networks a script loads code or fonts from.
func cdnHosts(js string) []string { return cdnRe.FindAllString(js, -1) }

// privateDB: item 6. The server on a private PostgreSQL of its own: a second process
// on the same data folder must refuse; a killed postmaster must come back.
func (s *suite) privateDB(ctx context.Context, r *result) error {
	dir, err := pgembed.ResolveDataDir(filepath.Join(s.work, "pgdata-private"))
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	defer stopPostmaster(dir)
	if err := s.portal(ctx, "", dir, "migrate"); err != nil {
		return err
	}
	if err := s.portal(ctx, "", dir, "import", s.release); err != nil {
		return err
	}
	srv, err := s.startServer(ctx, "private", "", dir)
	if err != nil {
		return err
	}
	defer srv.Terminate(s.o.shutdown + 5*time.Second)

	// A second `portal demo` on the same data folder.
	second, err := s.spawn("second", "", dir, []string{"demo"})
	if err != nil {
		return err
	}
	const secondWait = 15 * time.Second
	select {
	case <-second.Exited():
		r.add("a second `portal demo` on the same data folder: refuses", second.ExitCode() != 0,
			"exit status %d: %s", second.ExitCode(), short(lastLine(second.Tail()), 200))
	case <-time.After(secondWait):
		ready := get(ctx, second.Base+"/readyz")
		second.Terminate(s.o.shutdown + 5*time.Second)
		r.add("a second `portal demo` on the same data folder: refuses", false,
			"still running after %s (its /readyz: %s)", secondWait, ready.describe())
	}
	if a := gql(ctx, srv.Base, "{ releases { id } }"); !a.hasData() {
		return fmt.Errorf("the first server no longer answers after the second process: %s", a.describe())
	}

	// Kill the postmaster.
	pid, err := postmasterPID(dir)
	if err != nil {
		return err
	}
	children := procstat.Children(pid)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill the private postmaster %d: %w", pid, err)
	}
	for _, c := range children { // its backends, which would otherwise serve on a while
		_ = syscall.Kill(c, syscall.SIGKILL)
	}
	r.notef("killed the private postmaster (pid %d) and its %d processes", pid, len(children))
	killed := time.Now()
	var lies []string
	recovered := time.Duration(0)
	n := 0
	for time.Since(killed) < s.o.recover {
		n++
		h := get(ctx, srv.Base+"/healthz")
		y := get(ctx, srv.Base+"/readyz")
		q := gql(ctx, srv.Base, fmt.Sprintf("{ r%d: releases { id } }", n))
		if q.hasData() {
			if y.status == http.StatusOK {
				recovered = time.Since(killed)
				break
			}
		} else {
			// /readyz says whether queries can be answered; /healthz whether the process
			// can serve at all, so it fails only once the supervisor has given up (README).
			if y.status == http.StatusOK {
				lies = append(lies, "/readyz 200")
			}
			if h.status == http.StatusOK && time.Since(killed) > s.o.recover/2 {
				lies = append(lies, "/healthz 200 long after the database died")
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	last := gql(ctx, srv.Base, "{ releases { id } }")
	r.add(fmt.Sprintf("postmaster killed: the server answers data again within %s", s.o.recover), recovered > 0,
		"%s", map[bool]string{true: "recovered after " + recovered.Round(100*time.Millisecond).String(), false: "not recovered; a query now: " + last.describe()}[recovered > 0])
	r.add("meanwhile /readyz tells the truth (not 200 while queries fail), and /healthz does not say 200 for good", len(lies) == 0,
		"%d probes, %d answered 200 while the database was down: %s", n, len(lies), short(strings.Join(uniq(lies), ", "), 100))
	return nil
}

func postmasterPID(dir string) (int, error) {
	data, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	first, _, _ := strings.Cut(string(data), "\n")
	return strconv.Atoi(strings.TrimSpace(first))
}

// stopPostmaster ends a postmaster still running on the suite's folder (one that a
// supervised restart left behind).
func stopPostmaster(dir string) {
	pid, err := postmasterPID(dir)
	if err != nil || syscall.Kill(pid, 0) != nil {
		return
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	for range 50 {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func uniq(xs []string) []string {
	seen := map[string]int{}
	var out []string
	for _, x := range xs {
		if seen[x] == 0 {
			out = append(out, x)
		}
		seen[x]++
	}
	for i, x := range out {
		out[i] = fmt.Sprintf("%s ×%d", x, seen[x])
	}
	return out
}

// shutdownItem: item 10. SIGTERM while long requests are in flight: a body that never
// ends and the heavy statistics; the process must exit 0 within SHUTDOWN_TIMEOUT.
func (s *suite) shutdownItem(ctx context.Context, r *result) error {
	srv, err := s.startServer(ctx, "shutdown", s.dbURL, "")
	if err != nil {
		return err
	}
	defer srv.Terminate(time.Second)
	hctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stalled, err := stalledBody(hctx, srv.Port)
	if err != nil {
		return err
	}
	defer stalled.Close()
	go gql(hctx, srv.Base, heavyStatistics())
	time.Sleep(500 * time.Millisecond)
	code, took, exited := srv.Terminate(s.o.shutdown + 10*time.Second)
	r.add(fmt.Sprintf("SIGTERM with a stalled upload and heavy statistics in flight: exit 0 within SHUTDOWN_TIMEOUT (%s)", s.o.shutdown),
		exited && code == 0 && took <= s.o.shutdown+time.Second, "%s", exitLine(code, took, exited))
	return nil
}
