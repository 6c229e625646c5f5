package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"time"
)

// phaseBudget bounds the sequential phases of one query (uncached requests, SQL
// replays): a slow query gets fewer samples rather than an endless run.
const phaseBudget = time.Minute

// minSamples is how many samples a phase takes even past its budget.
const minSamples = 5

// sample is a set of latencies.
type sample []time.Duration

// quantile is the nearest-rank quantile q (0 < q <= 1); zero for no samples.
func (s sample) quantile(q float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	sorted := slices.Sorted(slices.Values(s))
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func (s sample) median() time.Duration { return s.quantile(0.5) }

// loadResult is a load phase of repeated identical requests.
type loadResult struct {
	encoding    string // the Accept-Encoding of the requests: identity or gzip
	requests    uint64
	rate        float64   // answered requests per second, in the run of median rate
	runs        []float64 // the rate of each run, in the order they ran
	median, p99 time.Duration
	bytes       float64     // mean size of an answer on the wire (compressed, for gzip)
	decoded     int         // size of the answer, decompressed
	compressed  bool        // the server compressed the answers (it leaves small ones alone)
	bare        *bareResult // when a target is missed: the same load on a bare server
}

// bareResult is a load phase against a bare Go HTTP server sending the same answer,
// its runs alternated with as many runs of the portal (bareLoad).
type bareResult struct {
	rate       float64 // the bare server's run of median rate
	runs       []float64
	median     time.Duration
	portal     float64   // the portal's run of median rate among the alternated runs
	portalRuns []float64 // the portal's alternated runs, in the order they ran
}

// queryResult is everything measured of one query.
type queryResult struct {
	spec       querySpec
	uncached   sample
	statements []statement       // the SQL the query runs, with each one's replay times
	params     map[string]string // the session settings it runs with
	sql        sample
	source     answerSource // whether the SQL aggregates the decisions or reads precomputed answers
	aggregate  []statement  // with precomputation bypassed: the SQL that computes the answer
	aggSQL     sample       // replays of aggregate
	load       loadResult   // repeated, uncompressed answers
	loadGzip   loadResult   // repeated, gzip answers
	failure    string       // why the query failed; empty when it did not
}

// measureQueries measures the five queries against the server, in turn.
func measureQueries(ctx context.Context, o options, srv *server, dbURL string, year int) ([]queryResult, error) {
	client := newClient(srv.Base)
	schema, err := fetchSchema(ctx, srv.Base)
	if err != nil {
		return nil, err
	}
	annual := ""
	if annualReportInSchema.MatchString(schema) {
		if annual, err = everyFieldOf(ctx, client, "annualReport"); err != nil {
			return nil, err
		}
	}
	proc, err := newInProcess(ctx, dbURL, []byte(schema))
	if err != nil {
		return nil, err
	}
	defer proc.close()
	var results []queryResult
	for _, q := range benchmarkQueries(year, annual) {
		results = append(results, measureQuery(ctx, o, client, proc, srv.Base, dbURL, q))
	}
	return results, ctx.Err()
}

// measureQuery measures one query: uncached requests, its bare SQL (and the SQL that
// computes its answer, when the answer is precomputed), and load phases of identical
// requests, uncompressed and gzip. The first failure ends it and is recorded.
func measureQuery(ctx context.Context, o options, client *gqlClient, proc *inProcess, base, dbURL string, q querySpec) queryResult {
	r := queryResult{spec: q}
	fail := func(what string, err error) queryResult {
		r.failure = fmt.Sprintf("%s: %v", what, err)
		logf("%s %s FAILED: %s", q.id, q.name, r.failure)
		return r
	}
	var err error
	logf("%s %s: uncached requests", q.id, q.name)
	if r.uncached, err = uncached(ctx, client, q, o.iterations); err != nil {
		return fail("uncached request", err)
	}
	statements, params, err := proc.capture(q, false)
	if err != nil {
		return fail("capturing the SQL", err)
	}
	r.statements, r.params = statements, params
	logf("%s %s: replaying its %d SQL statements", q.id, q.name, len(statements))
	if r.sql, err = replaySQL(ctx, dbURL, params, statements, o.iterations); err != nil {
		return fail("replaying the SQL", err)
	}
	aggregate, _, err := proc.capture(q, true)
	if err != nil {
		return fail("capturing the SQL with precomputation bypassed", err)
	}
	r.source = sourceOf(statements, aggregate)
	if r.source == precomputed {
		r.aggregate = aggregate
		logf("%s %s: replaying the %d SQL statements that compute it without precomputation", q.id, q.name, len(aggregate))
		if r.aggSQL, err = replaySQL(ctx, dbURL, params, r.aggregate, o.iterations); err != nil {
			return fail("replaying the SQL without precomputation", err)
		}
	}
	logf("%s %s: load phases of %s, uncompressed and gzip", q.id, q.name, o.duration)
	if r.load, err = loadPhase(ctx, o, base, q, "identity"); err != nil {
		return fail("load phase", err)
	}
	if r.loadGzip, err = loadPhase(ctx, o, base, q, "gzip"); err != nil {
		return fail("load phase, gzip", err)
	}
	return r
}

// uncached times n sequential requests, each a distinct document (its own operation
// name and __typename alias) so that no response cache can answer it, after two to
// warm up.
func uncached(ctx context.Context, c *gqlClient, q querySpec, n int) (sample, error) {
	request := func(name string) (time.Duration, error) {
		start := time.Now()
		_, err := c.post(ctx, requestBody(q.operation(name, "nonce_"+name), name))
		return time.Since(start), err
	}
	for i := range 2 {
		if _, err := request(fmt.Sprintf("%s_warm%d", q.id, i)); err != nil {
			return nil, err
		}
	}
	return repeat(ctx, n, func(i int) (time.Duration, error) { return request(fmt.Sprintf("%s_u%d", q.id, i)) })
}

// repeat collects n timings of f, fewer when the phase budget runs out.
func repeat(ctx context.Context, n int, f func(i int) (time.Duration, error)) (sample, error) {
	var s sample
	start := time.Now()
	for i := range n {
		if i >= minSamples && time.Since(start) > phaseBudget {
			break
		}
		d, err := f(i)
		if err != nil {
			return s, err
		}
		s = append(s, d)
		if err := ctx.Err(); err != nil {
			return s, err
		}
	}
	return s, nil
}

// gunzip decompresses a gzip answer.
func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("gzip answer: %w", err)
	}
	defer zr.Close()
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("gzip answer: %w", err)
	}
	return out, nil
}
