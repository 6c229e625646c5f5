package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/logbuf"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/web"
)

// heavyQuery is the benchmark's B5 (bench/queries.go): statistics by year, Member State
// and control category, all years.
const heavyQuery = `{"query":"query B5 { licenceStatistics(groupBy: [YEAR, MEMBER_STATE, CONTROL_CATEGORY], first: 1000) { rows { year memberState { code } controlCategory { code } applications { value status } issued { value status } denials { value status } valueApplied { value status } valueIssued { value status } } } }","operationName":"B5"}`

// BenchmarkCachedAnswer is what the server spends on an answer from its cache of
// answers, from the request to the last byte handed to the connection, without the
// network: every middleware, the request's key, the request log (JSON, buffered, as
// `portal serve` logs) and the counters. The connection's part, the write system call,
// is measured by bench/run's load phases instead.
//
//	go test ./internal/web -run '^$' -bench CachedAnswer -benchmem
func BenchmarkCachedAnswer(b *testing.B) {
	d := testdb.New(b)
	testdb.ImportDemo(b, d, demodata.Options{Seed: 3, Decisions: 50_000})
	schema, err := os.ReadFile("../../schema.graphql")
	if err != nil {
		b.Fatal(err)
	}
	logs := logbuf.New(io.Discard)
	defer logs.Close()
	logger := slog.New(logbuf.JSONHandler(logs, nil))
	h := web.NewHandler(d, web.Options{Schema: schema, Logger: logger})
	for _, encoding := range []string{"identity", "gzip"} {
		b.Run(encoding, func(b *testing.B) {
			body := strings.NewReader(heavyQuery)
			req, err := http.NewRequest(http.MethodPost, "/graphql", body)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/graphql-response+json")
			req.Header.Set("Accept-Encoding", encoding)
			w := &discardWriter{header: http.Header{}}
			serve := func() {
				body.Reset(heavyQuery)
				req.ContentLength = int64(len(heavyQuery))
				clear(w.header)
				w.status, w.n = 0, 0
				h.ServeHTTP(w, req)
			}
			serve()
			if w.status != http.StatusOK || w.n < 1000 {
				b.Fatalf("first answer: status %d, %d bytes", w.status, w.n)
			}
			size, hits := w.n, cacheHits(b, h)
			b.SetBytes(int64(size))
			loops := 0
			for b.Loop() {
				serve()
				loops++
			}
			if w.status != http.StatusOK || w.n != size {
				b.Fatalf("last answer: status %d, %d bytes, want 200 and %d", w.status, w.n, size)
			}
			if got := cacheHits(b, h) - hits; got != loops {
				b.Fatalf("%d answers from the cache of %d", got, loops)
			}
		})
	}
}

// discardWriter is a ResponseWriter that keeps the status and counts the bytes.
type discardWriter struct {
	header http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *discardWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(p)
	return len(p), nil
}

// cacheHits is the server's count of answers from its cache of answers (/metrics).
func cacheHits(b *testing.B, h http.Handler) int {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for line := range strings.Lines(w.Body.String()) {
		if rest, ok := strings.CutPrefix(line, `portal_response_cache_total{result="hit"} `); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil {
				b.Fatal(err)
			}
			return int(n)
		}
	}
	return 0
}
