// Package web is the portal's HTTP surface: NewHandler's routes, the GraphQL endpoint
// built from graph's resolvers (transports, the limits on a query's shape and cost,
// the error presenter), the CSV, JSON and Atom downloads, the response cache and
// request keys, the rate limit, metrics, request logs, security headers and the
// health checks.
//
// The files by concern:
//
//	http.go, http_headers.go        the routes, the GraphQL server, headers, compression
//	conformance.go, errors.go       GraphQL over HTTP status codes; the error presenter
//	limits*.go                      a query's shape, cost (complexity) and concurrency limits
//	cache.go, buffer.go             request keys, ETags and the shared response cache
//	ratelimit.go, metrics.go, requestlog.go  per-client rate limit, Prometheus, logs
//	download*.go, feed_list.go, http_params.go  the downloads, the Atom feed, their arguments
package web
