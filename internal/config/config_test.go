package config

import (
	"log/slog"
	"testing"
	"time"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		want    Config
		wantErr bool
	}{
		{
			name:    "defaults",
			environ: nil,
			want: Config{DataDir: ".portal/pgdata", Port: 8080, LogLevel: slog.LevelInfo, DisclosureMaxNoise: 2, ShutdownTimeout: 15 * time.Second,
				StatementTimeout: 10 * time.Second, CacheMaxAge: 5 * time.Minute, CacheEntries: 2000, RateLimitPerSecond: 20, RateLimitBurst: 100,
				CacheMaxBytes: 64 << 20, MemoryLimit: 160 << 20, HTTPReadHeaderTimeout: 10 * time.Second, HTTPReadTimeout: 30 * time.Second, HTTPWriteTimeout: 2 * time.Minute,
				HTTPIdleTimeout: time.Minute, HTTPMaxHeaderBytes: 64 << 10},
		},
		{
			name:    "everything set",
			environ: []string{"DATABASE_URL=postgres://x@db/portal", "PORTAL_DATA_DIR=/srv/pg", "PORT=9000", "LOG_LEVEL=debug", "SHUTDOWN_TIMEOUT=2s", "PORTAL_PSEUDONYM_KEY=k", "DISCLOSURE_MAX_NOISE=3"},
			want: Config{DatabaseURL: "postgres://x@db/portal", DataDir: "/srv/pg", Port: 9000, LogLevel: slog.LevelDebug, ShutdownTimeout: 2 * time.Second, PseudonymKey: "k", DisclosureMaxNoise: 3,
				StatementTimeout: 10 * time.Second, CacheMaxAge: 5 * time.Minute, CacheEntries: 2000, RateLimitPerSecond: 20, RateLimitBurst: 100,
				CacheMaxBytes: 64 << 20, MemoryLimit: 160 << 20, HTTPReadHeaderTimeout: 10 * time.Second, HTTPReadTimeout: 30 * time.Second, HTTPWriteTimeout: 2 * time.Minute,
				HTTPIdleTimeout: time.Minute, HTTPMaxHeaderBytes: 64 << 10},
		},
		{
			name:    "sizes and timeouts",
			environ: []string{"CACHE_MAX_BYTES=1GiB", "HTTP_MAX_HEADER_BYTES=8192", "HTTP_IDLE_TIMEOUT=0", "HTTP_WRITE_TIMEOUT=5m"},
			want: Config{DataDir: ".portal/pgdata", Port: 8080, LogLevel: slog.LevelInfo, DisclosureMaxNoise: 2, ShutdownTimeout: 15 * time.Second,
				StatementTimeout: 10 * time.Second, CacheMaxAge: 5 * time.Minute, CacheEntries: 2000, RateLimitPerSecond: 20, RateLimitBurst: 100,
				CacheMaxBytes: 1 << 30, MemoryLimit: 160 << 20, HTTPReadHeaderTimeout: 10 * time.Second, HTTPReadTimeout: 30 * time.Second, HTTPWriteTimeout: 5 * time.Minute,
				HTTPIdleTimeout: 0, HTTPMaxHeaderBytes: 8192},
		},
		{name: "port not a number", environ: []string{"PORT=eighty"}, wantErr: true},
		{name: "size with an unknown unit", environ: []string{"CACHE_MAX_BYTES=64 furlongs"}, wantErr: true},
		{name: "negative size", environ: []string{"HTTP_MAX_HEADER_BYTES=-1"}, wantErr: true},
		{name: "unknown log level", environ: []string{"LOG_LEVEL=loud"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(tt.environ)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Load error = %v, want error %t", err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("Load = %+v, want %+v", got, tt.want)
			}
		})
	}
}
