// Command attack plays a determined attacker against the portal's disclosure control
// and says, per attack, whether the portal's promises hold. It is run by attack/run,
// which builds it and the portal binary first:
//
//	attack/run [--decisions N] [--targets N] [--queries N] [--smoke]
//	attack/run --portal-url URL --database-url URL
//
// The attacker knows the algorithm, the reference data and the API, may know some
// decisions, and sends as many queries as it likes, through HTTP only (POST /graphql).
// The truth, the decisions table of the database, is read only to choose targets and
// to score the answers, never to help an attack. Each attack is bounded: a number of
// queries per target and a share of the run's time. An answer with an error is a
// refusal; the attacker then tries the next-best request the API allows.
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
	portal      string        // the portal binary (attack/run builds it)
	decisions   int           // the size of the synthetic release; 0: the demo's calibrated size
	targets     int           // targets per attack
	queries     int           // table requests per target, at most
	months      int           // months the reconstruction attacks
	workers     int           // concurrent HTTP requests
	timeout     time.Duration // the whole run, setup included
	smoke       bool          // a small, fast run for CI
	out         string        // the report; empty: docs/attack-suite.md, or a temp file for --smoke
	portalURL   string        // attack this running server instead of starting one
	databaseURL string        // where the truth of that server is
	release     string        // the release to attack; empty: the latest
	revised     string        // a revision of it for attack 6; empty: none (or made, in a run of our own)
	seed        uint64        // the attacker's random choices
	only        string        // the attacks to run, by number ("1,4"); empty: all
	command     string        // the command line, for the report
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	broken, err := run(ctx, os.Args[1:])
	stop()
	switch {
	case err != nil:
		fmt.Fprintf(os.Stderr, "attack: %v\n", err)
		os.Exit(2)
	case len(broken) > 0:
		fmt.Fprintf(os.Stderr, "attack: the portal's promises are broken by: %s\n", strings.Join(broken, ", "))
		os.Exit(1)
	}
}

// parseOptions reads the flags; --smoke changes the defaults, not explicit values.
func parseOptions(args []string) (options, error) {
	var o options
	flags := flag.NewFlagSet("attack", flag.ContinueOnError)
	flags.StringVar(&o.portal, "portal", "", "the portal binary (attack/run builds it)")
	flags.IntVar(&o.decisions, "decisions", 0, "decisions in the synthetic release (0: the demo's calibrated size)")
	flags.IntVar(&o.targets, "targets", 40, "targets per attack")
	flags.IntVar(&o.queries, "queries", 2000, "table requests per target, at most")
	flags.IntVar(&o.months, "months", 3, "months the reconstruction attacks")
	flags.IntVar(&o.workers, "workers", 4, "concurrent HTTP requests")
	flags.DurationVar(&o.timeout, "timeout", 30*time.Minute, "the longest the whole run may take")
	flags.BoolVar(&o.smoke, "smoke", false, "small, fast run; the report goes to a temp file")
	flags.StringVar(&o.out, "out", "", "the report file (default docs/attack-suite.md; --smoke: a temp file)")
	flags.StringVar(&o.portalURL, "portal-url", "", "attack this running portal (with --database-url)")
	flags.StringVar(&o.databaseURL, "database-url", "", "the database of that portal, read to score the attacks")
	flags.StringVar(&o.release, "release", "", "the release to attack (default: the latest, or the one generated)")
	flags.StringVar(&o.revised, "revised-release", "", "a revision of that release, for the revisions attack")
	flags.Uint64Var(&o.seed, "seed", 1, "seed of the attacker's random choices")
	flags.StringVar(&o.only, "attacks", "", "the attacks to run, by number, such as 1,4 (default: all)")
	flags.StringVar(&o.command, "command", "", "the command line to print in the report")
	if err := flags.Parse(args); err != nil {
		return o, err
	}
	if o.smoke {
		setUnless(flags, "decisions", "20000")
		setUnless(flags, "targets", "12")
		setUnless(flags, "queries", "400")
		setUnless(flags, "months", "1")
		setUnless(flags, "timeout", "3m")
	}
	return o, checkOptions(o)
}

// checkOptions refuses an incomplete or nonsensical command line.
func checkOptions(o options) error {
	const usage = "usage: attack --portal BINARY [--decisions N] [--targets N] [--queries N] [--months N] [--timeout D]\n" +
		"              [--attacks 1,4] [--workers N] [--seed N] [--smoke] [--out FILE]\n" +
		"       attack --portal-url URL --database-url URL [--release ID] [--revised-release ID] ..."
	external := o.portalURL != "" || o.databaseURL != ""
	switch {
	case external && (o.portalURL == "" || o.databaseURL == ""):
		return errors.New("give --portal-url and --database-url together\n" + usage)
	case !external && o.portal == "":
		return errors.New(usage)
	case o.decisions < 0 || o.targets <= 0 || o.queries <= 0 || o.months <= 0 || o.workers <= 0 || o.timeout <= 0:
		return errors.New("--decisions, --targets, --queries, --months, --workers and --timeout must be positive\n" + usage)
	case external && !isLoopback(o.portalURL):
		return fmt.Errorf("--portal-url %s: the suite attacks a portal on this machine only (localhost, 127.0.0.1, [::1])", o.portalURL)
	}
	return nil
}

// setUnless gives a flag a value unless the command line gave it one.
func setUnless(flags *flag.FlagSet, name, value string) {
	given := false
	flags.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	if !given {
		_ = flags.Set(name, value)
	}
}

// run is the whole suite: a portal to attack (started here, or the one named), the
// attacks, the report. It returns the attacks that broke a promise, and an error when
// an attack could not run.
func run(ctx context.Context, args []string) ([]string, error) {
	o, err := parseOptions(args)
	if err != nil {
		return nil, err
	}
	if o.command == "" {
		o.command = "attack " + strings.Join(args, " ")
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	started := time.Now()
	target, err := openTarget(ctx, o)
	if err != nil {
		return nil, err
	}
	defer target.close()
	results := runAttacks(ctx, o, target)
	r := report{options: o, target: target, results: results, started: started, finished: time.Now()}
	r.print(os.Stdout)
	if err := r.write(o); err != nil {
		return nil, err
	}
	return r.broken(), r.failed()
}
