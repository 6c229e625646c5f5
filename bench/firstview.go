package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The explore page's first view: every request a browser makes for /explore with no
// view in its URL, in the page's order, against a server whose response cache is cold
// (a server process started for the replay), as a first visitor after a deploy sees
// it. The requests are read from the page itself: its HTML names the stylesheet, the
// script and the country shapes, and its script (explore.js) holds the GraphQL queries,
// which are sent as the script sends them (GET, the query's white space folded, the
// variables as JSON in the script's key order), so that the cache keys are the page's.
//
// The script's requests, in start():
//
//	releases                       query Releases
//	loadReference                  query Reference (the Member States, the catch-all labels)
//	then at once (Promise.all):
//	  the map                      query DenialsByDestination for the latest year, every
//	                               page, then the country shapes (countries-110m JSON)
//	  the series                   query SeriesByRegion, every year, every page
//	  the list                     query List on the release's last day
//
// Each replay is made twice: one request after the other, and as the browser does,
// the stylesheet and the script at once, the three sections at once.

// viewRequest is one request of the first view.
type viewRequest struct {
	name    string // what the page asks for it
	path    string // the URL path, for the report
	wire    int    // bytes of the answer as sent (gzip when the server compressed it)
	decoded int    // bytes of the answer
	times   sample // one per replay
	starts  sample // concurrent replays: when it started, after the page's request did
}

// firstViewResult is the first view measured.
type firstViewResult struct {
	sequential []viewRequest // the requests of the sequential replays, in order
	concurrent []viewRequest // of the concurrent replays, in the order they started
	seqTotal   sample        // sum of a sequential replay's requests
	wallTotal  sample        // a concurrent replay, first byte sent to last byte read
}

// pageQueries are the GraphQL documents of explore.js by operation name, as the script
// sends them.
type pageQueries map[string]string

// readPageQueries reads the script's query documents: the template literals that start
// with "query", with ${RELEASE} and ${MEASURE} replaced by the script's constants and
// the white space folded as graphql() does.
func readPageQueries(path string) (pageQueries, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the explore page's script: %w", err)
	}
	consts := map[string]string{}
	for _, name := range []string{"RELEASE", "MEASURE"} {
		m := regexp.MustCompile(`const ` + name + ` = '([^']*)';`).FindSubmatch(src)
		if m == nil {
			return nil, fmt.Errorf("%s: no const %s", path, name)
		}
		consts[name] = string(m[1])
	}
	queries := pageQueries{}
	for _, m := range regexp.MustCompile("`(query (\\w+)[^`]*)`").FindAllSubmatch(src, -1) {
		doc := regexp.MustCompile(`\$\{(\w+)\}`).ReplaceAllStringFunc(string(m[1]), func(s string) string {
			if v, ok := consts[s[2:len(s)-1]]; ok {
				return v
			}
			return s
		})
		if strings.Contains(doc, "${") {
			return nil, fmt.Errorf("%s: query %s: a substitution the benchmark does not know", path, m[2])
		}
		queries[string(m[2])] = strings.Join(strings.Fields(doc), " ")
	}
	for _, name := range []string{"Releases", "Reference", "DenialsByDestination", "SeriesByRegion", "List"} {
		if queries[name] == "" {
			return nil, fmt.Errorf("%s: no query %s: the page changed, and the benchmark's replay of its first view must follow", path, name)
		}
	}
	return queries, nil
}

// measureFirstView replays the first view o.firstViews times each way, each replay on
// a server process of its own.
func measureFirstView(ctx context.Context, o options, dbURL, work string) (firstViewResult, error) {
	var r firstViewResult
	queries, err := readPageQueries(o.exploreSource)
	if err != nil {
		return r, err
	}
	for _, concurrent := range []bool{false, true} {
		for range o.firstViews {
			srv, err := startServer(ctx, o.portal, dbURL, work)
			if err != nil {
				return r, err
			}
			v := &viewReplay{base: srv.Base, queries: queries, concurrent: concurrent, client: browserClient()}
			start := time.Now()
			err = v.run(ctx)
			wall := time.Since(start)
			srv.Stop()
			if err != nil {
				return r, err
			}
			if concurrent {
				r.concurrent = merge(r.concurrent, v.requests)
				r.wallTotal = append(r.wallTotal, wall)
			} else {
				r.sequential = merge(r.sequential, v.requests)
				var sum time.Duration
				for _, q := range v.requests {
					sum += q.times[0]
				}
				r.seqTotal = append(r.seqTotal, sum)
			}
		}
	}
	return r, nil
}

// merge adds a replay's times to those of the replays before it, request by request
// (by name: concurrent requests finish in any order), and orders the requests by when
// they started.
func merge(into, replay []viewRequest) []viewRequest {
	for _, q := range replay {
		i := slices.IndexFunc(into, func(p viewRequest) bool { return p.name == q.name })
		if i < 0 {
			into = append(into, q)
			continue
		}
		into[i].times = append(into[i].times, q.times...)
		into[i].starts = append(into[i].starts, q.starts...)
	}
	slices.SortStableFunc(into, func(a, b viewRequest) int { return cmp.Compare(a.starts.median(), b.starts.median()) })
	return into
}

// browserClient is a new client, no connection open, at most six connections to the
// server as a browser keeps over HTTP/1.1. It asks for gzip itself, so that the sizes
// are those on the wire.
func browserClient() *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		DisableCompression: true, MaxConnsPerHost: 6, MaxIdleConnsPerHost: 6,
	}}
}

// viewReplay is one replay of the first view.
type viewReplay struct {
	base       string
	queries    pageQueries
	concurrent bool
	client     *http.Client
	started    time.Time

	mu       sync.Mutex
	requests []viewRequest
}

