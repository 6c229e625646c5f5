// Command portal is the public GraphQL backend of the EU dual-use export transparency
// portal. One binary, a few commands:
//
//	portal serve                      serve the API (the database must be migrated)
//	portal migrate                    apply the schema migrations and load the reference data
//	portal import [--replace] PATH    validate and load a release folder or .tar.gz
//	portal demo                       migrate, load the synthetic demo release, and serve
//	portal demo-data [flags] --out DIR  write a synthetic release of any size
//	portal convert-uk [flags] --in FILE --out DIR  convert the UK's published licensing data to a release
//
// Configuration comes from the environment (internal/config). Without DATABASE_URL the
// portal starts a private PostgreSQL server from the machine's binaries, holds its
// data folder (a second portal on it refuses to start), restarts the server if it
// dies, and stops it on exit.
package main

//go:generate go tool gqlgen generate

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/config"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/disclosure"
	"github.com/dualuse-transparency/portal/internal/logbuf"
	"github.com/dualuse-transparency/portal/internal/pgembed"
	"github.com/dualuse-transparency/portal/internal/release"
	"github.com/dualuse-transparency/portal/internal/ukdata"
	"github.com/dualuse-transparency/portal/internal/web"
)

//go:embed schema.graphql
var schemaSDL []byte

const usage = "usage: portal serve | migrate | import [--replace] PATH | demo | demo-data [--decisions N] [--seed N] --out DIR" +
	" | convert-uk [--help] --in values.csv --out DIR [--criteria FILE] [--release-id ID] [--from DATE] [--to DATE]"

// privateDatabase is the database the portal uses on its private server.
const privateDatabase = "portal"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Environ())
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "portal: %v\n", err)
		os.Exit(1)
	}
}

// command is what the arguments ask for.
type command struct {
	name      string
	path      string // import: the release; demo-data: the output folder
	replace   bool
	decisions int
	seed      uint64
	uk        ukdata.Options // convert-uk; its output folder is path
	help      bool           // convert-uk --help
}

