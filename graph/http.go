package graph

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph/generated"
)

// Options configure the HTTP handler.
type Options struct {
	BaseURL string       // where users reach the portal, for permalinks and citations
	Schema  []byte       // the SDL served at /schema.graphql
	Logger  *slog.Logger // where errors are logged in full
}

// NewHandler returns the portal's HTTP routes, readable by any origin (CORS).
//
//	/                GraphiQL, to try queries in a browser
//	/graphql         the GraphQL endpoint (GET and POST)
//	/schema.graphql  the schema, the API's documentation
//	/download/licence-statistics.csv      a statistics table as CSV, same arguments as the query
//	/download/denials-by-destination.csv  the denials table as CSV, likewise
//	/download/surveillance-list.csv, .json  the EU-wide list on a date
//	/download/annual-report/{year}.json, .csv  the annual report, pinned by ?release=
//	/releases/{id}   a release's metadata and citation: its permalink
//	/healthz         the process is up
//	/readyz          the database answers
func NewHandler(d *db.DB, opts Options) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", playground.Handler("Dual-use export transparency portal", "/graphql"))
	citations := Citations{BaseURL: opts.BaseURL}
	api := withLoaders(d, newGraphQLServer(d, citations, opts.Logger))
	mux.Handle("/graphql", api)
	mux.HandleFunc("GET /schema.graphql", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(opts.Schema)
	})
	mux.Handle("GET /download/licence-statistics.csv", withETag(licenceStatisticsCSV(d, opts.Logger)))
	mux.Handle("GET /download/denials-by-destination.csv", withETag(denialsCSV(d, opts.Logger)))
	mux.Handle("GET /download/surveillance-list.csv", withETag(surveillanceListDownload(d, opts.Logger, "csv")))
	mux.Handle("GET /download/surveillance-list.json", withETag(surveillanceListDownload(d, opts.Logger, "json")))
	mux.Handle("GET /download/annual-report/{file}", withETag(reportDownload(api, opts.Logger)))
	mux.Handle("GET /releases/{id}", withETag(releaseDocument(d, citations, opts.Logger)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := d.Ping(r.Context()); err != nil {
			opts.Logger.WarnContext(r.Context(), "not ready", "error", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	return cors.New(cors.Options{
		AllowedOrigins: []string{"*"},
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Accept"},
		MaxAge:         int((24 * time.Hour).Seconds()),
	}).Handler(mux)
}

// newGraphQLServer builds the GraphQL endpoint: GET and POST per GraphQL over HTTP
// (gqlgen's transports, corrected by conformance), parsed queries cached, automatic
// persisted queries, introspection on (the schema is public documentation), and the
// portal's error presenter.
//
// The transports answer application/graphql-response+json to a client that asks for
// it, and application/json to one that asks for nothing in particular (no Accept,
// */*): the specification's advice until clients have moved over, so that they keep
// reading errors from a 200.
func newGraphQLServer(d *db.DB, citations Citations, logger *slog.Logger) http.Handler {
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{DB: d, Citations: citations}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(requireQuery{}) // after the persisted query is looked up
	srv.SetErrorPresenter(errorPresenter(logger))
	srv.SetRecoverFunc(recoverFunc(logger))
	return conformance(srv)
}
