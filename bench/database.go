package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/harnessdb"
)

// database is the PostgreSQL database the benchmark fills and serves from.
type database struct {
	*harnessdb.Database
	version string // the server's version, for the report
}

// openDatabase makes a fresh database on the server at DATABASE_URL, dropped by Close,
// or else starts a private PostgreSQL in a temporary folder, stopped and removed by
// Close (harnessdb). fast turns fsync off on a private server: for the smoke run only,
// since it flatters the import.
func openDatabase(ctx context.Context, fast bool) (*database, error) {
	h, err := harnessdb.Open(ctx, "portal_bench", fast)
	if err != nil {
		return nil, err
	}
	d := &database{Database: h}
	if d.version, err = serverVersion(ctx, d.URL); err != nil {
		_ = d.Close()
		return nil, err
	}
	return d, nil
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

// dbSize is the size of the benchmark's database after the import, in bytes.
type dbSize struct {
	total     int64          // pg_database_size
	relations []relationSize // the portal's tables, the largest first
}

// relationSize is one of the portal's tables: a partitioned table's partitions counted
// under its name (decisions is one partition per release).
type relationSize struct {
	name    string
	table   int64 // heap, free space map, visibility map and TOAST (pg_table_size)
	indexes int64 // pg_indexes_size
}

func (r relationSize) total() int64 { return r.table + r.indexes }

// relation returns the named table's size, and whether the database has it.
func (d dbSize) relation(name string) (relationSize, bool) {
	for _, r := range d.relations {
		if r.name == name {
			return r, true
		}
	}
	return relationSize{name: name}, false
}

// measureDatabaseSize reads the database's size and its tables', whatever tables the
// release has (release_cells and the like when the import precomputes answers).
func measureDatabaseSize(ctx context.Context, url string) (dbSize, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return dbSize{}, err
	}
	defer conn.Close(ctx)
	var d dbSize
	if err := conn.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&d.total); err != nil {
		return d, fmt.Errorf("database size: %w", err)
	}
	rows, err := conn.Query(ctx, `
		WITH rels AS (
		    SELECT coalesce(parent.relname, c.relname) AS name, c.oid
		    FROM pg_class c
		    JOIN pg_namespace n ON n.oid = c.relnamespace
		    LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
		    LEFT JOIN pg_class parent ON parent.oid = i.inhparent
		    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')
		)
		SELECT name, sum(pg_table_size(oid))::bigint, sum(pg_indexes_size(oid))::bigint
		FROM rels
		GROUP BY name
		ORDER BY sum(pg_total_relation_size(oid)) DESC, name`)
	if err != nil {
		return d, fmt.Errorf("table sizes: %w", err)
	}
	d.relations, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (relationSize, error) {
		var r relationSize
		err := row.Scan(&r.name, &r.table, &r.indexes)
		return r, err
	})
	if err != nil {
		return d, fmt.Errorf("table sizes: %w", err)
	}
	return d, nil
}
