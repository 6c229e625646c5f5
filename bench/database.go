package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/pgembed"
)

// database is the PostgreSQL database the benchmark fills and serves from.
type database struct {
	url     string       // the benchmark's own database
	version string       // the server's version, for the report
	where   string       // "DATABASE_URL" or "private server", for the report
	close   func() error // drops the database or stops the private server
}

// openDatabase makes a fresh database on the server at DATABASE_URL, dropped by close,
// or else starts a private PostgreSQL in a temporary folder, stopped and removed by
// close. fast turns fsync off on a private server: for the smoke run only, since it
// flatters the import.
func openDatabase(ctx context.Context, fast bool) (*database, error) {
	var d *database
	var err error
	if admin := os.Getenv("DATABASE_URL"); admin != "" {
		d, err = freshDatabase(ctx, admin)
	} else {
		d, err = privateDatabase(ctx, fast)
	}
	if err != nil {
		return nil, err
	}
	if d.version, err = serverVersion(ctx, d.url); err != nil {
		_ = d.close()
		return nil, err
	}
	return d, nil
}

// freshDatabase creates a database of its own on the server at adminURL.
func freshDatabase(ctx context.Context, adminURL string) (*database, error) {
	name := "portal_bench_" + randomHex()
	if err := adminExec(ctx, adminURL, "CREATE DATABASE "+name); err != nil {
		return nil, fmt.Errorf("create the benchmark database: %w", err)
	}
	drop := func() error {
		return adminExec(context.Background(), adminURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
	u, err := databaseURL(adminURL, name)
	if err != nil {
		_ = drop()
		return nil, err
	}
	return &database{url: u, where: "DATABASE_URL, database " + name, close: drop}, nil
}

// databaseURL is adminURL pointed at the database name, in either of libpq's forms.
func databaseURL(adminURL, name string) (string, error) {
	if u, err := url.Parse(adminURL); err == nil && u.Scheme != "" {
		u.Path = "/" + name
		return u.String(), nil
	}
	if _, err := pgx.ParseConfig(adminURL); err != nil {
		return "", fmt.Errorf("DATABASE_URL: %w", err)
	}
	return adminURL + " dbname=" + name, nil // keyword/value form: a later key wins
}

// privateDatabase starts a private server the way internal/testdb does: a temporary
// data folder that the postgres user can reach when this runs as root.
func privateDatabase(ctx context.Context, fast bool) (*database, error) {
	tmp, err := os.MkdirTemp("", "portal-bench-pgdata-")
	if err != nil {
		return nil, err
	}
	dir, err := pgembed.ResolveDataDir(tmp)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	server, err := pgembed.Start(ctx, pgembed.Options{DataDir: dir, Fast: fast})
	if err != nil {
		os.RemoveAll(tmp)
		os.RemoveAll(dir)
		return nil, err
	}
	stop := func() error {
		err := server.Stop()
		os.RemoveAll(tmp)
		os.RemoveAll(dir)
		return err
	}
	if err := db.EnsureDatabase(ctx, server.URL("postgres"), "portal_bench"); err != nil {
		_ = stop()
		return nil, err
	}
	where := "private server (pgembed)"
	if fast {
		where += ", fsync off"
	}
	return &database{url: server.URL("portal_bench"), where: where, close: stop}, nil
}

// adminExec runs one statement on the server's maintenance database.
func adminExec(ctx context.Context, adminURL, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// serverVersion asks the server its version, for the report.
func serverVersion(ctx context.Context, url string) (string, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", fmt.Errorf("connect to the benchmark database: %w", err)
	}
	defer conn.Close(ctx)
	var v string
	err = conn.QueryRow(ctx, "SELECT current_setting('server_version')").Scan(&v)
	return v, err
}

func randomHex() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
