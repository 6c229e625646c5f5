package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dualuse-transparency/portal/db"
)

// metrics are the server's Prometheus metrics, on a registry of its own so that two
// handlers in one process (as in tests) do not collide.
type metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	errors      *prometheus.CounterVec
	cache       *prometheus.CounterVec
	rateLimited prometheus.Counter
}

func newMetrics(d *db.DB) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "portal_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "portal_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"route"}),
		errors:      prometheus.NewCounterVec(prometheus.CounterOpts{Name: "portal_graphql_errors_total", Help: "GraphQL errors by code."}, []string{"code"}),
		cache:       prometheus.NewCounterVec(prometheus.CounterOpts{Name: "portal_response_cache_total", Help: "Response cache lookups: hit, miss, not_modified (304)."}, []string{"result"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{Name: "portal_rate_limited_total", Help: "Requests refused with 429."}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.errors, m.cache, m.rateLimited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), poolCollector(d))
	return m
}

// poolCollector reports the database pool's connections.
func poolCollector(d *db.DB) prometheus.Collector {
	return prometheus.CollectorFunc(func(ch chan<- prometheus.Metric) {
		s := d.PoolStats()
		for name, v := range map[string]int32{"total": s.TotalConns(), "idle": s.IdleConns(), "acquired": s.AcquiredConns(), "max": s.MaxConns()} {
			ch <- prometheus.MustNewConstMetric(poolDesc, prometheus.GaugeValue, float64(v), name)
		}
	})
}

var poolDesc = prometheus.NewDesc("portal_db_pool_connections", "Database pool connections by state.", []string{"state"}, nil)

// watchCache reports the response cache's size in bytes and entries.
func (m *metrics) watchCache(c *responseCache) {
	m.registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "portal_response_cache_bytes", Help: "Bytes of answers the response cache holds."},
			func() float64 { b, _ := c.usage(); return float64(b) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "portal_response_cache_entries", Help: "Answers the response cache holds."},
			func() float64 { _, n := c.usage(); return float64(n) }),
	)
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// instrument counts and times every request by its route pattern.
func (m *metrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(status int) {
	s.status = status
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	n, err := s.ResponseWriter.Write(p)
	s.bytes += n
	return n, err
}
