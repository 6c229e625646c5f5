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
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/portalproc"
	"github.com/dualuse-transparency/portal/internal/procstat"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// TestMain doubles as the real binary: with PORTAL_TEST_RUN_MAIN set, the test binary
// runs main itself, so the end-to-end tests can start the program as a process, send
// it signals and read its exit status.
func TestMain(m *testing.M) {
	if os.Getenv("PORTAL_TEST_RUN_MAIN") != "" {
		os.Args = append(os.Args[:1], strings.Fields(os.Getenv("PORTAL_TEST_RUN_MAIN"))...)
		main()
		os.Exit(0)
	}
	os.Exit(testdb.Main(m))
}

// portal is the program started as a process.
type portal struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	port   int
}

// startPortal runs the program with the command and environment, and waits until it
// answers /healthz.
func startPortal(t *testing.T, command string, env ...string) *portal {
	t.Helper()
	p := &portal{port: freePort(t)}
	p.cmd = exec.Command(os.Args[0], "-test.run=^$")
	p.cmd.Env = append(os.Environ(), "PORTAL_TEST_RUN_MAIN="+command, fmt.Sprintf("PORT=%d", p.port), "DATABASE_URL=")
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(p.url("/healthz")); err == nil {
			resp.Body.Close()
			return p
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("portal %s did not answer within 60s; its log:\n%s", command, p.stderr.String())
	return nil
}

func (p *portal) url(path string) string { return fmt.Sprintf("http://127.0.0.1:%d%s", p.port, path) }

// stop sends SIGINT, as Ctrl-C does, and waits for a clean exit.
func (p *portal) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("portal exited with %v; its log:\n%s", err, p.stderr.String())
	}
}

// query posts a GraphQL query over HTTP and decodes the data into out.
func (p *portal) query(t *testing.T, query string, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := http.Post(p.url("/graphql"), "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var envelope struct {
		Data   json.RawMessage
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&envelope); err != nil || len(envelope.Errors) > 0 {
		t.Fatalf("query %s: status %d, errors %v, decode %v", query, resp.StatusCode, envelope.Errors, err)
	}
	if err := json.Unmarshal(envelope.Data, out); err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) int {
	port, err := portalproc.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// The README's run command on a machine with no database: it starts a private
// PostgreSQL, serves the API, stops the database on Ctrl-C, and reuses its data next time.
func TestDemoWithPrivateDatabase(t *testing.T) {
	dataDir := filepath.Join(privateDir(t), "pgdata")
	for run := 1; run <= 2; run++ {
		p := startPortal(t, "demo", "PORTAL_DATA_DIR="+dataDir)
		var resp struct {
			MemberStates []struct{ Code string }
			Countries    []struct{ Region *struct{ Name string } }
		}
		p.query(t, `{ memberStates { code } countries { region { name } } }`, &resp)
		if len(resp.MemberStates) != 27 || len(resp.Countries) < 240 {
			t.Errorf("run %d: %d member states and %d countries, want 27 and at least 240", run, len(resp.MemberStates), len(resp.Countries))
		}
		if run == 1 {
			for i, q := range readmeQueries(t) {
				var data map[string]any
				p.query(t, q, &data) // fails on any error
				for field, v := range data {
					if v == nil || fmt.Sprint(v) == "map[rows:[]]" {
						t.Errorf("README example %d: %s is empty on the demo data", i+1, field)
					}
				}
			}
		}
		p.stop(t)
		log := p.stderr.String()
		// A fresh database the first time, the same one (migrated, loaded) the second.
		if want := map[int]string{1: `"msg":"imported","release":"demo-`, 2: `"applied":0`}[run]; !strings.Contains(log, want) {
			t.Errorf("run %d: log lacks %s:\n%s", run, want, log)
		}
		if run == 2 && !strings.Contains(log, "unchanged") {
			t.Errorf("run 2 loaded the demo release again; want it left as it was:\n%s", log)
		}
		if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); !os.IsNotExist(err) {
			t.Errorf("run %d: postmaster.pid still there after the portal stopped: the private PostgreSQL is still running", run)
		}
	}
}

// readmeQueries are the README's GraphQL examples: the README is the front door, so
// every example in it must work on the demo data.
func readmeQueries(t *testing.T) []string {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, block := range strings.Split(string(b), "```graphql\n")[1:] {
		queries = append(queries, strings.SplitN(block, "```", 2)[0])
	}
	if len(queries) < 4 {
		t.Fatalf("the README has %d GraphQL examples, want at least 4", len(queries))
	}
	return queries
}

