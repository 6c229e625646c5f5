package web_test

import (
	"log/slog"
	"net/http"
	"os"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/web"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// newHandler returns the API's HTTP handler on d, logging to the test's log.
func newHandler(t *testing.T, d *db.DB) http.Handler {
	schema, err := os.ReadFile("../../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return web.NewHandler(d, web.Options{Schema: schema, Logger: logger})
}

// newClient returns a GraphQL client of the API on a fresh database.
func newClient(t *testing.T) *client.Client {
	return client.New(newHandler(t, testdb.New(t)), client.Path("/graphql"))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// gqlError is an error as the API reports it.
type gqlError struct {
	Message    string
	Path       []any
	Extensions struct{ Code string }
}
