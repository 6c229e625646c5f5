package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// wrkFigures is what the load phase's script prints when wrk is done (wrkScript).
type wrkFigures struct {
	Requests   uint64  `json:"requests"`
	DurationUS float64 `json:"duration_us"`
	Connect    uint64  `json:"connect"`
	Read       uint64  `json:"read"`
	Write      uint64  `json:"write"`
	Status     uint64  `json:"status"` // answers that were not 2xx or 3xx
	Timeout    uint64  `json:"timeout"`
	P50US      float64 `json:"p50_us"`
	P99US      float64 `json:"p99_us"`
}

func (f wrkFigures) rate() float64 { return float64(f.Requests) / (f.DurationUS / 1e6) }

func (f wrkFigures) median() time.Duration { return time.Duration(f.P50US * float64(time.Microsecond)) }

func (f wrkFigures) p99() time.Duration { return time.Duration(f.P99US * float64(time.Microsecond)) }

// failed is an error when wrk saw any failure: a connection not made, a read or write
// that failed (a cut answer is a read error), an answer that was not a success, a
// timeout, or no answer at all.
func (f wrkFigures) failed() error {
	if f.Connect+f.Read+f.Write+f.Status+f.Timeout == 0 && f.Requests > 0 {
		return nil
	}
	return fmt.Errorf("wrk: %d answers; errors: %d connect, %d read, %d write, %d not 2xx or 3xx, %d timeouts",
		f.Requests, f.Connect, f.Read, f.Write, f.Status, f.Timeout)
}

// wrkScript is the Lua script of a load phase: the request (its body read from a file,
// its headers), and, when wrk is done, the figures as one JSON line after wrkMarker.
const wrkScript = `-- written by bench (bench/wrk.go) for one load phase
init = function(args)
  local f = assert(io.open(%s, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
%s
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(%s .. '{"requests":%%.0f,"duration_us":%%.0f,"connect":%%.0f,"read":%%.0f,"write":%%.0f,"status":%%.0f,"timeout":%%.0f,"p50_us":%%.0f,"p99_us":%%.0f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`

const wrkMarker = "bench-wrk-figures "

// runWrk runs wrk for o.duration with o.workers connections against target, POSTing
// body with header, and returns its figures.
func runWrk(ctx context.Context, o options, target string, body []byte, header http.Header) (wrkFigures, error) {
	dir, err := os.MkdirTemp("", "bench-wrk-")
	if err != nil {
		return wrkFigures{}, err
	}
	defer os.RemoveAll(dir)
	bodyFile, scriptFile := filepath.Join(dir, "body.json"), filepath.Join(dir, "phase.lua")
	var headers strings.Builder
	for _, k := range slices.Sorted(maps.Keys(header)) {
		fmt.Fprintf(&headers, "  wrk.headers[%s] = %s\n", luaString(k), luaString(header.Get(k)))
	}
	script := fmt.Sprintf(wrkScript, luaString(bodyFile), strings.TrimRight(headers.String(), "\n"), luaString(wrkMarker))
	if err := os.WriteFile(bodyFile, body, 0o600); err != nil {
		return wrkFigures{}, err
	}
	if err := os.WriteFile(scriptFile, []byte(script), 0o600); err != nil {
		return wrkFigures{}, err
	}
	threads := min(runtime.NumCPU(), o.workers)
	seconds := max(1, int(o.duration.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, "wrk", "--threads", strconv.Itoa(threads), "--connections", strconv.Itoa(o.workers),
		"--duration", strconv.Itoa(seconds)+"s", "--timeout", "60s", "--script", scriptFile, target)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if errors.Is(err, exec.ErrNotFound) {
		return wrkFigures{}, errors.New("wrk is not installed: the load phases need it (Debian: apt-get install wrk; see README, Benchmarks)")
	}
	if err != nil {
		return wrkFigures{}, fmt.Errorf("wrk: %w: %s%s", err, out, stderr.Bytes())
	}
	for line := range strings.Lines(string(out)) {
		if rest, ok := strings.CutPrefix(line, wrkMarker); ok {
			var f wrkFigures
			if err := json.Unmarshal([]byte(rest), &f); err != nil {
				return f, fmt.Errorf("wrk's figures %q: %w", rest, err)
			}
			return f, nil
		}
	}
	return wrkFigures{}, fmt.Errorf("wrk printed no figures: %s%s", out, stderr.Bytes())
}

// luaString quotes s as a Lua string literal.
func luaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// serverTally is what the server's counters (/metrics) say of its GraphQL answers.
type serverTally struct {
	ok    uint64 // /graphql answers with status 200
	other uint64 // /graphql answers with any other status
	hits  uint64 // answers from the cache of answers (any route)
}

// serverCounts reads the server's counters.
func serverCounts(ctx context.Context, base string) (serverTally, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/metrics", nil)
	if err != nil {
		return serverTally{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return serverTally{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return serverTally{}, fmt.Errorf("/metrics: %s", resp.Status)
	}
	return parseTally(resp.Body)
}

// parseTally reads the counters from the Prometheus text format.
func parseTally(r io.Reader) (serverTally, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(r)
	if err != nil {
		return serverTally{}, fmt.Errorf("/metrics: %w", err)
	}
	cache, ok := families["portal_response_cache_total"]
	if !ok {
		return serverTally{}, errors.New("/metrics has no portal_response_cache_total")
	}
	var t serverTally
	for _, m := range cache.GetMetric() {
		if label(m, "result") == "hit" {
			t.hits = count(m)
		}
	}
	for _, m := range families["portal_http_requests_total"].GetMetric() {
		switch {
		case label(m, "route") != "/graphql":
		case label(m, "status") == "200":
			t.ok = count(m)
		default:
			t.other += count(m)
		}
	}
	return t, nil
}

// label is the value of a series' label.
func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// count is a counter's value (untyped where the text gives no TYPE line).
func count(m *dto.Metric) uint64 {
	if c := m.GetCounter(); c != nil {
		return uint64(c.GetValue())
	}
	return uint64(m.GetUntyped().GetValue())
}
