package web

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// The one place where errors become what a client sees. A resolver's error gets the code
// and message of its apperr kind; anything else (a database error, a bug) becomes
// "internal error" for the client and is logged in full for the operator. Parse and
// validation errors from gqlgen concern the client's own query and pass unchanged.
func errorPresenter(logger *slog.Logger, m *metrics) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Err == nil {
			gqlErr.Message = cutEchoes(gqlErr.Message)
			code, _ := gqlErr.Extensions["code"].(string)
			m.errors.WithLabelValues(cmp.Or(code, "GRAPHQL_ERROR")).Inc()
			return gqlErr
		}
		code, msg := publicError(err)
		m.errors.WithLabelValues(string(code)).Inc()
		if code == apperr.Internal || code == apperr.Unavailable {
			loggerFrom(ctx, logger).ErrorContext(ctx, "request failed", "code", code, "path", gqlErr.Path.String(), "error", err)
		}
		gqlErr.Message = msg
		gqlErr.Err = nil
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		gqlErr.Extensions["code"] = string(code)
		return gqlErr
	}
}

// publicError is the code and message a client may see for err, the input it repeats
// cut short (cutEchoes).
func publicError(err error) (apperr.Code, string) {
	code, msg := apperr.Public(err)
	msg = cutEchoes(msg)
	switch {
	case code != apperr.Internal:
	case unavailable(err):
		return apperr.Unavailable, "the database is unavailable; try again shortly"
	case timedOut(err):
		return apperr.Limit, "the query ran over the time limit: narrow it with a filter, or ask for fewer dimensions"
	}
	return code, msg
}

// timedOut tells whether PostgreSQL cancelled a statement that ran over the
// statement timeout (SQLSTATE 57014).
func timedOut(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "57014"
}

// recoverFunc turns a panic in a resolver into an internal error, logged with its value.
func recoverFunc(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in resolver", "panic", p)
		return errors.New("panic in resolver")
	}
}

// unavailable tells whether err means the database could not be reached, as opposed to
// a query that failed: the client may then simply try again.
func unavailable(err error) bool {
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr), pgconn.Timeout(err):
		return true
	case errors.As(err, &pgErr):
		// Class 08: connection exception; 57P01-57P03: the server is shutting down or starting.
		return pgErr.Code[:2] == "08" || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	return false
}

// An error may repeat what the client sent (a value, a cursor, a variable), and the
// client may have sent megabytes. The message keeps maxEcho characters of each quoted
// value and maxMessage of the whole, each cut marked with an ellipsis.
const (
	maxEcho    = 100
	maxMessage = 1000
)

// cutEchoes shortens each quoted run ("..." with its escapes) over maxEcho characters,
// then the message itself over maxMessage.
func cutEchoes(msg string) string {
	if len(msg) <= maxEcho {
		return msg
	}
	var b strings.Builder
	for {
		start := strings.IndexByte(msg, '"')
		if start < 0 {
			b.WriteString(msg)
			break
		}
		end := closingQuote(msg, start+1)
		b.WriteString(msg[:start+1])
		inner := msg[start+1 : end]
		if r := []rune(inner); len(r) > maxEcho {
			inner = string(r[:maxEcho]) + "…"
		}
		b.WriteString(inner)
		if end == len(msg) {
			break
		}
		b.WriteByte('"')
		msg = msg[end+1:]
	}
	out := b.String()
	if r := []rune(out); len(r) > maxMessage {
		out = string(r[:maxMessage]) + "…"
	}
	return out
}

// closingQuote is the index of the quote that closes a run opened before from, or the
// message's length when none does.
func closingQuote(msg string, from int) int {
	for i := from; i < len(msg); i++ {
		switch msg[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(msg)
}