// parseCommand reads the command and its flags; flags only pick what to do.
func parseCommand(args []string) (command, error) {
	if len(args) == 0 {
		return command{}, errors.New(usage)
	}
	c := command{name: args[0]}
	flags := flag.NewFlagSet(c.name, flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	flags.BoolVar(&c.replace, "replace", false, "replace a release with the same id")
	flags.IntVar(&c.decisions, "decisions", 0, "how many decisions (0: the demo's calibrated size)")
	flags.Uint64Var(&c.seed, "seed", demoSeed, "random seed")
	flags.StringVar(&c.path, "out", "", "output folder")
	flags.StringVar(&c.uk.Values, "in", "", "convert-uk: the source's values.csv")
	flags.StringVar(&c.uk.Criteria, "criteria", "", "convert-uk: the source's refusal-criteria.csv")
	flags.StringVar(&c.uk.ReleaseID, "release-id", "", "convert-uk: the release id")
	flags.StringVar(&c.uk.From, "from", "", "convert-uk: first day of the period")
	flags.StringVar(&c.uk.To, "to", "", "convert-uk: last day of the period")
	err := flags.Parse(args[1:])
	if c.name == "convert-uk" && errors.Is(err, flag.ErrHelp) {
		c.help = true
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("%s: %w; %s", c.name, err, usage)
	}
	switch {
	case c.name == "import" && flags.NArg() == 1:
		c.path = flags.Arg(0)
	case c.name == "demo-data" && flags.NArg() == 0 && c.path != "":
	case c.name == "convert-uk" && flags.NArg() == 0 && c.path != "" && c.uk.Values != "":
	case slices.Contains([]string{"serve", "migrate", "demo"}, c.name) && len(args) == 1:
	case slices.Contains([]string{"serve", "migrate", "demo", "import", "demo-data", "convert-uk"}, c.name):
		return c, fmt.Errorf("%s: wrong arguments; %s", c.name, usage)
	default:
		return c, fmt.Errorf("unknown command %q; %s", c.name, usage)
	}
	return c, nil
}

// run is the whole program: main and the end-to-end tests call it.
func run(ctx context.Context, args, environ []string) error {
	cmd, err := parseCommand(args)
	if err != nil {
		return err
	}
	cfg, err := config.Load(environ)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	// Log lines are buffered for at most logbuf.Interval (warnings and errors are not):
	// one write per request logged cost a busy server a tenth of its CPU.
	logOut := logbuf.New(os.Stderr)
	defer logOut.Close()
	logger := slog.New(logbuf.JSONHandler(logOut, &slog.HandlerOptions{Level: cfg.LogLevel}))
	if cmd.name == "demo-data" {
		return writeDemoData(cmd, logger)
	}
	if cmd.name == "convert-uk" {
		return convertUK(cmd, os.Stdout)
	}
	if cmd.name == "import" && cfg.PseudonymKey == "" {
		return errors.New("import: PORTAL_PSEUDONYM_KEY is not set: exporter ids cannot be pseudonymised without the operator's key")
	}
	url, private, err := databaseURL(ctx, cmd, cfg, logger)
	if err != nil {
		return err
	}
	stopDatabase := func() {
		if private == nil {
			return
		}
		if err := private.Stop(); err != nil {
			logger.Error("stopping the private PostgreSQL server", "error", err)
		}
	}
	defer stopDatabase()
	if cmd.name != "serve" {
		if err := write(ctx, cmd, cfg, url, logger); err != nil || cmd.name == "migrate" || cmd.name == "import" {
			return err
		}
	}
	if cmd.name == "serve" && cfg.DatabaseReadURL != "" {
		url = cfg.DatabaseReadURL
	}
	return serve(ctx, cfg, url, databaseHealth(private, logger), logger)
}

// databaseHealth is nil with DATABASE_URL, whose server is not the portal's to look
// after; with the private server it fails once the supervisor has given up.
func databaseHealth(private *pgembed.Server, logger *slog.Logger) func(context.Context) error {
	if private == nil {
		return nil
	}
	return func(context.Context) error {
		if err := private.Health(); err != nil {
			logger.Error("the private PostgreSQL server is down for good", "error", err)
			return errors.New("the private database server stopped and could not be restarted")
		}
		return nil
	}
}

// write runs the part of a command that writes: migrate, then import or load the demo.
func write(ctx context.Context, cmd command, cfg config.Config, url string, logger *slog.Logger) error {
	store, err := db.Open(ctx, url)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := migrate(ctx, store, logger); err != nil {
		return err
	}
	switch cmd.name {
	case "import":
		return importRelease(ctx, store, cmd.path, db.ImportOptions{Replace: cmd.replace, PseudonymKey: []byte(cfg.PseudonymKey)}, logger)
	case "demo":
		return loadDemo(ctx, store, logger)
	}
	return nil
}

func disclosurePolicy(cfg config.Config) disclosure.Policy {
	p := disclosure.DefaultPolicy()
	p.MaxNoise = cfg.DisclosureMaxNoise
	return p
}

// databaseURL is DATABASE_URL, or the URL of the portal's database on the private
// server, started for the purpose and returned, for the caller to stop.
func databaseURL(ctx context.Context, cmd command, cfg config.Config, logger *slog.Logger) (url string, private *pgembed.Server, err error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, nil, nil
	}
	server, err := startPrivateServer(ctx, cmd, cfg, logger)
	if err != nil {
		return "", nil, err
	}
	if err := db.EnsureDatabase(ctx, server.URL("postgres"), privateDatabase); err != nil {
		if stopErr := server.Stop(); stopErr != nil {
			logger.Error("stopping the private PostgreSQL server", "error", stopErr)
		}
		return "", nil, err
	}
	return server.URL(privateDatabase), server, nil
}