// privateDir returns a folder that the PostgreSQL server user can reach, removed after the test.
func privateDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "portal-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// The binary against the database of DATABASE_URL, queried over HTTP.
func TestServeOverHTTP(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	port := freePort(t)
	env := []string{"DATABASE_URL=" + testdb.NewURL(t), fmt.Sprintf("PORT=%d", port)}
	go func() {
		if err := run(ctx, []string{"migrate"}, env); err != nil {
			done <- err
			return
		}
		done <- run(ctx, []string{"serve"}, env)
	}()
	p := &portal{port: port}
	waitHealthy(t, p, done)
	var resp struct {
		ControlEntries struct{ TotalCount int }
	}
	p.query(t, `{ controlEntries(cyberSurveillance: true) { totalCount } }`, &resp)
	if resp.ControlEntries.TotalCount != 8 {
		t.Errorf("cyber-surveillance entries = %d, want 8", resp.ControlEntries.TotalCount)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run returned %v after cancel, want nil (a clean shutdown)", err)
	}
}

func waitHealthy(t *testing.T, p *portal, done <-chan error) {
	t.Helper()
	for range 300 {
		select {
		case err := <-done:
			t.Fatalf("portal stopped before serving: %v", err)
		default:
		}
		if resp, err := http.Get(p.url("/healthz")); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("portal did not answer within 30s")
}

// Operator mistakes end the program with one clear line and a non-zero status.
func TestStartupErrors(t *testing.T) {
	tests := []struct {
		name    string
		command string
		env     []string
		want    string
	}{
		{name: "database refuses connections", command: "serve", env: []string{"DATABASE_URL=postgres://portal@127.0.0.1:1/portal"}, want: "database"},
		{name: "not a database URL", command: "serve", env: []string{"DATABASE_URL=mysql://x"}, want: "database"},
		{name: "unknown command", command: "launch", want: "unknown command"},
		{name: "bad port", command: "serve", env: []string{"PORT=eighty"}, want: "configuration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "PORTAL_TEST_RUN_MAIN="+tt.command)
			cmd.Env = append(cmd.Env, tt.env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			exit, ok := err.(*exec.ExitError)
			if !ok || exit.ExitCode() == 0 {
				t.Fatalf("exit = %v, want a non-zero status", err)
			}
			out := strings.TrimSpace(stderr.String())
			if strings.Count(out, "\n") != 0 || !strings.HasPrefix(out, "portal: ") || !strings.Contains(out, tt.want) {
				t.Errorf("stderr = %q, want one line \"portal: ...%s...\"", out, tt.want)
			}
		})
	}
}

// runPortal runs the program to completion and returns its exit error and stderr.
func runPortal(t *testing.T, args string, env ...string) (error, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PORTAL_TEST_RUN_MAIN="+args)
	cmd.Env = append(cmd.Env, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	return err, stderr.String()
}

// A bad release folder: every problem reported at once, a non-zero exit, and the
// database exactly as it was.
func TestImportCommand(t *testing.T) {
	url := testdb.NewURL(t)
	env := []string{"DATABASE_URL=" + url, "PORTAL_PSEUDONYM_KEY=a test key of no value"}
	good := filepath.Join(t.TempDir(), "good")
	if err, log := runPortal(t, "demo-data --decisions 500 --seed 5 --out "+good); err != nil {
		t.Fatalf("demo-data: %v\n%s", err, log)
	}
	if err, log := runPortal(t, "import "+good, env...); err != nil {
		t.Fatalf("import of a good release: %v\n%s", err, log)
	}
	before := tableCounts(t, url)

	bad := filepath.Join(t.TempDir(), "bad")
	copyRelease(t, good, bad, map[string]string{`"id": "demo-2015-2024"`: `"id": "demo-broken"`})
	corrupt(t, filepath.Join(bad, "licence_decisions.csv"), []func([]string){
		func(r []string) { r[5] = "XX" },                   // line 2: unknown country
		func(r []string) { r[2] = "2021-02-30" },           // line 3: bad date
		func(r []string) { r[8] = "-5" },                   // line 4: negative value
		func(r []string) { r[3] = "LOAN" },                 // line 5: unknown licence type
		func(r []string) { r[4], r[10] = "ISSUED", "WMD" }, // line 6: grounds on a non-denial
		func(r []string) { r[7] = "9Z999" },                // line 7: unknown control entry
	})
	err, log := runPortal(t, "import "+bad, env...)
	if err == nil {
		t.Fatal("import of a bad release succeeded")
	}
	for _, want := range []string{
		"licence_decisions.csv:2: destination:", "licence_decisions.csv:3: decision_date:",
		"licence_decisions.csv:4: value_eur:", "licence_decisions.csv:5: licence_type:",
		"licence_decisions.csv:6: denial_grounds:", "licence_decisions.csv:7: control_entry:",
		"nothing was loaded",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the report lacks %q:\n%s", want, log)
		}
	}
	if after := tableCounts(t, url); after != before {
		t.Errorf("rows after the failed import %v, before %v: want the database unchanged", after, before)
	}
	if err, log := runPortal(t, "import "+good, env...); err == nil || !strings.Contains(log, "--replace") {
		t.Errorf("importing an existing release again: %v, %s; want a refusal that names --replace", err, log)
	}
	if err, log := runPortal(t, "import "+good, "DATABASE_URL="+url, "PORTAL_PSEUDONYM_KEY="); err == nil || !strings.Contains(log, "PORTAL_PSEUDONYM_KEY") {
		t.Errorf("import without a key: %v, %s; want a refusal that names PORTAL_PSEUDONYM_KEY", err, log)
	}
}

// tableCounts counts the rows of the tables an import writes.
func tableCounts(t *testing.T, url string) [3]int {
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n [3]int
	err = conn.QueryRow(context.Background(), `
		SELECT (SELECT count(*) FROM releases), (SELECT count(*) FROM decisions), (SELECT count(*) FROM official_figures)`).Scan(&n[0], &n[1], &n[2])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// copyRelease copies a release folder, replacing text in release.json.
func copyRelease(t *testing.T, from, to string, replace map[string]string) {
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"release.json", "licence_decisions.csv", "official_figures.csv"} {
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for old, repl := range replace {
			s = strings.ReplaceAll(s, old, repl)
		}
		if err := os.WriteFile(filepath.Join(to, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// corrupt applies the edits to the data rows of a CSV file, the first to line 2.
func corrupt(t *testing.T, path string, edits []func([]string)) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i, edit := range edits {
		fields := strings.Split(lines[i+1], ",")
		edit(fields)
		lines[i+1] = strings.Join(fields, ",")
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// postmasterLines reads the private server's postmaster.pid: its pid first, its port fourth.
func postmasterLines(t *testing.T, dataDir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		t.Fatalf("postmaster.pid: %q", b)
	}
	return lines
}

// dead tells whether the process is gone or a zombie.
func dead(pid int) bool {
	s, err := procstat.Read(pid)
	if err != nil {
		return syscall.Kill(pid, 0) != nil
	}
	return s.Gone()
}

// status is the HTTP status of a GET, 0 when the request fails.
func status(url string) int {
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The private PostgreSQL dies (SIGKILL to the postmaster, as the OOM killer would):
// the portal restarts it on the same port, /readyz says 503 meanwhile and 200 after,
// /healthz stays 200 (the process can serve), and queries answer again by themselves.
func TestPrivateDatabaseRestartedAfterCrash(t *testing.T) {
	dataDir := filepath.Join(privateDir(t), "pgdata")
	p := startPortal(t, "demo", "PORTAL_DATA_DIR="+dataDir)
	if got := status(p.url("/readyz")); got != http.StatusOK {
		t.Fatalf("/readyz = %d before the crash, want 200", got)
	}
	before := postmasterLines(t, dataDir)
	pid, err := strconv.Atoi(strings.TrimSpace(before[0]))
	if err != nil {
		t.Fatal(err)
	}
	// The postmaster and its backends: a backend left behind notices its postmaster's
	// death only at its next command, and meanwhile can still answer a query, which
	// would make /readyz's 200 right but the test's timing a race.
	backends := procstat.Children(pid)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for _, c := range backends {
		_ = syscall.Kill(c, syscall.SIGKILL)
	}
	killed := time.Now()
	for !dead(pid) {
		if time.Since(killed) > 10*time.Second {
			out, _ := exec.Command("ps", "-o", "pid,ppid,stat,user,args", "-p", strconv.Itoa(pid)).CombinedOutput()
			t.Fatalf("the postmaster survived SIGKILL for 10s:\n%s", out)
		}
		time.Sleep(time.Millisecond)
	}
	saw503 := false
	for status(p.url("/readyz")) != http.StatusOK {
		saw503 = true
		if h := status(p.url("/healthz")); h != http.StatusOK {
			t.Fatalf("/healthz = %d while the database is being restarted, want 200: the process is alive", h)
		}
		if time.Since(killed) > 30*time.Second {
			t.Fatalf("/readyz not 200 again 30s after the postmaster was killed; the log:\n%s", p.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("ready again %v after the crash", time.Since(killed).Round(time.Millisecond))
	if !saw503 {
		t.Errorf("/readyz never said 503 while the database was down")
	}
	after := postmasterLines(t, dataDir)
	if after[0] == before[0] || after[3] != before[3] {
		t.Errorf("postmaster pid %s → %s, port %s → %s; want a new server on the same port", before[0], after[0], before[3], after[3])
	}
	var resp struct{ MemberStates []struct{ Code string } }
	deadline := time.Now().Add(10 * time.Second)
	for {
		// The pool drops the connections the crash broke; an answer may fail meanwhile.
		body, _ := json.Marshal(map[string]string{"query": `{ memberStates { code } }`})
		r, err := http.Post(p.url("/graphql"), "application/json", bytes.NewReader(body))
		if err == nil {
			var envelope struct {
				Data   json.RawMessage
				Errors []any
			}
			_ = json.NewDecoder(r.Body).Decode(&envelope)
			r.Body.Close()
			if len(envelope.Errors) == 0 && json.Unmarshal(envelope.Data, &resp) == nil && len(resp.MemberStates) == 27 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("queries fail 10s after /readyz said 200; the log:\n%s", p.stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// pg_ctl may see the server ready a moment after its clients do, and then it logs.
	for !strings.Contains(p.stderr.String(), "restarted the PostgreSQL server") && time.Since(killed) < 30*time.Second {
		time.Sleep(100 * time.Millisecond)
	}
	p.stop(t)
	log := p.stderr.String()
	for _, want := range []string{"has stopped; restarting it on port " + strings.TrimSpace(before[3]), "restarted the PostgreSQL server"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); !os.IsNotExist(err) {
		t.Errorf("postmaster.pid still there after the portal stopped: the restarted PostgreSQL is still running")
	}
}

// A second portal on the data folder of a running one refuses to start, naming the
// first; the first keeps its database.
func TestSecondPortalOnDataFolderRefused(t *testing.T) {
	dataDir := filepath.Join(privateDir(t), "pgdata")
	first := startPortal(t, "demo", "PORTAL_DATA_DIR="+dataDir)
	pgPort := strings.TrimSpace(postmasterLines(t, dataDir)[3])

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	second := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	second.Env = append(os.Environ(), "PORTAL_TEST_RUN_MAIN=demo", "PORTAL_DATA_DIR="+dataDir, "DATABASE_URL=", fmt.Sprintf("PORT=%d", freePort(t)))
	var stderr bytes.Buffer
	second.Stderr = &stderr
	err := second.Run()
	if ctx.Err() != nil {
		t.Fatalf("the second portal on the same data folder was still running after 60s; its log:\n%s", stderr.String())
	}
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() == 0 {
		t.Fatalf("the second portal exited with %v, want a non-zero status; its log:\n%s", err, stderr.String())
	}
	last := strings.TrimSpace(stderr.String())
	last = last[strings.LastIndexByte(last, '\n')+1:]
	for _, want := range []string{
		"portal: ", "in use by process " + strconv.Itoa(first.cmd.Process.Pid),
		fmt.Sprintf("portal demo on http://localhost:%d", first.port), "port " + pgPort, "PORTAL_DATA_DIR",
	} {
		if !strings.Contains(last, want) {
			t.Errorf("the refusal %q lacks %q", last, want)
		}
	}
	var resp struct{ MemberStates []struct{ Code string } }
	first.query(t, `{ memberStates { code } }`, &resp)
	if len(resp.MemberStates) != 27 {
		t.Errorf("the first portal after the refusal: %d member states, want 27", len(resp.MemberStates))
	}
	first.stop(t)
}

// dialRaw opens a TCP connection to the portal, written to by hand.
func dialRaw(t *testing.T, p *portal) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", p.port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// closedWithin reads conn until the server closes it, and fails when that takes
// longer than limit; dribble, if not nil, is written every 200ms meanwhile.
func closedWithin(t *testing.T, conn net.Conn, limit time.Duration, dribble []byte) {
	t.Helper()
	begin := time.Now()
	stop := make(chan struct{})
	defer close(stop)
	if dribble != nil {
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Millisecond):
					if _, err := conn.Write(dribble); err != nil {
						return
					}
				}
			}
		}()
	}
	_ = conn.SetReadDeadline(time.Now().Add(limit + 5*time.Second))
	buf := make([]byte, 4096)
	for {
		if _, err := conn.Read(buf); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatalf("the connection is still open after %v, want it closed within %v", time.Since(begin).Round(time.Millisecond), limit)
			}
			break
		}
	}
	if took := time.Since(begin); took > limit {
		t.Fatalf("the server closed the connection after %v, want within %v", took.Round(time.Millisecond), limit)
	}
}

// Slow and idle clients cannot hold connections: each HTTP timeout closes its kind,
// and oversized headers are refused.
func TestHTTPTimeouts(t *testing.T) {
	p := startPortal(t, "serve", "DATABASE_URL="+testdb.NewURL(t),
		"HTTP_READ_HEADER_TIMEOUT=1s", "HTTP_READ_TIMEOUT=2s", "HTTP_IDLE_TIMEOUT=1s", "HTTP_WRITE_TIMEOUT=5s")
	t.Run("silent connection", func(t *testing.T) {
		closedWithin(t, dialRaw(t, p), 3*time.Second, nil)
	})
	t.Run("headers sent slowly", func(t *testing.T) {
		conn := dialRaw(t, p)
		fmt.Fprint(conn, "GET /healthz HTTP/1.1\r\nHost: portal\r\n")
		closedWithin(t, conn, 3*time.Second, []byte("X-Slow: 1\r\n"))
	})
	t.Run("body sent slowly", func(t *testing.T) {
		conn := dialRaw(t, p)
		fmt.Fprint(conn, "POST /graphql HTTP/1.1\r\nHost: portal\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{")
		closedWithin(t, conn, 4*time.Second, []byte(" "))
	})
	t.Run("idle kept-alive connection", func(t *testing.T) {
		conn := dialRaw(t, p)
		fmt.Fprint(conn, "GET /healthz HTTP/1.1\r\nHost: portal\r\n\r\n")
		buf := make([]byte, 4096)
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		if n, err := conn.Read(buf); err != nil || !strings.HasPrefix(string(buf[:n]), "HTTP/1.1 200") {
			t.Fatalf("GET /healthz: %q, %v", buf[:n], err)
		}
		closedWithin(t, conn, 3*time.Second, nil)
	})
	t.Run("oversized headers", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, p.url("/healthz"), nil)
		req.Header.Set("X-Big", strings.Repeat("x", 100<<10))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("100 KiB of headers: status %d, want 431", resp.StatusCode)
		}
	})
}

// SIGTERM with a request that outlives SHUTDOWN_TIMEOUT: the request is cancelled and
// the program still exits 0, soon after the deadline.
func TestShutdownCancelsOverdueRequest(t *testing.T) {
	p := startPortal(t, "serve", "DATABASE_URL="+testdb.NewURL(t), "SHUTDOWN_TIMEOUT=1s", "HTTP_READ_TIMEOUT=0", "HTTP_WRITE_TIMEOUT=0")
	conn := dialRaw(t, p)
	fmt.Fprint(conn, "POST /graphql HTTP/1.1\r\nHost: portal\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{")
	stop := make(chan struct{})
	defer close(stop)
	go func() { // a client that sends its body forever
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				if _, err := conn.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	time.Sleep(300 * time.Millisecond) // the request is in flight
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit %v after SIGTERM with a request past the deadline, want 0; the log:\n%s", err, p.stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("still running 15s after SIGTERM; the log:\n%s", p.stderr.String())
	}
	if took := time.Since(begin); took < time.Second || took > 8*time.Second {
		t.Errorf("exited %v after SIGTERM, want after the 1s deadline and soon after it", took.Round(time.Millisecond))
	}
	if log := p.stderr.String(); !strings.Contains(log, "cancelling the requests still running at the shutdown deadline") {
		t.Errorf("the log does not say that a request was cancelled:\n%s", log)
	}
}
