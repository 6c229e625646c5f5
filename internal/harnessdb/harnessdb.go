// Package harnessdb gives the programs that run the portal from outside (bench, attack,
// hostile) a PostgreSQL database of their own: a fresh database on the server at
// DATABASE_URL, or, without it, a private server started from the PostgreSQL binaries
// (internal/pgembed), as the tests do. Its helpers (Exec, DatabaseURL, UniqueName) serve
// internal/testdb too.
package harnessdb

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

// Database is a database of the caller's own.
type Database struct {
	URL   string
	Where string       // where it is, for a report
	Close func() error // drops the database, or stops and removes the private server
}

// Open makes a fresh database named name_<random hex> on the server at DATABASE_URL,
// or else starts a private PostgreSQL in a temporary folder with a database named
// name. fast turns fsync off on a private server (for what is not timed).
func Open(ctx context.Context, name string, fast bool) (*Database, error) {
	if admin := os.Getenv("DATABASE_URL"); admin != "" {
		return fresh(ctx, admin, UniqueName(name))
	}
	return private(ctx, name, fast)
}

// fresh creates the database name on the server at adminURL.
func fresh(ctx context.Context, adminURL, name string) (*Database, error) {
	if err := Exec(ctx, adminURL, "CREATE DATABASE "+name); err != nil {
		return nil, fmt.Errorf("create the database %s: %w", name, err)
	}
	drop := func() error {
		return Exec(context.Background(), adminURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
	u, err := DatabaseURL(adminURL, name)
	if err != nil {
		_ = drop()
		return nil, err
	}
	return &Database{URL: u, Where: "DATABASE_URL's server, database " + name, Close: drop}, nil
}

// DatabaseURL is adminURL pointed at the database name, in either of libpq's forms.
func DatabaseURL(adminURL, name string) (string, error) {
	if u, err := url.Parse(adminURL); err == nil && u.Scheme != "" {
		u.Path = "/" + name
		return u.String(), nil
	}
	if _, err := pgx.ParseConfig(adminURL); err != nil {
		return "", fmt.Errorf("DATABASE_URL: %w", err)
	}
	return adminURL + " dbname=" + name, nil // keyword/value form: a later key wins
}

// private starts a private server the way internal/testdb does: a temporary data folder
// that the postgres user can reach when this runs as root.
func private(ctx context.Context, name string, fast bool) (*Database, error) {
	tmp, err := os.MkdirTemp("", "portal-"+name+"-pgdata-")
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
	if err := db.EnsureDatabase(ctx, server.URL("postgres"), name); err != nil {
		_ = stop()
		return nil, err
	}
	where := "private server (pgembed)"
	if fast {
		where += ", fsync off"
	}
	return &Database{URL: server.URL(name), Where: where, Close: stop}, nil
}

// Exec runs one statement on the database at adminURL (a server's maintenance
// database, to create or drop others).
func Exec(ctx context.Context, adminURL, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// UniqueName is prefix with a random suffix: a database name no other run takes.
func UniqueName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + "_" + hex.EncodeToString(b)
}
