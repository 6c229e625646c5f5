// Package config reads the portal's configuration from the environment: one struct,
// every setting with a default, so `portal demo` runs with none set. The README lists
// them; the struct tags are the source of truth.
package config

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is every setting of the portal.
type Config struct {
	// DatabaseURL is the PostgreSQL database to use. Empty: a private PostgreSQL server
	// is started from the machine's server binaries, with its data in DataDir.
	DatabaseURL string `env:"DATABASE_URL"`
	// DatabaseReadURL, when set, is where `serve` reads from: a streaming replica of
	// DatabaseURL, say. Imports and migrations always go to DatabaseURL.
	DatabaseReadURL string `env:"DATABASE_READ_URL"`
	// StatementTimeout bounds every SQL statement of a request.
	StatementTimeout time.Duration `env:"STATEMENT_TIMEOUT" envDefault:"10s"`
	// DataDir holds the private server's data, relative to the working directory.
	DataDir string `env:"PORTAL_DATA_DIR" envDefault:".portal/pgdata"`
	// Port is the HTTP port to listen on.
	Port int `env:"PORT" envDefault:"8080"`
	// PublicBaseURL is the address users reach the portal at, for permalinks and
	// citations. Empty: http://localhost:PORT.
	PublicBaseURL string `env:"PUBLIC_BASE_URL"`
	// LogLevel is the least severe level logged: debug, info, warn or error.
	LogLevel slog.Level `env:"LOG_LEVEL" envDefault:"info"`
	// PseudonymKey keys the HMAC that replaces exporter ids at import. Required by
	// `import`; keep it secret and keep it the same across releases, so an exporter's
	// pseudonym is stable. `demo` uses a fixed key of its own for its synthetic data.
	PseudonymKey string `env:"PORTAL_PSEUDONYM_KEY"`
	// DisclosureMaxNoise is D, the largest noise added to a published count.
	DisclosureMaxNoise int `env:"DISCLOSURE_MAX_NOISE" envDefault:"2"`
	// CacheMaxAge is the Cache-Control max-age of GET answers.
	CacheMaxAge time.Duration `env:"CACHE_MAX_AGE" envDefault:"5m"`
	// CacheEntries is how many answers the in-process response cache keeps.
	CacheEntries int `env:"CACHE_ENTRIES" envDefault:"2000"`
	// RateLimitPerSecond and RateLimitBurst are each client address's request rate;
	// 0 turns the limit off (behind a CDN or load balancer that limits instead).
	RateLimitPerSecond float64 `env:"RATE_LIMIT_PER_SECOND" envDefault:"20"`
	RateLimitBurst     int     `env:"RATE_LIMIT_BURST" envDefault:"100"`
	// CacheMaxBytes bounds the in-process response cache by the size of the answers it
	// keeps; an answer larger than a share of it is not cached.
	CacheMaxBytes Bytes `env:"CACHE_MAX_BYTES" envDefault:"64MiB"`
	// MemoryLimit is the serving process's soft memory limit (the Go runtime's, as
	// GOMEMLIMIT sets it): the garbage collector works harder as the heap nears it, so
	// the answers built and cached under load do not grow the process past it. 0 turns
	// it off; GOMEMLIMIT, when set, wins.
	MemoryLimit Bytes `env:"PORTAL_MEMORY_LIMIT" envDefault:"160MiB"`
	// ShutdownTimeout is how long in-flight requests get to finish on SIGTERM or Ctrl-C;
	// what still runs after it is cancelled.
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"15s"`

	// The HTTP server's bounds on a connection, so that slow or idle clients cannot
	// hold connections open. HTTPReadHeaderTimeout bounds the wait for a request's
	// headers, a new connection's first one included; HTTPReadTimeout the whole
	// request, body included; HTTPWriteTimeout the time from the end of the headers
	// to the end of the answer, so it must exceed STATEMENT_TIMEOUT and leave a slow
	// client time to read the largest download; HTTPIdleTimeout a kept-alive
	// connection's wait for its next request. 0 means no bound.
	HTTPReadHeaderTimeout time.Duration `env:"HTTP_READ_HEADER_TIMEOUT" envDefault:"10s"`
	HTTPReadTimeout       time.Duration `env:"HTTP_READ_TIMEOUT" envDefault:"30s"`
	HTTPWriteTimeout      time.Duration `env:"HTTP_WRITE_TIMEOUT" envDefault:"2m"`
	HTTPIdleTimeout       time.Duration `env:"HTTP_IDLE_TIMEOUT" envDefault:"60s"`
	// HTTPMaxHeaderBytes bounds the request line and headers; a longer query goes by POST.
	HTTPMaxHeaderBytes Bytes `env:"HTTP_MAX_HEADER_BYTES" envDefault:"64KiB"`
}

// Load reads the configuration from environ (as from os.Environ), defaults for unset keys.
func Load(environ []string) (Config, error) {
	return env.ParseAsWithOptions[Config](env.Options{Environment: env.ToMap(environ)})
}

// Bytes is a size in bytes, written as a number with an optional unit: 65536, 64KiB,
// 64MiB, 1GiB (and kB, MB, GB in powers of ten).
type Bytes int64

var units = []struct {
	suffix string
	factor int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1},
}

// UnmarshalText reads a size.
func (b *Bytes) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	factor := int64(1)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, factor = strings.TrimSpace(rest), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/factor {
		return fmt.Errorf("%q is not a size: write a whole number of bytes, or of KiB, MiB or GiB", text)
	}
	*b = Bytes(n * factor)
	return nil
}