func (v *viewReplay) run(ctx context.Context) error {
	v.started = time.Now()
	page, err := v.get(ctx, "page", "/explore", "text/html")
	if err != nil {
		return err
	}
	attr := func(re string) (string, error) {
		m := regexp.MustCompile(re).FindStringSubmatch(string(page))
		if m == nil {
			return "", fmt.Errorf("the explore page has no %s", re)
		}
		return m[1], nil
	}
	style, err1 := attr(`<link rel="stylesheet" href="([^"]+)"`)
	script, err2 := attr(`<script src="([^"]+)"`)
	atlas, err3 := attr(`data-atlas="([^"]+)"`)
	endpoint, err4 := attr(`data-endpoint="([^"]+)"`)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return err
	}
	// The stylesheet and the script, the script run once both are in.
	if err := v.parallel(
		func() error { _, err := v.get(ctx, "stylesheet", style, "text/css"); return err },
		func() error { _, err := v.get(ctx, "script (the bundle)", script, "*/*"); return err },
	); err != nil {
		return err
	}
	var releases struct {
		Releases []struct{ ID, PeriodStart, PeriodEnd string } `json:"releases"`
	}
	if err := v.graphql(ctx, "Releases", endpoint, ordered{}, &releases); err != nil {
		return err
	}
	if len(releases.Releases) == 0 {
		return errors.New("the first view: no release")
	}
	rel := releases.Releases[0]
	if err := v.graphql(ctx, "Reference", endpoint, ordered{{"start", rel.PeriodStart}, {"lang", "EN"}}, nil); err != nil {
		return err
	}
	year := rel.PeriodEnd[:4]
	var years []int
	if err := json.Unmarshal([]byte("["+year+"]"), &years); err != nil {
		return err
	}
	return v.parallel(
		func() error {
			err := v.wholeTable(ctx, "DenialsByDestination", "denialsByDestination", endpoint,
				ordered{{"release", rel.ID}, {"filter", ordered{{"years", years}}}})
			if err != nil {
				return err
			}
			_, err = v.get(ctx, "country shapes (countries-110m)", atlas, "*/*")
			return err
		},
		func() error {
			return v.wholeTable(ctx, "SeriesByRegion", "licenceStatistics", endpoint, ordered{{"release", rel.ID}, {"filter", ordered{}}})
		},
		func() error {
			return v.graphql(ctx, "List", endpoint, ordered{{"release", rel.ID}, {"asOf", rel.PeriodEnd},
				{"from", year + "-01-01"}, {"to", rel.PeriodEnd}, {"lang", "EN"}}, nil)
		},
	)
}

// parallel runs the steps at once when the replay is concurrent, else one by one.
func (v *viewReplay) parallel(steps ...func() error) error {
	if !v.concurrent {
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, step := range steps {
		wg.Go(func() { errs[i] = step() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// wholeTable follows a table's pages to the end, as the script's wholeTable does.
func (v *viewReplay) wholeTable(ctx context.Context, op, field, endpoint string, vars ordered) error {
	var after any
	for page := 1; ; page++ {
		var answer map[string]struct {
			PageInfo struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
		}
		name := op
		if page > 1 {
			name += ", page " + strconv.Itoa(page)
		}
		if err := v.graphqlNamed(ctx, op, name, endpoint, append(vars[:len(vars):len(vars)], kv{"after", after}, kv{"lang", "EN"}), &answer); err != nil {
			return err
		}
		info := answer[field].PageInfo
		if !info.HasNextPage {
			return nil
		}
		after = info.EndCursor
	}
}

// graphql sends a query of the page over GET and reads its data into out (if not nil).
func (v *viewReplay) graphql(ctx context.Context, op, endpoint string, vars ordered, out any) error {
	return v.graphqlNamed(ctx, op, op, endpoint, vars, out)
}

func (v *viewReplay) graphqlNamed(ctx context.Context, op, name, endpoint string, vars ordered, out any) error {
	q := url.Values{"query": {v.queries[op]}, "variables": {vars.json()}}
	body, err := v.get(ctx, "query "+name, endpoint+"?"+q.Encode(), "application/graphql-response+json, application/json")
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	var answer struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return fmt.Errorf("query %s: %w", op, err)
	}
	return json.Unmarshal(answer.Data, out)
}

// get fetches a URL of the server, timed to its last byte, and checks the answer.
func (v *viewReplay) get(ctx context.Context, name, target, accept string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.base+target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Accept-Language", "en")
	start := time.Now()
	resp, err := v.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	wire, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	body := wire
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if body, err = gunzip(wire); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if strings.HasPrefix(name, "query ") {
		err = checkAnswer(resp.StatusCode, body)
	} else if resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	if err != nil {
		return nil, fmt.Errorf("the first view, %s: %w", name, err)
	}
	path, _, _ := strings.Cut(target, "?")
	v.mu.Lock()
	v.requests = append(v.requests, viewRequest{name: name, path: path, wire: len(wire), decoded: len(body),
		times: sample{took}, starts: sample{start.Sub(v.started)}})
	v.mu.Unlock()
	return body, nil
}

// ordered is a JSON object whose keys keep their order, as JSON.stringify writes an
// object of the script: the variables are part of the URL, and so of the cache key.
type ordered []kv

type kv struct {
	key   string
	value any
}

func (o ordered) json() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.key)
		b.Write(k)
		b.WriteByte(':')
		if nested, ok := p.value.(ordered); ok {
			b.WriteString(nested.json())
			continue
		}
		val, _ := json.Marshal(p.value)
		b.Write(val)
	}
	b.WriteByte('}')
	return b.String()
}
