package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// publiclyCached reports what of an error answer lets a shared cache keep it.
func publiclyCached(a answer) string {
	var bad []string
	if cc := a.header.Get("Cache-Control"); strings.Contains(cc, "public") || (strings.Contains(cc, "max-age") && !strings.Contains(cc, "max-age=0")) {
		bad = append(bad, "Cache-Control: "+cc)
	}
	if e := a.header.Get("ETag"); e != "" {
		bad = append(bad, "ETag")
	}
	return strings.Join(bad, ", ")
}

// wrongErrors: item 5.
func (s *suite) wrongErrors(ctx context.Context, r *result) error {
	return s.withServer(ctx, "errors", func(srv *server) error {
		var errorAnswers []answer
		keep := func(a answer) answer {
			if a.err == nil && a.status >= 400 {
				errorAnswers = append(errorAnswers, a)
			}
			return a
		}
		invalid := func(what, url string) {
			a := keep(get(ctx, srv.Base+url))
			r.add(what+": 400 INVALID_INPUT", a.status == 400 && !bytes.Contains(a.body, []byte("INTERNAL")),
				"%s: %s", a.describe(), short(string(a.body), 160))
		}
		invalid("years=2147483648 in a download", "/download/licence-statistics.csv?groupBy=YEAR&years=2147483648")
		a := gql(ctx, srv.Base, "{ annualReport(year: 32768) { year } }")
		r.add("annualReport(year: 32768): INVALID_INPUT", a.code() == "INVALID_INPUT", "%s", a.describe())
		invalid("/releases/%00", "/releases/%00")

		missing := keep(get(ctx, srv.Base+"/releases/no-such-release"))
		star := keep(fetch(ctx, http.MethodGet, srv.Base+"/releases/no-such-release", nil, map[string]string{"If-None-Match": "*"}))
		r.add("If-None-Match: * on an unknown release: not 304", star.status != http.StatusNotModified, "%s (without it: %s)", star.describe(), missing.describe())
		keep(get(ctx, srv.Base+"/download/licence-statistics.csv?groupBy=NO_SUCH_DIMENSION"))
		if err := s.tooMany(ctx, keep); err != nil {
			return err
		}
		var cached []string
		statuses := map[int]bool{}
		for _, e := range errorAnswers {
			statuses[e.status] = true
			if bad := publiclyCached(e); bad != "" {
				cached = append(cached, fmt.Sprintf("%d (%s)", e.status, bad))
			}
		}
		var seen []string
		for st := range statuses {
			seen = append(seen, fmt.Sprint(st))
		}
		r.add("error answers ("+strings.Join(seen, ", ")+"): no public Cache-Control, no ETag", len(cached) == 0,
			"%d error answers, %d cacheable: %s", len(errorAnswers), len(cached), short(strings.Join(cached, "; "), 300))

		s.whitespace(ctx, srv, r)
		s.sharedFlight(ctx, srv, r)

		cursor := strings.Repeat("A", 666<<10)
		c := gql(ctx, srv.Base, fmt.Sprintf(`{ controlEntries(first: 1, after: %q) { totalCount } }`, cursor))
		r.add("a 666 KB cursor: the error does not echo it whole (answer under 10 KB)", c.err == nil && len(c.body) < 10<<10,
			"%s, answer %s", c.describe(), size(len(c.body)))
		body := []byte(`{"query": "{ controlEntry(code: \"` + strings.Repeat("B", 900<<10) + `\") { code } }"}`)
		b := fetch(ctx, http.MethodPost, srv.Base+"/graphql", body, nil)
		r.add("a 900 KB body: the error does not echo it whole (answer under 10 KB)", b.err == nil && len(b.body) < 10<<10,
			"%s, answer %s", b.describe(), size(len(b.body)))
		return nil
	})
}

// tooMany gets a 429 from a server with a small rate limit.
func (s *suite) tooMany(ctx context.Context, keep func(answer) answer) error {
	return s.withServer(ctx, "ratelimit", func(srv *server) error {
		for i := range 50 {
			if a := keep(get(ctx, fmt.Sprintf("%s/graphql?query=%%7B__typename%%7D&n=%d", srv.Base, i))); a.status == http.StatusTooManyRequests {
				return nil
			}
		}
		return nil
	}, "RATE_LIMIT_PER_SECOND=1", "RATE_LIMIT_BURST=3")
}

