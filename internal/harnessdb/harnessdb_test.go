package harnessdb

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestDatabaseURL(t *testing.T) {
	for _, tc := range []struct{ admin, want string }{
		{"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "postgres://postgres@127.0.0.1:5432/portal_x?sslmode=disable"},
		{"postgresql://u:p@db/", "postgresql://u:p@db/portal_x"},
		{"host=127.0.0.1 user=postgres dbname=postgres", "host=127.0.0.1 user=postgres dbname=postgres dbname=portal_x"},
	} {
		got, err := DatabaseURL(tc.admin, "portal_x")
		if err != nil || got != tc.want {
			t.Errorf("DatabaseURL(%q) = %q, %v; want %q", tc.admin, got, err, tc.want)
		}
	}
	if _, err := DatabaseURL("host=x port=notaport", "portal_x"); err == nil {
		t.Error("a DATABASE_URL that does not parse was taken")
	}
}

// Open gives a database the caller can use, on DATABASE_URL's server when it is set
// (then a fresh one, dropped by Close), else on a private server (stopped by Close).
func TestOpen(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, "portal_harnessdb_test", true)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, d.URL)
	if err != nil {
		_ = d.Close()
		t.Fatal(err)
	}
	var name string
	err = conn.QueryRow(ctx, "SELECT current_database()").Scan(&name)
	conn.Close(ctx)
	if err != nil || !strings.HasPrefix(name, "portal_harnessdb_test") {
		t.Errorf("current_database() = %q, %v", name, err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	admin := os.Getenv("DATABASE_URL")
	if admin == "" {
		if _, err := pgx.Connect(ctx, d.URL); err == nil {
			t.Errorf("the private server still answers after Close (%s)", d.Where)
		}
		return
	}
	conn, err = pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var left bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&left); err != nil || left {
		t.Errorf("the database %s is still there after Close: %t, %v", name, left, err)
	}
}
