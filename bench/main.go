// Command bench measures the portal against the performance targets of DESIGN section
// 7 and writes BENCHMARKS.md. It is run by bench/run, which builds it and the portal
// binary first:
//
//	bench/run [--decisions N] [--duration D] [--iterations N] [--smoke]
//	bench/run --curve [--sizes 100000,1000000,5000000]
//
// It measures the real thing: the portal binary imports a synthetic release and serves
// it as a separate process, and the load comes over loopback HTTP. The bare SQL a query
// runs is captured once by building the API in-process with a query tracer, then
// replayed straight through a pgx connection, so that the server's overhead over its
// own SQL can be measured in the same run. With --curve the same benchmark runs at
// several sizes, each on a database of its own, and the report shows how each figure
// grows with the data.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are what the command line asks for.
type options struct {
	portal        string        // the portal binary
	decisions     int           // the size of the synthetic release (one size, no --curve)
	curve         bool          // run at every size of sizes
	sizes         []int         // the sizes of the curve, ascending
	duration      time.Duration // each load phase
	iterations    int           // uncached requests and SQL replays per query
	workers       int           // concurrent requests of a load phase
	runs          int           // runs of each load phase; the median run is reported
	firstViews    int           // cold-cache replays of the explore page's first view, per mode
	exploreSource string        // the explore page's script, where its queries are read from
	smoke         bool          // a small run that checks everything works
	out           string        // the report; empty: BENCHMARKS.md, or a temp file for --smoke
	command       string        // the command line, for the report
}

// defaultSizes are the sizes of the curve (issue: 100,000, 1,000,000 and 5,000,000).
const defaultSizes = "100000,1000000,5000000"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

// parseOptions reads the flags; --smoke changes the defaults, not explicit values.
func parseOptions(args []string) (options, error) {
	var o options
	var sizes string
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	flags.StringVar(&o.portal, "portal", "", "the portal binary (bench/run builds it)")
	flags.IntVar(&o.decisions, "decisions", 1_000_000, "decisions in the synthetic release (without --curve)")
	flags.BoolVar(&o.curve, "curve", false, "run the benchmark at every size of --sizes, one after the other")
	flags.StringVar(&sizes, "sizes", defaultSizes, "the sizes of --curve, decisions, comma-separated")
	flags.DurationVar(&o.duration, "duration", 5*time.Second, "length of each load phase")
	flags.IntVar(&o.iterations, "iterations", 50, "uncached requests and SQL replays per query")
	flags.IntVar(&o.workers, "workers", 4, "connections of a load phase, each with one request at a time")
	flags.IntVar(&o.runs, "runs", 3, "runs of each load phase, one after the other; the median run is reported")
	flags.IntVar(&o.firstViews, "first-views", 3, "cold-cache replays of the explore page's first view, per mode")
	flags.StringVar(&o.exploreSource, "explore-source", "internal/explore/src/explore.js", "the explore page's script, for its queries")
	flags.BoolVar(&o.smoke, "smoke", false, "small, fast run; the report goes to a temp file")
	flags.StringVar(&o.out, "out", "", "the report file (default BENCHMARKS.md; --smoke: a temp file)")
	flags.StringVar(&o.command, "command", "", "the command line to print in the report")
	if err := flags.Parse(args); err != nil {
		return o, err
	}
	if o.smoke && o.curve {
		return o, errors.New("--smoke and --curve do not go together: the smoke run is one small size")
	}
	if o.smoke {
		setUnless(flags, "decisions", "20000")
		setUnless(flags, "duration", "1s")
		setUnless(flags, "iterations", "5")
		setUnless(flags, "first-views", "1")
		setUnless(flags, "runs", "1")
	}
	usage := errors.New("usage: bench --portal BINARY [--decisions N | --curve [--sizes N,N,...]] [--duration D] [--iterations N] [--workers N] [--runs N] [--first-views N] [--smoke] [--out FILE]")
	if o.portal == "" || o.decisions <= 0 || o.duration <= 0 || o.iterations <= 0 || o.workers <= 0 || o.runs <= 0 || o.firstViews <= 0 {
		return o, usage
	}
	o.sizes = []int{o.decisions}
	if o.curve {
		var err error
		if o.sizes, err = parseSizes(sizes); err != nil {
			return o, fmt.Errorf("--sizes: %w", err)
		}
	}
	if o.command == "" {
		o.command = "bench " + strings.Join(args, " ")
	}
	return o, nil
}