// whitespace: two searches that differ by a space inside a string literal must not
// share an answer. The truth of each is asked under another alias, so under another key.
func (s *suite) whitespace(ctx context.Context, srv *server, r *result) {
	ask := func(alias, search string) string {
		a := gql(ctx, srv.Base, fmt.Sprintf(`{ %s: controlEntries(search: %q, first: 5) { totalCount nodes { code } } }`, alias, search))
		return string(a.gql().Data[alias])
	}
	double, single := "Telecommunications  systems", "Telecommunications systems"
	first := ask("e", double)
	second := ask("e", single)
	truthDouble := ask("d", double)
	truthSingle := ask("s", single)
	r.add(`search: "Telecommunications  systems" then with one space: each its own answer`, first == truthDouble && second == truthSingle,
		"two spaces: %s (alone: %s); one space: %s (alone: %s)", short(first, 60), short(truthDouble, 60), short(second, 60), short(truthSingle, 60))
}

// sharedFlight: identical requests in flight; the first client leaves; the others must
// still get data.
func (s *suite) sharedFlight(ctx context.Context, srv *server, r *result) {
	const what = "first of 4 identical in-flight requests disconnects: the other 3 get data"
	candidates := []string{
		strings.Replace(bigAnswer(0), "r0_0", "%s", 1),
		`{ %s: annualReport(year: 2022) { year citation } }`,
		`{ %s: licenceStatistics(groupBy: [YEAR, MEMBER_STATE, DESTINATION, CONTROL_ENTRY, OUTCOME], first: 1) { rows { applications { value } } } }`,
	}
	n := 0
	unique := func(tmpl string) string { n++; return fmt.Sprintf(tmpl, fmt.Sprintf("f%d", n)) }
	for _, tmpl := range candidates {
		solo := gql(ctx, srv.Base, unique(tmpl))
		if !solo.hasData() || solo.took < 100*time.Millisecond {
			r.notef("in-flight sharing: %s took %s (%s): too fast or refused to stay in flight", short(tmpl, 50), solo.took.Round(time.Millisecond), solo.describe())
			continue
		}
		q := unique(tmpl)
		first, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		answers := make([]answer, 4)
		for i := range 4 {
			c := ctx
			if i == 0 {
				c = first
			}
			wg.Add(1)
			go func() { defer wg.Done(); answers[i] = gql(c, srv.Base, q) }()
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(solo.took / 4)
		cancel()
		wg.Wait()
		ok, got := 0, []string{}
		for _, a := range answers[1:] {
			if a.hasData() {
				ok++
			}
			got = append(got, a.describe())
		}
		r.add(what, ok == 3, "a query of %s alone; the others: %s", solo.took.Round(time.Millisecond), strings.Join(got, ", "))
		return
	}
	r.skip(what, "no query the server answers slowly enough to keep in flight")
}

// downloads: item 7.
func (s *suite) downloads(ctx context.Context, r *result) error {
	return s.withServer(ctx, "downloads", func(srv *server) error {
		a := get(ctx, srv.Base+"/download/licence-statistics.csv?groupBy=YEAR&year=2022")
		r.add("groupBy=YEAR&year=2022 (a misspelt years): 400 naming the parameters", a.status == 400 && bytes.Contains(a.body, []byte("years")),
			"%s: %s", a.describe(), short(string(a.body), 200))
		b := get(ctx, srv.Base+"/download/licence-statistics.csv?groupBy=YEAR&years=2022&%zz=1")
		r.add("an unparseable query string (%zz): 400", b.status == 400, "%s: %s", b.describe(), short(string(b.body), 200))
		return nil
	})
}

// introspectionQuery is graphql-js's getIntrospectionQuery({descriptions: true}) (v16);
// graphiQL adds deprecated input values and the schema's description.
func introspectionQuery(graphiql bool) string {
	inputValue, args, schemaDesc := "", "args", ""
	if graphiql {
		inputValue, args, schemaDesc = " isDeprecated deprecationReason", "args(includeDeprecated: true)", " description"
	}
	return `query IntrospectionQuery { __schema {` + schemaDesc + ` queryType { name } mutationType { name } subscriptionType { name }
  types { ...FullType } directives { name description isRepeatable locations ` + args + ` { ...InputValue } } } }
fragment FullType on __Type { kind name description specifiedByURL
  fields(includeDeprecated: true) { name description ` + args + ` { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields` + map[bool]string{true: "(includeDeprecated: true)", false: ""}[graphiql] + ` { ...InputValue } interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue` + inputValue + ` }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`
}

// graphiql: item 8.
func (s *suite) graphiql(ctx context.Context, r *result) error {
	return s.withServer(ctx, "graphiql", func(srv *server) error {
		page := get(ctx, srv.Base+"/")
		if page.err != nil || page.status != 200 {
			r.add("GET / answers the page", false, "%s", page.describe())
		} else {
			ext, scripts := externalRefs(string(page.body), srv.Base)
			cdn := []string{}
			for _, src := range scripts {
				js := get(ctx, src)
				if js.status != 200 {
					ext = append(ext, src+" ("+js.describe()+")")
					continue
				}
				cdn = append(cdn, cdnHosts(string(js.body))...)
			}
			r.add("GET /: no third-party URL in the page or its scripts", len(ext) == 0 && len(cdn) == 0,
				"page %s, %d scripts of its own; third-party: %s", size(len(page.body)), len(scripts), short(strings.Join(append(ext, cdn...), ", "), 300))
		}
		for _, gi := range []bool{false, true} {
			name := map[bool]string{false: "graphql-js getIntrospectionQuery (descriptions)", true: "GraphiQL's introspection query (deprecated input values too)"}[gi]
			a := gql(ctx, srv.Base, introspectionQuery(gi))
			var body struct {
				Data struct {
					Schema struct {
						Types []json.RawMessage `json:"types"`
					} `json:"__schema"`
				} `json:"data"`
			}
			_ = json.Unmarshal(a.body, &body)
			msg := ""
			if e := a.gql().Errors; len(e) > 0 {
				msg = ": " + e[0].Message
			}
			r.add(name+": passes the limits", len(body.Data.Schema.Types) > 0 && len(a.gql().Errors) == 0,
				"%s%s, %d types", a.describe(), short(msg, 120), len(body.Data.Schema.Types))
		}
		return nil
	})
}

// headers: item 9.
func (s *suite) headers(ctx context.Context, r *result) error {
	return s.withServer(ctx, "headers", func(srv *server) error {
		paths := []string{"/", "/graphql?query=%7B__typename%7D", "/schema.graphql", "/download/licence-statistics.csv?groupBy=YEAR",
			"/releases/no-such-release", "/healthz", "/readyz", "/metrics", "/graphql?query=%7B"}
		var missing []string
		for _, p := range paths {
			if a := get(ctx, srv.Base+p); a.err != nil || a.header.Get("X-Content-Type-Options") != "nosniff" {
				missing = append(missing, p)
			}
		}
		post := gql(ctx, srv.Base, "{ __typename }")
		if post.header.Get("X-Content-Type-Options") != "nosniff" {
			missing = append(missing, "POST /graphql")
		}
		r.add("X-Content-Type-Options: nosniff on every answer", len(missing) == 0, "missing on %d of %d: %s", len(missing), len(paths)+1, strings.Join(missing, " "))
		page := get(ctx, srv.Base+"/")
		csp := page.header.Get("Content-Security-Policy")
		frames := strings.Contains(csp, "frame-ancestors") || page.header.Get("X-Frame-Options") != ""
		r.add("the HTML page: Content-Security-Policy and frame protection", csp != "" && frames,
			"CSP %q, X-Frame-Options %q", short(csp, 120), page.header.Get("X-Frame-Options"))
		a := get(ctx, srv.Base+"/graphql?query=%7B__typename%7D")
		vary := strings.Join(a.header.Values("Vary"), ", ")
		r.add("GET /graphql (the answer depends on Accept): Vary: Accept", hasToken(vary, "Accept"), "Vary: %q", vary)
		return nil
	})
}

func hasToken(list, token string) bool {
	for _, t := range strings.Split(list, ",") {
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}
