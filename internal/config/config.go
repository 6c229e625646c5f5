// Package config reads the portal's configuration from the environment: one struct,
// every setting with a default, so `portal demo` runs with none set. The README lists
// them; the struct tags are the source of truth.
package config

import (
	"log/slog"
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
	// ShutdownTimeout is how long in-flight requests get to finish on SIGTERM or Ctrl-C.
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"15s"`
}

// Load reads the configuration from environ (as from os.Environ), defaults for unset keys.
func Load(environ []string) (Config, error) {
	return env.ParseAsWithOptions[Config](env.Options{Environment: env.ToMap(environ)})
}
