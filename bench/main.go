// Command bench measures the portal against the performance targets of DESIGN section
// 7 and writes BENCHMARKS.md. It is run by bench/run, which builds it and the portal
// binary first:
//
//	bench/run [--decisions N] [--duration D] [--iterations N] [--smoke]
//
// It measures the real thing: the portal binary imports a synthetic release and serves
// it as a separate process, and the load comes over loopback HTTP. The bare SQL a query
// runs is captured once by building the API in-process with a query tracer, then
// replayed straight through a pgx connection, so that the server's overhead over its
// own SQL can be measured in the same run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// options are what the command line asks for.
type options struct {
	portal     string        // the portal binary
	decisions  int           // the size of the synthetic release
	duration   time.Duration // each load phase
	iterations int           // uncached requests and SQL replays per query
	workers    int           // concurrent requests of a load phase
	smoke      bool          // a small run that checks everything works
	out        string        // the report; empty: BENCHMARKS.md, or a temp file for --smoke
	command    string        // the command line, for the report
}

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
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	flags.StringVar(&o.portal, "portal", "", "the portal binary (bench/run builds it)")
	flags.IntVar(&o.decisions, "decisions", 1_000_000, "decisions in the synthetic release")
	flags.DurationVar(&o.duration, "duration", 5*time.Second, "length of each load phase")
	flags.IntVar(&o.iterations, "iterations", 50, "uncached requests and SQL replays per query")
	flags.IntVar(&o.workers, "workers", 4, "concurrent requests in a load phase")
	flags.BoolVar(&o.smoke, "smoke", false, "small, fast run; the report goes to a temp file")
	flags.StringVar(&o.out, "out", "", "the report file (default BENCHMARKS.md; --smoke: a temp file)")
	flags.StringVar(&o.command, "command", "", "the command line to print in the report")
	if err := flags.Parse(args); err != nil {
		return o, err
	}
	if o.smoke {
		setUnless(flags, "decisions", "20000")
		setUnless(flags, "duration", "1s")
		setUnless(flags, "iterations", "5")
	}
	if o.portal == "" || o.decisions <= 0 || o.duration <= 0 || o.iterations <= 0 || o.workers <= 0 {
		return o, errors.New("usage: bench --portal BINARY [--decisions N] [--duration D] [--iterations N] [--workers N] [--smoke] [--out FILE]")
	}
	if o.command == "" {
		o.command = "bench " + strings.Join(args, " ")
	}
	return o, nil
}

// setUnless gives a flag a value unless the command line gave it one.
func setUnless(flags *flag.FlagSet, name, value string) {
	given := false
	flags.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	if !given {
		_ = flags.Set(name, value)
	}
}

// run is the whole benchmark: a database, the release imported, the server started,
// the queries measured, the report written. Whatever happens, what it started stops.
func run(ctx context.Context, args []string) error {
	o, err := parseOptions(args)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "portal-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	database, err := openDatabase(ctx, o.smoke)
	if err != nil {
		return err
	}
	defer func() {
		if err := database.close(); err != nil {
			logf("cleaning up the database: %v", err)
		}
	}()
	return benchmark(ctx, o, database, work)
}

// benchmark runs the phases against a database and writes the report.
func benchmark(ctx context.Context, o options, database *database, work string) error {
	started := time.Now()
	data, err := prepareData(ctx, o, database.url, work)
	if err != nil {
		return err
	}
	srv, err := startServer(ctx, o.portal, database.url, work)
	if err != nil {
		return err
	}
	defer srv.stop()
	results, err := measureQueries(ctx, o, srv, database.url, data.year)
	if err != nil {
		return err
	}
	logf("measuring the information loss")
	loss, lossErr := measureLoss(ctx, srv.base, database.url, data.year)
	r := newReport(ctx, o, database, data, srv, results, started)
	r.loss, r.lossErr = loss, lossErr
	if err := r.write(o); err != nil {
		return err
	}
	if failed := r.failedQueries(); len(failed) > 0 {
		return fmt.Errorf("queries failed: %s", strings.Join(failed, ", "))
	}
	return nil
}
