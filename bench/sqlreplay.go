package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/web"
)

// statement is one SQL statement a request ran, with its arguments and the time of
// each timed replay.
type statement struct {
	sql   string
	args  []any
	conn  int // which of the pool's connections ran it, in order of first use
	times sample
}

// recorder is a pgx.QueryTracer that keeps the statements run while it is on, and the
// session settings of the pool's connections (jit, plan_cache_mode, ...), which the
// replay must share to run the same plans.
type recorder struct {
	mu         sync.Mutex
	on         bool
	statements []statement
	params     map[string]string
	conns      map[*pgx.Conn]int
}

// TraceQueryStart keeps the statement; the resolvers may run several at once.
func (r *recorder) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.on {
		if _, ok := r.conns[conn]; !ok {
			r.conns[conn] = len(r.conns)
		}
		r.statements = append(r.statements, statement{sql: data.SQL, args: data.Args, conn: r.conns[conn]})
		r.params = maps.Clone(conn.Config().RuntimeParams)
	}
	return ctx
}

// TraceQueryEnd is part of pgx.QueryTracer; the timing is the replay's.
func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *recorder) record() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on, r.statements, r.conns = true, nil, map[*pgx.Conn]int{}
}

// stop ends the recording and returns the statements, each connection's together in
// the order it ran them, so that a transaction replays whole on the one connection.
func (r *recorder) stop() ([]statement, map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	slices.SortStableFunc(r.statements, func(a, b statement) int { return cmp.Compare(a.conn, b.conn) })
	return r.statements, r.params
}

// inProcess is the API built in this process on a traced pool, to see the SQL a query
// runs: the same db, graph and web packages the portal binary serves with. The pool is not
// db.ReadOnly, whose connection set-up would be traced too; the statements are the same.
type inProcess struct {
	store   *db.DB
	handler http.Handler
	rec     *recorder
}

func newInProcess(ctx context.Context, url string, schema []byte) (*inProcess, error) {
	rec := &recorder{}
	store, err := db.Open(ctx, url, db.WithTracer(rec))
	if err != nil {
		return nil, err
	}
	handler := web.NewHandler(store, web.Options{Schema: schema, Logger: slog.New(slog.DiscardHandler)})
	return &inProcess{store: store, handler: handler, rec: rec}, nil
}

func (p *inProcess) close() { p.store.Close() }

// capture answers the query once to warm up, as the server is by then, and again with
// the recorder on, and returns the statements of the second answer and the session
// settings they ran with. Each is a document of its own, so that the response cache
// answers neither. With aggregate, both answers are computed with precomputation
// bypassed (db.WithoutStoredCells): the SQL a query runs without precomputed answers.
func (p *inProcess) capture(q querySpec, aggregate bool) ([]statement, map[string]string, error) {
	kind := "capture"
	if aggregate {
		kind = "aggregate"
	}
	for i := range 2 {
		if i == 1 {
			p.rec.record()
		}
		name := fmt.Sprintf("%s_%s%d", q.id, kind, i)
		w := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(requestBody(q.operation(name, "nonce_"+name), name)))
		if aggregate {
			req = req.WithContext(db.WithoutStoredCells(req.Context()))
		}
		setGraphQLHeaders(req.Header)
		p.handler.ServeHTTP(w, req)
		if err := checkAnswer(w.Code, w.Body.Bytes()); err != nil {
			p.rec.stop()
			return nil, nil, fmt.Errorf("in-process: %w", err)
		}
	}
	statements, params := p.rec.stop()
	return statements, params, nil
}

// replaySQL times runs of the statements, one after the other on one connection with
// the pool's session settings, reading every row, after one run to warm up (prepared
// statements, buffers) as the server's pool is warm. Each statement keeps its own
// times too.
func replaySQL(ctx context.Context, url string, params map[string]string, statements []statement, n int) (sample, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	maps.Copy(cfg.RuntimeParams, params)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	if err := replayOnce(ctx, conn, statements); err != nil {
		return nil, err
	}
	for i := range statements {
		statements[i].times = nil
	}
	return repeat(ctx, n, func(int) (time.Duration, error) {
		start := time.Now()
		err := replayOnce(ctx, conn, statements)
		return time.Since(start), err
	})
}

// replayOnce runs the statements once, adding each one's time to its times.
func replayOnce(ctx context.Context, conn *pgx.Conn, statements []statement) error {
	for i, s := range statements {
		start := time.Now()
		rows, err := conn.Query(ctx, s.sql, s.args...)
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		for rows.Next() {
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("replay: %w\n%s", err, s.sql)
		}
		statements[i].times = append(statements[i].times, time.Since(start))
	}
	return nil
}

// label is the statement in one short line: its SQL with the white space folded, and
// its arguments.
func (s statement) label() string {
	sql := strings.Join(strings.Fields(s.sql), " ")
	if len(sql) > 110 {
		sql = sql[:110] + " …"
	}
	parts := make([]string, len(s.args))
	for i, a := range s.args {
		parts[i] = formatArg(a)
	}
	args := "(" + strings.Join(parts, ", ") + ")"
	if len(args) > 80 {
		args = args[:80] + " …"
	}
	return fmt.Sprintf("`%s` with %s", strings.ReplaceAll(sql, "`", "'"), strings.ReplaceAll(args, "`", "'"))
}

// formatArg prints an argument as it reads in SQL terms: NULL for nil, a pointer's
// value, a date without its midnight.
func formatArg(a any) string {
	v := reflect.ValueOf(a)
	for v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "NULL"
		}
		v = v.Elem()
	}
	switch {
	case !v.IsValid():
		return "NULL"
	case v.Kind() == reflect.Slice && v.IsNil():
		return "NULL"
	}
	if t, ok := v.Interface().(time.Time); ok && t.Equal(t.Truncate(24*time.Hour)) {
		return t.Format(time.DateOnly)
	}
	return fmt.Sprint(v.Interface())
}