// parseSizes reads "100000,1000000,5000000": distinct positive sizes, sorted.
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(part), "_", ""))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a number of decisions", part)
		}
		sizes = append(sizes, n)
	}
	slices.Sort(sizes)
	sizes = slices.Compact(sizes)
	if len(sizes) < 2 {
		return nil, errors.New("a curve needs at least two sizes")
	}
	return sizes, nil
}

// setUnless gives a flag a value unless the command line gave it one.
func setUnless(flags *flag.FlagSet, name, value string) {
	given := false
	flags.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	if !given {
		_ = flags.Set(name, value)
	}
}

// run is the whole benchmark: for each size a database, the release imported, the
// server started, the queries measured; then the report written. Whatever happens,
// what it started stops.
func run(ctx context.Context, args []string) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	started := time.Now()
	ref := referenceSize(o.sizes)
	var sizes []sizeResult
	for _, n := range o.sizes {
		s, err := runSize(ctx, o, n, n == ref)
		if err != nil {
			return fmt.Errorf("%s decisions: %w", thousands(float64(n)), err)
		}
		sizes = append(sizes, s)
	}
	r := newReport(o, sizes, ref, started)
	if err := r.write(o); err != nil {
		return err
	}
	if failed := r.failures(); len(failed) > 0 {
		return fmt.Errorf("failed: %s", strings.Join(failed, ", "))
	}
	return nil
}

// referenceSize is the size that every target of DESIGN section 7 is checked at:
// 1,000,000 decisions when the run has it, else the size below the largest (so that a
// small test curve still has a reference to grow from), else the only size.
func referenceSize(sizes []int) int {
	switch {
	case slices.Contains(sizes, importTargetN):
		return importTargetN
	case len(sizes) > 1:
		return sizes[len(sizes)-2]
	}
	return sizes[0]
}

// runSize runs the benchmark at one size on a database of its own, removed afterwards.
// The information loss is measured at the reference size only: it is a property of
// the rules, not a cost that grows with the data.
func runSize(ctx context.Context, o options, decisions int, reference bool) (sizeResult, error) {
	work, err := os.MkdirTemp("", "portal-bench-")
	if err != nil {
		return sizeResult{}, err
	}
	defer os.RemoveAll(work)
	database, err := openDatabase(ctx, o.smoke)
	if err != nil {
		return sizeResult{}, err
	}
	defer func() {
		if err := database.Close(); err != nil {
			logf("cleaning up the database: %v", err)
		}
	}()
	return benchmark(ctx, o, decisions, reference, database, work)
}

// benchmark runs the phases of one size against a database.
func benchmark(ctx context.Context, o options, decisions int, reference bool, database *database, work string) (sizeResult, error) {
	started := time.Now()
	s := sizeResult{decisions: decisions, database: fmt.Sprintf("PostgreSQL %s (%s)", database.version, database.Where)}
	var err error
	if s.data, err = prepareData(ctx, o, decisions, database.URL, work); err != nil {
		return s, err
	}
	if s.dbSize, err = measureDatabaseSize(ctx, database.URL); err != nil {
		return s, err
	}
	srv, err := startServer(ctx, o.portal, database.URL, work)
	if err != nil {
		return s, err
	}
	defer srv.Stop()
	if s.results, err = measureQueries(ctx, o, srv, database.URL, s.data.year); err != nil {
		return s, err
	}
	if reference {
		logf("measuring the information loss")
		s.loss, s.lossErr = measureLoss(ctx, srv.Base, database.URL, s.data.year)
		s.lossMeasured = true
	}
	s.mem = srv.memory()
	srv.Stop()
	logf("the explore page's first view, cold")
	s.firstView, s.firstViewErr = measureFirstView(ctx, o, database.URL, work)
	s.elapsed = time.Since(started)
	return s, ctx.Err()
}
