package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/dualuse-transparency/portal/internal/logbuf"
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
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), loggerKey{}, requestLogger{logger, id})))
		logRequest(r.Context(), logger, id, r, rec, start)
	})
}

// logRequest logs the line of a request. It is logged for every request, cached
// answers included, so it is made cheaply: typed attributes (key-value pairs would box
// each value), no program counter (slog's Logger looks it up for every line, for a
// source the portal does not log), and the line written by logbuf.Log, which writes a
// plain JSON line itself instead of through slog's general handler.
func logRequest(ctx context.Context, logger *slog.Logger, id string, r *http.Request, rec *statusRecorder, start time.Time) {
	now := time.Now()
	_ = logbuf.Log(ctx, logger.Handler(), now, slog.LevelInfo, "request",
		slog.String("requestId", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", rec.status), slog.Int("bytes", rec.bytes),
		slog.Float64("ms", float64(now.Sub(start).Microseconds())/1000))
}

// loggerFrom returns the request's logger, or fallback outside a request.
func loggerFrom(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(requestLogger); ok {
		return l.base.With("requestId", l.id)
	}
	return fallback
}
