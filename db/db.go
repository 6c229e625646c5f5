// Package db is the portal's data layer: the connection pool, the embedded migrations
// and reference data, and one file per noun with the SQL that reads it. Everything the
// API publishes passes through here, so this is also where confidential data is kept
// out of the answers.
package db

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/disclosure"
)

// DB is the portal's handle on its PostgreSQL database.
type DB struct {
	pool       *pgxpool.Pool
	protector  *disclosure.Protector
	reference  referenceCache
	procedures procedureMemo
}

// connectTimeout bounds a connection attempt, so a request fails fast, with
// UNAVAILABLE, when the database is down instead of hanging.
const connectTimeout = 3 * time.Second

// Option adjusts the connection pool before it connects.
type Option func(*pgxpool.Config)

// WithTracer traces every query of the pool, e.g. to count the queries a request makes.
func WithTracer(t pgx.QueryTracer) Option {
	return func(c *pgxpool.Config) { c.ConnConfig.Tracer = t }
}

// WithStatementTimeout bounds every statement the pool runs, so a heavy query cannot
// hold a connection for long.
func WithStatementTimeout(d time.Duration) Option {
	return func(c *pgxpool.Config) {
		c.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(d.Milliseconds(), 10)
	}
}

// ReadOnly makes every connection of the pool read-only: its transactions are marked
// read-only, and it acts as the portal_reader role (which may only select) when its
// user may take that role. The serving process uses it.
func ReadOnly() Option {
	return func(c *pgxpool.Config) {
		c.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
		c.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
			_, err := conn.Exec(ctx, `
				DO $$ BEGIN
				    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'portal_reader') THEN
				        IF pg_has_role(session_user, 'portal_reader', 'MEMBER') THEN SET ROLE portal_reader; END IF;
				    END IF;
				END $$`)
			return err
		}
	}
}

// Open connects to the database at url and checks that it answers.
func Open(ctx context.Context, url string, opts ...Option) (_ *DB, err error) {
	defer apperr.Wrap(&err, "database")
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, oneLine(err)
	}
	cfg.ConnConfig.ConnectTimeout = connectTimeout
	// The statistics are short analytical queries: JIT compilation costs more than it
	// saves on them, and a generic plan cannot drop the filters a request leaves unset.
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	// Enough memory to aggregate a million decisions by cell and exporter in a hash
	// table, instead of sorting them on disk.
	cfg.ConnConfig.RuntimeParams["work_mem"] = "64MB"
	for _, o := range opts {
		o(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, oneLine(err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, oneLine(err)
	}
	protector, err := disclosure.New(disclosure.DefaultPolicy())
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &DB{pool: pool, protector: protector}, nil
}

// SetDisclosurePolicy replaces the disclosure control parameters (DESIGN section 5).
func (db *DB) SetDisclosurePolicy(p disclosure.Policy) error {
	protector, err := disclosure.New(p)
	if err != nil {
		return err
	}
	db.protector = protector
	return nil
}

// Disclosure returns the disclosure control in force, for users to read.
func (db *DB) Disclosure() *disclosure.Protector { return db.protector }

// Close closes every connection of the pool.
func (db *DB) Close() { db.pool.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// EnsureDatabase creates the database name on the server at adminURL unless it exists.
func EnsureDatabase(ctx context.Context, adminURL, name string) (err error) {
	defer apperr.Wrap(&err, "db.EnsureDatabase(%q)", name)
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return oneLine(err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil || exists {
		return err
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

// derefOr returns *p, or def for nil.
func derefOr[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// keyBy indexes items by a key of each.
func keyBy[T any](items []T, key func(T) string) map[string]T {
	m := make(map[string]T, len(items))
	for _, item := range items {
		m[key(item)] = item
	}
	return m
}

// oneLine keeps an error on one line, so a command can print it as its last word.
func oneLine(err error) error {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	return fmt.Errorf("%s", msg)
}

// PoolStats describes the connection pool, for metrics.
func (db *DB) PoolStats() *pgxpool.Stat { return db.pool.Stat() }
