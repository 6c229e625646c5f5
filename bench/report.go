package main

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The targets of DESIGN section 7 that are the same for every query.
const (
	maxRatio       = 1.3
	minRate        = 10_000.0
	maxCachedP50   = 2 * time.Millisecond
	importTarget   = 30 * time.Second
	importTargetN  = 1_000_000
	maxRSSBytes    = 200_000_000
	reportFile     = "BENCHMARKS.md"
	notesHeading   = "## Notes"
	notesDefault   = notesHeading + "\n\n<!-- Written by hand: bench/run keeps this section as it is across runs. -->\n"
	whyPlaceholder = "_why: to be written by hand_"
)

// report is one run's figures, and where they were taken.
type report struct {
	date        time.Time
	elapsed     time.Duration
	o           options
	machine     []string // "name: value" lines
	database    string
	data        dataResult
	hwm, maxRSS int64 // kB
	memErr      error
	loss        []lossResult // information loss of the tables
	lossErr     error
	results     []queryResult
}

// newReport gathers the figures; the server must still be running, for its memory.
func newReport(ctx context.Context, o options, d *database, data dataResult, srv *server, results []queryResult, started time.Time) *report {
	r := &report{date: time.Now(), elapsed: time.Since(started), o: o, data: data, results: results,
		database: fmt.Sprintf("PostgreSQL %s (%s)", d.version, d.where)}
	r.hwm, r.maxRSS, r.memErr = srv.memory()
	r.machine = machineLines(r.database)
	return r
}

// machineLines describe the machine the run took place on.
func machineLines(database string) []string {
	uname, err := exec.Command("uname", "-srm").Output()
	if err != nil {
		uname = []byte(err.Error())
	}
	return []string{
		"machine: " + strings.TrimSpace(string(uname)),
		"CPU: " + procField("/proc/cpuinfo", "model name"),
		"cores: " + strconv.Itoa(runtime.NumCPU()),
		"memory: " + memTotal(),
		"Go: " + runtime.Version(),
		"database: " + database,
	}
}

// procField is the value of the first "name : value" line of a /proc file.
func procField(path, name string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for line := range strings.Lines(string(data)) {
		key, value, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(key) == name {
			return strings.TrimSpace(value)
		}
	}
	return "unknown"
}

func memTotal() string {
	kb, err := strconv.ParseInt(strings.TrimSuffix(procField("/proc/meminfo", "MemTotal"), " kB"), 10, 64)
	if err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
}

// failedQueries names the queries that failed.
func (r *report) failedQueries() []string {
	var failed []string
	for _, q := range r.results {
		if q.failure != "" {
			failed = append(failed, q.spec.id+" ("+q.failure+")")
		}
	}
	return failed
}

// write prints the report and writes it to its file, keeping the file's Notes.
func (r *report) write(o options) error {
	path, err := reportPath(o)
	if err != nil {
		return err
	}
	notes := notesDefault
	if old, err := os.ReadFile(path); err == nil {
		if i := strings.Index(string(old), "\n"+notesHeading); i >= 0 {
			notes = string(old[i+1:])
		}
	}
	text := r.markdown() + "\n" + notes
	fmt.Print(r.markdown())
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return err
	}
	logf("wrote %s", path)
	return nil
}

