// Command portal is the public GraphQL backend of the EU dual-use export transparency
// portal. One binary, a few commands:
//
//	portal serve     serve the API (the database must be migrated)
//	portal migrate   apply the schema migrations and load the reference data
//	portal demo      migrate, load what there is to load, and serve
//
// Configuration comes from the environment (internal/config). Without DATABASE_URL the
// portal starts a private PostgreSQL server from the machine's binaries and stops it
// on exit.
package main

//go:generate go tool gqlgen generate

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
	"github.com/dualuse-transparency/portal/internal/config"
	"github.com/dualuse-transparency/portal/internal/pgembed"
)

//go:embed schema.graphql
var schemaSDL []byte

const usage = "usage: portal serve | migrate | demo"

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

// run is the whole program: main and the end-to-end tests call it.
func run(ctx context.Context, args, environ []string) error {
	if len(args) != 1 {
		return errors.New(usage)
	}
	cfg, err := config.Load(environ)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	switch args[0] {
	case "serve", "migrate", "demo":
	default:
		return fmt.Errorf("unknown command %q; %s", args[0], usage)
	}
	store, closeDB, err := openDatabase(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer closeDB()
	if args[0] != "serve" {
		if err := migrate(ctx, store, logger); err != nil || args[0] == "migrate" {
			return err
		}
	}
	return serve(ctx, cfg, store, logger)
}

// openDatabase connects to DATABASE_URL, or starts the private server and connects to
// its database. closeDB closes the pool and stops a private server.
func openDatabase(ctx context.Context, cfg config.Config, logger *slog.Logger) (_ *db.DB, closeDB func(), err error) {
	if cfg.DatabaseURL != "" {
		store, err := db.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, nil, err
		}
		return store, store.Close, nil
	}
	server, err := startPrivateServer(ctx, cfg, logger)
	if err != nil {
		return nil, nil, err
	}
	stopServer := func() {
		if err := server.Stop(); err != nil {
			logger.Error("stopping the private PostgreSQL server", "error", err)
		}
	}
	if err := db.EnsureDatabase(ctx, server.URL("postgres"), privateDatabase); err != nil {
		stopServer()
		return nil, nil, err
	}
	store, err := db.Open(ctx, server.URL(privateDatabase))
	if err != nil {
		stopServer()
		return nil, nil, err
	}
	return store, func() { store.Close(); stopServer() }, nil
}

func startPrivateServer(ctx context.Context, cfg config.Config, logger *slog.Logger) (*pgembed.Server, error) {
	dir, err := pgembed.ResolveDataDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	logger.Info("starting the private PostgreSQL server (DATABASE_URL is not set)", "dataDir", dir)
	return pgembed.Start(ctx, pgembed.Options{
		DataDir: dir,
		Logf:    func(format string, args ...any) { logger.Info(fmt.Sprintf(format, args...)) },
	})
}

func migrate(ctx context.Context, store *db.DB, logger *slog.Logger) error {
	applied, err := store.Migrate(ctx)
	if err != nil {
		return err
	}
	logger.Info("database migrated", "applied", applied)
	return nil
}

// serve answers HTTP until ctx ends, then lets in-flight requests finish.
func serve(ctx context.Context, cfg config.Config, store *db.DB, logger *slog.Logger) error {
	srv := &http.Server{
		Addr:              net.JoinHostPort("", strconv.Itoa(cfg.Port)),
		Handler:           graph.NewHandler(store, graph.Options{Schema: schemaSDL, Logger: logger}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	listener, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return err
	}
	logger.Info("serving", "url", fmt.Sprintf("http://localhost:%d/", cfg.Port))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(listener) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
