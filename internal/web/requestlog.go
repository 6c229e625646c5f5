package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"
)

type loggerKey struct{}

// requestLogger is what a request's context carries: the server's logger and the
// request's id. The logger with the id is made only when a line about the request is
// logged (slog's With formats its attributes at once, which cost every cached answer an
// allocation of the whole handler).
type requestLogger struct {
	base *slog.Logger
	id   string
}

// withRequestLog gives each request an id (the client's X-Request-Id, or a new one),
// returns it in the response, logs the request in one JSON line, and puts the id in the
// context (loggerFrom), so every line about the request can be found together.
func withRequestLog(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), loggerKey{}, requestLogger{logger, id})))
		logger.Info("request", "requestId", id, "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "ms", float64(time.Since(start).Microseconds())/1000)
	})
}

// loggerFrom returns the request's logger, or fallback outside a request.
func loggerFrom(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(requestLogger); ok {
		return l.base.With("requestId", l.id)
	}
	return fallback
}
