package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
	"github.com/dualuse-transparency/portal/graph/generated"
	"github.com/dualuse-transparency/portal/internal/explore"
	"github.com/dualuse-transparency/portal/internal/graphiql"
)

// Options configure the HTTP handler.
type Options struct {
	Schema    []byte       // the SDL served at /schema.graphql
	Logger    *slog.Logger // where requests and errors are logged
	BaseURL   string       // where users reach the portal, for permalinks and citations
	Limits    Limits
	Cache     CacheOptions
	RateLimit RateLimit
	// Health, when set, fails while the process cannot serve for good (the private
	// database could not be restarted): /healthz and /readyz then answer 503.
	Health func(context.Context) error
}

// withDefaults fills the settings left at zero; a zero rate limit means none.
func (o Options) withDefaults() Options {
	o.Limits = o.Limits.orDefaults()
	o.Cache = o.Cache.withDefaults()
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// NewHandler returns the portal's HTTP routes, readable by any origin (CORS).
//
//	/                GraphiQL, to try queries in a browser
//	/explore         maps, time series and tables of the figures, built on the GET API
//	/graphql         the GraphQL endpoint (GET and POST)
//	/schema.graphql  the schema, the API's documentation
//	/download/licence-statistics.csv      a statistics table as CSV, same arguments as the query
//	/download/denials-by-destination.csv  the denials table as CSV, likewise
//	/download/surveillance-list.csv, .json  the EU-wide list on a date
//	/download/annual-report/{year}.json, .csv  the annual report, pinned by ?release=;
//	                               {year}-list-changes.csv, {year}-notifications.csv its list
//	                               changes and catch-all notifications
//	/download/datapackage.json     a Frictionless Data Package descriptor of the CSV downloads
//	/feeds/surveillance-list.atom  the list's listings, amendments and removals (Atom)
//	/feeds/releases.atom           every release, its citation and what it revised (Atom)
//	/feeds/notifications.atom      catch-all notifications and how each procedure ended (Atom)
//	/feeds/licence-statistics.atom, /feeds/denials-by-destination.atom  a saved query: the
//	                               download's parameters, an entry per release that changed its figures
//	/releases/{id}   a release's metadata and citation: its permalink
//	/healthz         the process is up
//	/readyz          the database answers and a release is loaded
//	/metrics         Prometheus metrics
//
// The data routes share one chain: a request key (ETag, 304, body limit), the rate
// limit, the response cache. Every answer carries the security headers and is
// compressed when the client accepts it (see securityHeaders and compressed).
func NewHandler(d *db.DB, opts Options) http.Handler {
	opts = opts.withDefaults()
	m := newMetrics(d)
	citations := graph.Citations{BaseURL: opts.BaseURL}
	api := graph.WithLoaders(d, newGraphQLServer(d, citations, opts.Limits, m, opts.Logger))
	version := &dataVersion{db: d}
	cache := newResponseCache(opts.Cache, m)
	m.watchCache(cache)
	data := func(h http.Handler) http.Handler {
		return cache.keyed(version, opts.Limits, rateLimited(opts.RateLimit, m, cache.serve(h)))
	}
	mux := http.NewServeMux()
	ui := graphiql.Handler("/graphql") // embedded, built from npm at generate time: no third-party request
	mux.Handle("GET /{$}", ui)
	mux.Handle("GET "+graphiql.AssetsPath, ui)
	ex := explore.Handler("/graphql") // the explore page: maps and tables built on the public GET API
	mux.Handle("GET "+explore.PagePath, ex)
	mux.Handle("GET "+explore.AssetsPath, ex)
	mux.Handle("/graphql", varyAccept(data(api)))
	mux.HandleFunc("GET /schema.graphql", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(opts.Schema)
	})
	mux.Handle("GET /download/licence-statistics.csv", negotiated(data(licenceStatisticsCSV(d, opts.Logger))))
	mux.Handle("GET /download/denials-by-destination.csv", negotiated(data(denialsCSV(d, opts.Logger))))
	mux.Handle("GET /download/surveillance-list.csv", negotiated(data(surveillanceListDownload(d, opts.Logger, "csv"))))
	mux.Handle("GET /download/surveillance-list.json", data(surveillanceListDownload(d, opts.Logger, "json")))
	mux.Handle("GET /download/annual-report/{file}", negotiated(data(reportDownload(d, api, opts.Logger))))
	mux.Handle("GET /download/datapackage.json", negotiated(data(datapackage(d, opts.Logger))))
	mux.Handle("GET /feeds/surveillance-list.atom", data(surveillanceListFeed(d, citations, opts.Logger)))
	mux.Handle("GET /feeds/releases.atom", data(releasesFeed(d, citations, opts.Logger)))
	mux.Handle("GET /feeds/notifications.atom", data(notificationsFeed(d, citations, opts.Logger)))
	mux.Handle("GET /feeds/licence-statistics.atom", data(queryFeed(d, statisticsQuery, citations, opts.Logger)))
	mux.Handle("GET /feeds/denials-by-destination.atom", data(queryFeed(d, denialsQuery, citations, opts.Logger)))
	mux.Handle("GET /releases/{id}", data(releaseDocument(d, citations, opts.Logger)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if opts.Health != nil {
			if err := opts.Health(r.Context()); err != nil {
				http.Error(w, "unhealthy: "+err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /readyz", healthy(opts.Health, readiness(d, opts.Logger)))
	mux.Handle("GET /metrics", m.handler())
	return securityHeaders(cors.New(cors.Options{
		AllowedOrigins: []string{"*"},
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Accept", "If-None-Match", "X-Request-Id"},
		ExposedHeaders: []string{"ETag", "X-Request-Id", "X-Release", "Retry-After"},
		MaxAge:         int((24 * time.Hour).Seconds()),
	}).Handler(withRequestLog(opts.Logger, m.instrument(compressed(mux)))))
}

// healthy answers 503 while health fails, and passes the request on otherwise.
func healthy(health func(context.Context) error, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if health != nil {
			if err := health(r.Context()); err != nil {
				http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// readiness answers 200 when the database answers and holds a release, 503 otherwise,
// so a load balancer sends traffic only to a process that can answer it.
func readiness(d *db.DB, logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := d.Ping(r.Context()); err != nil {
			loggerFrom(r.Context(), logger).WarnContext(r.Context(), "not ready", "error", err)
			http.Error(w, "not ready: the database is unavailable", http.StatusServiceUnavailable)
			return
		}
		if _, err := d.Release(r.Context(), nil); err != nil {
			http.Error(w, "not ready: no release is loaded", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	}
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
func newGraphQLServer(d *db.DB, citations graph.Citations, limits Limits, m *metrics, logger *slog.Logger) http.Handler {
	srv := handler.New(generated.NewExecutableSchema(generated.Config{
		Resolvers:  &graph.Resolver{DB: d, Citations: citations},
		Complexity: complexity(),
	}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(limits.MaxTokens)
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(requireQuery{}) // after the persisted query is looked up
	srv.Use(shapeLimit{limits: limits})
	srv.Use(extension.FixedComplexityLimit(limits.MaxComplexity))
	srv.AroundResponses(reportCost)
	srv.SetErrorPresenter(errorPresenter(logger, m))
	srv.SetRecoverFunc(recoverFunc(logger))
	return conformance(srv)
}