// startPrivateServer starts the private server, holding its data folder for this
// process's lifetime and restarting the server, on the same port, if it dies.
func startPrivateServer(ctx context.Context, cmd command, cfg config.Config, logger *slog.Logger) (*pgembed.Server, error) {
	dir, err := pgembed.ResolveDataDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	holder := "portal " + cmd.name
	if cmd.name == "serve" || cmd.name == "demo" {
		holder += " on " + publicBaseURL(cfg)
	}
	logger.Info("starting the private PostgreSQL server (DATABASE_URL is not set)", "dataDir", dir)
	server, err := pgembed.Start(ctx, pgembed.Options{
		DataDir:   dir,
		Exclusive: true,
		Holder:    holder,
		Supervise: true,
		Logf:      func(format string, args ...any) { logger.Info(fmt.Sprintf(format, args...)) },
	})
	if inUse := (*pgembed.InUseError)(nil); errors.As(err, &inUse) {
		return nil, fmt.Errorf("%w: stop that process first, or give this one another PORTAL_DATA_DIR or a DATABASE_URL", inUse)
	}
	return server, err
}

// importRelease validates the release at path against the reference data and loads it.
func importRelease(ctx context.Context, store *db.DB, path string, opts db.ImportOptions, logger *slog.Logger) error {
	opts.Log = logger
	dir, cleanup, err := release.Open(path)
	if err != nil {
		return fmt.Errorf("import %s: nothing was loaded: %w", path, err)
	}
	defer cleanup()
	ref, err := store.ReleaseReference(ctx)
	if err != nil {
		return err
	}
	rel, err := release.Read(dir, ref)
	if err != nil {
		return fmt.Errorf("import %s: nothing was loaded: %w", path, err)
	}
	for _, w := range rel.Warnings {
		logger.Warn("accepted with a warning", "release", rel.Meta.ID, "at", w.String())
	}
	opts.Progress = func(done, total int) { logger.Info("importing", "release", rel.Meta.ID, "rows", done, "total", total) }
	start := time.Now()
	skipped, err := store.Import(ctx, rel, opts)
	if err != nil {
		return fmt.Errorf("import %s: nothing was loaded: %w", path, err)
	}
	if skipped {
		logger.Info("release already loaded, unchanged", "release", rel.Meta.ID)
		return nil
	}
	logger.Info("imported", "release", rel.Meta.ID, "rows", len(rel.Decisions), "officialFigures", len(rel.OfficialFigures),
		"warnings", len(rel.Warnings), "seconds", time.Since(start).Seconds())
	return nil
}

// demoSeed and demoKey make the demo release the same on every machine. The key
// pseudonymises synthetic exporters only; real imports take the operator's key.
const (
	demoSeed = 2021821
	demoKey  = "synthetic-demo-data-only"
)

// loadDemo generates the synthetic demo release and imports it, unless the very same
// release is loaded already.
func loadDemo(ctx context.Context, store *db.DB, logger *slog.Logger) error {
	dir, err := os.MkdirTemp("", "portal-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if _, err := demodata.Write(dir, demodata.Options{Seed: demoSeed}); err != nil {
		return fmt.Errorf("demo release: %w", err)
	}
	return importRelease(ctx, store, dir, db.ImportOptions{Replace: true, Unchanged: db.Skip, PseudonymKey: []byte(demoKey)}, logger)
}

// writeDemoData writes a synthetic release of any size, for benchmarks and trials.
func writeDemoData(cmd command, logger *slog.Logger) error {
	summary, err := demodata.Write(cmd.path, demodata.Options{Seed: cmd.seed, Decisions: cmd.decisions})
	if err != nil {
		return fmt.Errorf("demo-data: %w", err)
	}
	logger.Info("wrote a synthetic release", "dir", cmd.path, "decisions", summary.Decisions, "rows", summary.Rows)
	return nil
}

// convertUK writes a release from the UK's published licensing data and prints what
// it kept and left out, and why.
func convertUK(cmd command, out io.Writer) error {
	if cmd.help {
		_, err := io.WriteString(out, ukdata.Help)
		return err
	}
	opts := cmd.uk
	opts.Out = cmd.path
	report, err := ukdata.Convert(opts)
	if err != nil {
		return fmt.Errorf("convert-uk: %w", err)
	}
	_, err = fmt.Fprint(out, report)
	return err
}

