// Command hostile plays one hostile client, from one address, against the real
// `portal serve` process and says, for each failure listed in the issue that asked for
// it, whether the server now HOLDS or is still BROKEN, with the measurement. It is run
// by hostile/run, which builds it and the portal binary first:
//
//	hostile/run [--smoke] [--items 1,5] [--portal-rev REV]
//
// It sets up its own database and a small synthetic release, starts `portal serve`
// (one fresh process per group of items, so that one item's damage does not skew the
// next one's measurement) and reads the server's CPU time and memory from /proc. See
// docs/hostile-suite.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// options are what the command line asks for.
type options struct {
	portal    string        // the portal binary (hostile/run builds it)
	smoke     bool          // a short run for CI
	decisions int           // the size of the synthetic release
	answers   int           // item 3: distinct large answers
	conns     int           // item 4: slow or idle connections
	connWait  time.Duration // item 4: how long the server has to close them
	recover   time.Duration // item 6: how long the server has to recover its database
	heavyWait time.Duration // items 1, 2: how long the client waits for a hostile answer
	shutdown  time.Duration // SHUTDOWN_TIMEOUT given to the servers
	only      string        // the items to run, by number ("1,5"); empty: all
	out       string        // where the report goes besides stdout; empty: nowhere
	serverEnv []string      // extra KEY=VALUE settings for every `portal serve`
	command   string        // the command line, for the report
}

// envList collects repeated --server-env flags.
type envList []string

func (e *envList) String() string { return strings.Join(*e, " ") }
func (e *envList) Set(v string) error {
	if !strings.Contains(v, "=") {
		return fmt.Errorf("%q is not KEY=VALUE", v)
	}
	*e = append(*e, v)
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	broken, err := run(ctx, os.Args[1:])
	stop()
	switch {
	case err != nil:
		fmt.Fprintf(os.Stderr, "hostile: %v\n", err)
		os.Exit(2)
	case len(broken) > 0:
		fmt.Fprintf(os.Stderr, "hostile: BROKEN: %s\n", strings.Join(broken, ", "))
		os.Exit(1)
	}
}

func parseOptions(args []string) (options, error) {
	var o options
	var env envList
	flags := flag.NewFlagSet("hostile", flag.ContinueOnError)
	flags.StringVar(&o.portal, "portal", "", "the portal binary (hostile/run builds it)")
	flags.BoolVar(&o.smoke, "smoke", false, "a short run for CI")
	flags.IntVar(&o.decisions, "decisions", 0, "decisions in the synthetic release (0: the demo's calibrated size)")
	flags.IntVar(&o.answers, "answers", 150, "item 3: distinct ~2 MB answers")
	flags.IntVar(&o.conns, "conns", 400, "item 4: slow or idle connections")
	flags.DurationVar(&o.connWait, "conn-wait", 150*time.Second, "item 4: how long the server has to close them")
	flags.DurationVar(&o.recover, "recover-within", 30*time.Second, "item 6: how long the server has to recover its database")
	flags.DurationVar(&o.heavyWait, "heavy-wait", 30*time.Second, "items 1, 2: how long the client waits for a hostile answer")
	flags.DurationVar(&o.shutdown, "shutdown-timeout", 5*time.Second, "SHUTDOWN_TIMEOUT of the servers started")
	flags.StringVar(&o.only, "items", "", "the items to run, by number, such as 1,5 (default: all)")
	flags.StringVar(&o.out, "out", "", "also write the report (markdown) to this file")
	flags.Var(&env, "server-env", "KEY=VALUE for every `portal serve` started (repeatable)")
	flags.StringVar(&o.command, "command", "", "the command line to print in the report")
	if err := flags.Parse(args); err != nil {
		return o, err
	}
	o.serverEnv = env
	if o.smoke {
		setUnless(flags, "decisions", "20000")
		setUnless(flags, "answers", "20")
		setUnless(flags, "conns", "50")
		setUnless(flags, "conn-wait", "40s")
		setUnless(flags, "recover-within", "20s")
		setUnless(flags, "heavy-wait", "4s")
	}
	switch {
	case o.portal == "":
		return o, errors.New("usage: hostile --portal BINARY [--smoke] [--items 1,5] [--server-env KEY=VALUE] ...")
	case o.decisions < 0 || o.answers <= 0 || o.conns <= 0 || o.connWait <= 0 || o.recover <= 0 || o.heavyWait <= 0 || o.shutdown <= 0:
		return o, errors.New("--decisions, --answers, --conns and the durations must be positive")
	}
	return o, nil
}

func setUnless(flags *flag.FlagSet, name, value string) {
	given := false
	flags.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	if !given {
		_ = flags.Set(name, value)
	}
}

// runs reports whether the command line asks for item n.
func (o options) runs(n int) bool {
	return o.only == "" || slices.Contains(strings.Split(o.only, ","), fmt.Sprint(n))
}

func run(ctx context.Context, args []string) ([]string, error) {
	o, err := parseOptions(args)
	if err != nil {
		return nil, err
	}
	if o.command == "" {
		o.command = "hostile " + strings.Join(args, " ")
	}
	started := time.Now()
	s, err := newSuite(ctx, o)
	if err != nil {
		return nil, err
	}
	defer s.close()
	results := s.runItems(ctx)
	r := report{o: o, results: results, started: started, finished: time.Now()}
	text := r.markdown()
	fmt.Print(text)
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	var broken []string
	for _, res := range results {
		if res.err != nil {
			return nil, fmt.Errorf("%s: %w", res.name, res.err)
		}
		if res.broken() {
			broken = append(broken, res.name)
		}
	}
	return broken, nil
}

// logf prints a progress line.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "hostile: %s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