// reportPath is --out, else BENCHMARKS.md, or for a smoke run a new temp file.
func reportPath(o options) (string, error) {
	switch {
	case o.out != "":
		return o.out, nil
	case !o.smoke:
		return reportFile, nil
	}
	f, err := os.CreateTemp("", "portal-bench-smoke-*.md")
	if err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

// markdown is the report up to, not including, the Notes.
func (r *report) markdown() string {
	var b strings.Builder
	r.writeHeader(&b)
	r.writeUncached(&b)
	r.writeSQLTime(&b)
	r.writeRepeated(&b)
	r.writeImportAndMemory(&b)
	writeLoss(&b, r.loss, r.lossErr)
	r.writeWhy(&b)
	return b.String()
}

func (r *report) writeHeader(b *strings.Builder) {
	fmt.Fprintf(b, "# Benchmarks\n\n")
	fmt.Fprintf(b, "The portal measured against the targets of DESIGN section 7 by `bench/run` (see README,\n")
	fmt.Fprintf(b, "\"Benchmarks\"). Everything above Notes is written by the program; Notes is kept across runs.\n\n")
	fmt.Fprintf(b, "- date: %s\n", r.date.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(b, "- command: `%s` (took %s)\n", r.o.command, r.elapsed.Round(time.Second))
	fmt.Fprintf(b, "- release: %s synthetic decisions (`portal demo-data`), latest year %d\n", thousands(float64(r.o.decisions)), r.data.year)
	fmt.Fprintf(b, "- uncached: up to %d sequential requests per query; bare SQL: as many replays; load phases: %s each, %d workers, maximum rate (vegeta)\n",
		r.o.iterations, r.o.duration, r.o.workers)
	for _, line := range r.machine {
		fmt.Fprintf(b, "- %s\n", line)
	}
}

func (r *report) writeUncached(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Uncached: each request a distinct document\n\n")
	fmt.Fprintf(b, "Server: sequential POSTs over loopback, each a document of its own (its own operation name and\n")
	fmt.Fprintf(b, "`__typename` alias), so that no cache of answers can serve it. SQL: the statements the query\n")
	fmt.Fprintf(b, "runs, captured once from the same API built in-process with a pgx tracer, replayed one after\n")
	fmt.Fprintf(b, "the other on one connection with the pool's session settings (%s), every row read; the\n", r.sessionSettings())
	fmt.Fprintf(b, "median of their totals. The server may run some statements concurrently, so a ratio under 1\n")
	fmt.Fprintf(b, "is possible.\n\n")
	fmt.Fprintf(b, "| query | SQL median | server median (uncached) | server p99 | ratio | target | met? |\n")
	fmt.Fprintf(b, "| --- | ---: | ---: | ---: | ---: | --- | --- |\n")
	for _, q := range r.results {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | ≤ %.1f × SQL, ≤ %s | %s |\n", q.label(),
			ms(q.sql.median()), ms(q.uncached.median()), ms(q.uncached.quantile(0.99)),
			q.ratioText(), maxRatio, ms(q.spec.limit), verdict(q.uncachedMisses(), q.failure))
	}
	fmt.Fprintf(b, "\nThe queries:\n\n")
	for _, q := range r.results {
		fmt.Fprintf(b, "- %s: %s; %d SQL statements; %d uncached requests, %d SQL replays\n",
			q.label(), q.spec.describe, len(q.statements), len(q.uncached), len(q.sql))
	}
}

// sessionSettings are the run-time parameters the pool set, as the replay used them.
func (r *report) sessionSettings() string {
	for _, q := range r.results {
		if len(q.params) > 0 {
			var kv []string
			for _, k := range slices.Sorted(maps.Keys(q.params)) {
				kv = append(kv, k+"="+q.params[k])
			}
			return "`" + strings.Join(kv, "`, `") + "`"
		}
	}
	return "none"
}

// writeSQLTime lists the slowest statements of each query: where its time goes.
func (r *report) writeSQLTime(b *strings.Builder) {
	fmt.Fprintf(b, "\n### Where the SQL time goes\n\n")
	fmt.Fprintf(b, "The slowest statements of each query, by their median in the replays:\n\n")
	for _, q := range r.results {
		if len(q.sql) == 0 {
			continue
		}
		fmt.Fprintf(b, "- %s, %d statements, %s in all:\n", q.label(), len(q.statements), ms(q.sql.median()))
		for _, s := range slowest(q.statements, 3) {
			fmt.Fprintf(b, "  - %s: %s\n", ms(s.times.median()), s.label())
		}
	}
}

// slowest returns the n statements with the largest median time, slowest first.
func slowest(statements []statement, n int) []statement {
	sorted := slices.Clone(statements)
	slices.SortStableFunc(sorted, func(a, b statement) int { return cmp.Compare(b.times.median(), a.times.median()) })
	return sorted[:min(n, len(sorted))]
}

func (r *report) writeRepeated(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Repeated identical query\n\n")
	fmt.Fprintf(b, "The same POST again and again for %s with vegeta, at its maximum rate with %d concurrent\n", r.o.duration, r.o.workers)
	fmt.Fprintf(b, "requests, the load generator on the same machine, every answer checked; the server's per-client\n")
	fmt.Fprintf(b, "rate limit is off (`RATE_LIMIT_PER_SECOND=0`), since all the load comes from one address.\n\n")
	fmt.Fprintf(b, "| query | answer | requests | requests/s | median | p99 | target | met? |\n")
	fmt.Fprintf(b, "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |\n")
	for _, q := range r.results {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | ≥ %s req/s, median < %s | %s |\n", q.label(), kb(q.load.bytes),
			thousands(float64(q.load.requests)), thousands(q.load.rate), ms(q.load.median), ms(q.load.p99),
			thousands(minRate), ms(maxCachedP50), verdict(q.repeatedMisses(), q.failure))
	}
}

func (r *report) writeImportAndMemory(b *strings.Builder) {
	target, what := r.importTarget()
	fmt.Fprintf(b, "\n## Import and memory\n\n")
	fmt.Fprintf(b, "| what | figure | target | met? |\n| --- | ---: | --- | --- |\n")
	fmt.Fprintf(b, "| import of %s decisions (`portal import`, end to end) | %s | %s | %s |\n",
		thousands(float64(r.o.decisions)), seconds(r.data.imported), what, verdict(r.importMisses(target), ""))
	fmt.Fprintf(b, "| peak resident memory of `portal serve` (VmHWM) | %s | ≤ %s | %s |\n",
		r.memoryText(r.hwm), mb(maxRSSBytes), verdict(r.memoryMisses(), ""))
	fmt.Fprintf(b, "| largest VmRSS sampled every 100 ms | %s | | |\n", r.memoryText(r.maxRSS))
	fmt.Fprintf(b, "\nGenerating the release (`portal demo-data`, not a target) took %s.\n", seconds(r.data.generate))
}

// writeWhy lists every missed target with a line for the developers to fill in.
func (r *report) writeWhy(b *strings.Builder) {
	fmt.Fprintf(b, "\n## Why\n\n")
	misses := r.allMisses()
	if len(misses) == 0 {
		fmt.Fprintf(b, "Every target is met.\n")
		return
	}
	fmt.Fprintf(b, "Targets missed, and by how much. Fill in each why by hand; what should outlast the next run\n")
	fmt.Fprintf(b, "belongs under Notes, which the program keeps.\n\n")
	for _, m := range misses {
		fmt.Fprintf(b, "- %s. %s\n", m, whyPlaceholder)
	}
}
