package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func gzipped(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.Bytes()
}

// The load phase keeps no body, so its check has to catch a bad answer while reading:
// an answer identical to the first passes unparsed, a different but good one passes
// once checked in full, and a cut, corrupted or failed answer is an error.
func TestCheckedBody(t *testing.T) {
	good := `{"data":{"report":{"year":2024,"rows":[1,2,3]}}}`
	other := `{"data":{"report":{"year":2024,"rows":[1,2,3,4]}}}`
	cases := []struct {
		name     string
		encoding string // Content-Encoding of the expected answer and of the reply
		status   int
		reply    []byte
		chunked  bool // sent without Content-Length
		ok       bool
		inFull   bool
	}{
		{"identical", "", 200, []byte(good), false, true, false},
		{"identical, chunked", "", 200, []byte(good), true, true, false},
		{"identical, gzip", "gzip", 200, gzipped(good), false, true, false},
		{"different but good", "", 200, []byte(other), false, true, true},
		{"different but good, gzip", "gzip", 200, gzipped(other), false, true, true},
		{"cut short", "", 200, []byte(good[:20]), false, false, true},
		{"longer", "", 200, []byte(good + " x"), false, false, true},
		{"one byte changed", "", 200, []byte(strings.Replace(good, "2024", "2O24", 1)), false, false, true},
		{"gzip corrupted", "gzip", 200, append(gzipped(good)[:15], 0xff, 0xff), false, false, true},
		{"errors", "", 200, []byte(`{"errors":[{"message":"no"}],"data":null}`), false, false, true},
		{"a 500 with the same body", "", 500, []byte(good), false, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := expectedAnswer{wire: []byte(good), encoding: c.encoding, decoded: []byte(good)}
			if c.encoding == "gzip" {
				want.wire = gzipped(good)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.encoding != "" {
					w.Header().Set("Content-Encoding", c.encoding)
				}
				w.WriteHeader(c.status)
				if c.chunked {
					_, _ = w.Write(c.reply[:5])
					w.(http.Flusher).Flush()
					c.reply = c.reply[5:]
				}
				_, _ = w.Write(c.reply)
			}))
			defer srv.Close()
			conn, err := dialLoad(t.Context(), srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.close()
			_, _ = conn.conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
			resp, err := http.ReadResponse(conn.r, nil) // as the load phase reads: nothing decompressed unseen
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body := newCheckedBody(resp, want)
			buf := make([]byte, 7) // several reads per answer
			for err == nil {
				_, err = body.Read(buf)
			}
			if ok := err.Error() == "EOF"; ok != c.ok || body.inFull != c.inFull {
				t.Errorf("error %v, checked in full %v; want ok %v, in full %v", err, body.inFull, c.ok, c.inFull)
			}
		})
	}
}

// The load phase's wrk run: figures for good answers, a failure when any answer is not
// a success.
func TestRunWrk(t *testing.T) {
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk is not installed (.ci/run installs it)")
	}
	var n atomic.Int64
	var sawBody, sawHeader atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		sawBody.Store(string(b) == `{"query":"{ x }"}`)
		sawHeader.Store(r.Header.Get("Accept-Encoding") == "identity" && r.Method == "POST")
		if r.URL.Query().Get("fail") != "" && n.Add(1)%5 == 0 {
			w.WriteHeader(500)
		}
		_, _ = w.Write([]byte(`{"data":{"x":1}}`))
	}))
	defer srv.Close()
	o := options{workers: 2, duration: time.Second}
	header := http.Header{"Accept-Encoding": {"identity"}}
	f, err := runWrk(t.Context(), o, srv.URL, []byte(`{"query":"{ x }"}`), header)
	if err != nil || f.failed() != nil || f.Requests < 100 || f.rate() <= 0 || f.median() <= 0 || f.p99() < f.median() {
		t.Errorf("figures %+v, error %v, failed %v; want many answers, no failure", f, err, f.failed())
	}
	if !sawBody.Load() || !sawHeader.Load() {
		t.Error("wrk did not send the body and headers given")
	}
	f, err = runWrk(t.Context(), o, srv.URL+"/?fail=1", []byte(`{}`), header)
	if err != nil || f.failed() == nil || f.Status == 0 {
		t.Errorf("figures %+v, error %v; want answers that were not 2xx counted, and a failure", f, err)
	}
}

func TestParseTally(t *testing.T) {
	metrics := `# HELP portal_http_requests_total HTTP requests by route and status.
portal_http_requests_total{route="/graphql",status="200"} 158866
portal_http_requests_total{route="/graphql",status="503"} 3
portal_http_requests_total{route="GET /readyz",status="200"} 1
portal_response_cache_total{result="hit"} 158864
portal_response_cache_total{result="miss"} 2
`
	got, err := parseTally(strings.NewReader(metrics))
	if want := (serverTally{ok: 158866, other: 3, hits: 158864}); err != nil || got != want {
		t.Errorf("%+v, %v; want %+v", got, err, want)
	}
	if _, err := parseTally(strings.NewReader("go_goroutines 5\n")); err == nil {
		t.Error("counters without the cache's: no error")
	}
}

// A load phase's figures are those of its run of median rate; of an even number of
// runs, the slower of the two in the middle.
func TestMedianRun(t *testing.T) {
	run := func(requests uint64) wrkFigures { return wrkFigures{Requests: requests, DurationUS: 1e6} }
	for _, c := range []struct {
		runs []wrkFigures
		want uint64
	}{
		{[]wrkFigures{run(7)}, 7},
		{[]wrkFigures{run(9), run(3), run(5)}, 5},
		{[]wrkFigures{run(5), run(9), run(3)}, 5},
		{[]wrkFigures{run(8), run(2), run(6), run(4)}, 4},
	} {
		if got := medianRun(c.runs); got.Requests != c.want {
			t.Errorf("medianRun(%v) has %d requests, want %d", c.runs, got.Requests, c.want)
		}
		if got := rates(c.runs); len(got) != len(c.runs) || got[0] != float64(c.runs[0].Requests) {
			t.Errorf("rates(%v) = %v, want each run's rate in order", c.runs, got)
		}
	}
}