func migrate(ctx context.Context, store *db.DB, logger *slog.Logger) error {
	applied, err := store.Migrate(ctx)
	if err != nil {
		return err
	}
	logger.Info("database migrated", "applied", applied)
	return nil
}

func handlerOptions(cfg config.Config, logger *slog.Logger) web.Options {
	return web.Options{
		Schema:    schemaSDL,
		Logger:    logger,
		BaseURL:   publicBaseURL(cfg),
		Limits:    web.DefaultLimits(),
		Cache:     web.CacheOptions{MaxAge: cfg.CacheMaxAge, Entries: cfg.CacheEntries, MaxBytes: int64(cfg.CacheMaxBytes)},
		RateLimit: web.RateLimit{PerSecond: cfg.RateLimitPerSecond, Burst: cfg.RateLimitBurst},
	}
}

// publicBaseURL is where users reach the portal, for permalinks.
func publicBaseURL(cfg config.Config) string {
	if cfg.PublicBaseURL != "" {
		return cfg.PublicBaseURL
	}
	return fmt.Sprintf("http://localhost:%d", cfg.Port)
}

// serve answers HTTP until ctx ends, then stops taking requests and lets the ones in
// flight finish for up to SHUTDOWN_TIMEOUT; what still runs then is cancelled, and the
// shutdown is still a clean one. It reads through a read-only pool, as the read-only
// role where it may take it. health, when not nil, is the private database's.
func serve(ctx context.Context, cfg config.Config, url string, health func(context.Context) error, logger *slog.Logger) error {
	store, err := db.Open(ctx, url, db.ReadOnly(), db.WithStatementTimeout(cfg.StatementTimeout))
	if err != nil {
		return err
	}
	if err := store.SetDisclosurePolicy(disclosurePolicy(cfg)); err != nil {
		store.Close()
		return fmt.Errorf("configuration: %w", err)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && cfg.MemoryLimit > 0 {
		debug.SetMemoryLimit(int64(cfg.MemoryLimit))
	}
	opts := handlerOptions(cfg, logger)
	opts.Health = health
	// Every request's context derives from base, so cancelling base cancels them all.
	base, cancelAll := context.WithCancel(context.Background())
	defer cancelAll()
	var inFlight atomic.Int64
	handler := web.NewHandler(store, opts)
	srv := &http.Server{
		Addr: net.JoinHostPort("", strconv.Itoa(cfg.Port)),
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inFlight.Add(1)
			defer inFlight.Add(-1)
			handler.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: cfg.HTTPReadHeaderTimeout,
		ReadTimeout:       cfg.HTTPReadTimeout,
		WriteTimeout:      cfg.HTTPWriteTimeout,
		IdleTimeout:       idleTimeout(cfg.HTTPIdleTimeout),
		MaxHeaderBytes:    int(cfg.HTTPMaxHeaderBytes),
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	listener, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		store.Close()
		return err
	}
	logger.Info("serving", "url", fmt.Sprintf("http://localhost:%d/", cfg.Port))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(listener) }()
	select {
	case err := <-done:
		store.Close()
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			store.Close()
			return err
		}
		logger.Warn("cancelling the requests still running at the shutdown deadline", "requests", inFlight.Load())
		cancelAll()
		_ = srv.Close()
	}
	// A cancelled request gives its database connection back within moments; one
	// that ignores its context is left behind rather than holding up the exit.
	deadline := time.Now().Add(drainTimeout)
	for inFlight.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := inFlight.Load(); n > 0 {
		logger.Warn("exiting with requests that ignored their cancellation", "requests", n)
		return nil
	}
	store.Close()
	return nil
}

// drainTimeout is how long cancelled requests get to return after the shutdown deadline.
const drainTimeout = 5 * time.Second

// idleTimeout maps the configuration's 0 (no bound) to net/http's, which is negative:
// its 0 falls back to the read timeout.
func idleTimeout(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}
