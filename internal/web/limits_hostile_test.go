package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/web"
)

// doublingFragments is a query of n fragments, each spreading the next twice: a
// document of about 50n bytes whose expansion has 2^n spreads.
func doublingFragments(n int) string {
	var b strings.Builder
	b.WriteString("{ regions { ...f0 } }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment f%d on Region { code ...f%d name ...f%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment f%d on Region { code }\n", n)
	return b.String()
}

// guarded is a client that gives up on an answer that never comes, so that a test of a
// hostile query fails rather than hangs on a server that does the work.
var guarded = &http.Client{Timeout: 10 * time.Second}

func postGuarded(t *testing.T, srv *httptest.Server, body string) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return doWith(t, guarded, req)
}

// nestingFragments is a query of n fragments, each spreading the next under two
// fields: 2^n selections at depth n once expanded.
func nestingFragments(n int) string {
	var b strings.Builder
	b.WriteString("{ controlEntry(code: \"5A001\") { ...f0 } }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment f%d on ControlEntry { parent { ...f%d } children { ...f%d } }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment f%d on ControlEntry { code }\n", n)
	return b.String()
}

// Nested fragment spreads are measured once each: the 26-level query of the issue
// (2 KB, 2^26 spreads once expanded, 18.7 s of CPU) and its like are refused before
// validation and before gqlgen's complexity walk, which walks a fragment again at every
// spread (and whose refusal, COMPLEXITY_LIMIT_EXCEEDED, came after seconds of work).
func TestNestedFragmentsRefusedAtOnce(t *testing.T) {
	srv := publicServer(t, web.RateLimit{})
	for _, tt := range []struct {
		name, query, code string
	}{
		{"26 levels, side by side", doublingFragments(26), "DUPLICATE_FIELD_LIMIT_EXCEEDED"},
		{"60 levels, side by side", doublingFragments(60), "DUPLICATE_FIELD_LIMIT_EXCEEDED"},
		{"26 levels, nested", nestingFragments(26), "DEPTH_LIMIT_EXCEEDED"},
		{"14 levels, nested", nestingFragments(14), "SELECTION_LIMIT_EXCEEDED"},
	} {
		a := postGuarded(t, srv, gqlBody(tt.query))
		if a.status != 200 || len(a.errors) != 1 || a.errors[0].Extensions.Code != tt.code {
			t.Errorf("%s (%d bytes): %d %+v; want %s", tt.name, len(tt.query), a.status, a.errors, tt.code)
		}
	}
	// Under the bounds, the same shapes are answered.
	for _, q := range []string{doublingFragments(2), nestingFragments(5)} {
		if a := postGuarded(t, srv, gqlBody(q)); a.status != 200 || len(a.errors) != 0 {
			t.Errorf("%s: %d %+v", q, a.status, a.errors)
		}
	}
}

// The work of measuring is linear in the document: each selection set is measured
// once, and the counts are those of the expanded query, saturating.
func TestFragmentsMeasuredOnce(t *testing.T) {
	counting := web.DefaultLimits()
	counting.MaxDuplicates = 1 << 62 // count on past the bound on duplicates
	for _, levels := range []int{10, 26, 200} {
		s := web.MeasureQuery(doublingFragments(levels), counting)
		// One set for the operation, one inside regions, one per fragment.
		if want := levels + 3; s.Calls != want {
			t.Errorf("%d levels: %d selection sets measured, want %d", levels, s.Calls, want)
		}
		// regions and its spread of f0, then f(i) = 4 selections + 2 f(i+1), f(n) = 1.
		want := 5<<levels - 2
		if levels >= 58 {
			want = 1 << 60
		}
		if s.Selections != want {
			t.Errorf("%d levels: %d selections, want %d", levels, s.Selections, want)
		}
		if s.Err == nil {
			t.Errorf("%d levels: not refused", levels)
		}
	}
	// A fragment cycle is measured once too, each of its 6 selection sets; validation
	// refuses it.
	cycle := "{ regions { ...a } } fragment a on Region { parent { ...b ...a } } fragment b on Region { parent { ...a ...b } }"
	if s := web.MeasureQuery(cycle, web.DefaultLimits()); s.Calls != 6 || s.Err != nil {
		t.Errorf("cycle: %d sets measured, error %v", s.Calls, s.Err)
	}
}

// 14,000 repeated __typename (150 KB) passed every limit and took seconds to validate
// (the check of overlapping fields compares every pair); now a response name selected
// more than a few times in one selection set, fragments included, is refused.
func TestDuplicateFieldsRefused(t *testing.T) {
	srv := publicServer(t, web.RateLimit{})
	for name, q := range map[string]string{
		"14,000 __typename": "{" + strings.Repeat(" __typename", 14_000) + " }",
		"through fragments": "{ regions {" + strings.Repeat(" ...f", 11) + " } } fragment f on Region { code name }",
		"inline fragments":  "{ regions {" + strings.Repeat(" ... on Region { code }", 11) + " } }",
	} {
		a := postGuarded(t, srv, gqlBody(q))
		if a.status != 200 || len(a.errors) != 1 || a.errors[0].Extensions.Code != "DUPLICATE_FIELD_LIMIT_EXCEEDED" {
			t.Errorf("%s: %d %+v; want DUPLICATE_FIELD_LIMIT_EXCEEDED", name, a.status, a.errors)
		}
	}
	if a := post(t, srv, gqlBody("{ regions { code ...f code } } fragment f on Region { code name }")); a.status != 200 || len(a.errors) != 0 {
		t.Errorf("a field selected three times: %d %+v", a.status, a.errors)
	}
}

// Directives are counted with fragments expanded.
func TestDirectivesBounded(t *testing.T) {
	srv := publicServer(t, web.RateLimit{})
	var b strings.Builder
	b.WriteString("query($a: Boolean = true) {")
	for i := range 26 {
		fmt.Fprintf(&b, " r%d: regions { ...f }", i)
	}
	b.WriteString(" } fragment f on Region { code @include(if: $a) name @skip(if: false) }")
	for name, q := range map[string]string{
		"52 through a fragment": b.String(),
		"60 on one field":       "{ __typename" + strings.Repeat(" @include(if: true)", 60) + " }",
	} {
		a := postGuarded(t, srv, gqlBody(q))
		if a.status != 200 || len(a.errors) != 1 || a.errors[0].Extensions.Code != "DIRECTIVE_LIMIT_EXCEEDED" {
			t.Errorf("%s: %d %+v; want DIRECTIVE_LIMIT_EXCEEDED", name, a.status, a.errors)
		}
	}
}

// Depth counts the selection sets nested in the operation's: `{ regions { code } }` is
// 1 deep (it was counted 2).
func TestDepthCountedRight(t *testing.T) {
	limits := web.DefaultLimits()
	limits.MaxDepth = 2
	srv := publicServerWith(t, web.Options{Limits: limits})
	if a := post(t, srv, gqlBody(`{ controlEntry(code: "5A001") { parent { code } } }`)); a.status != 200 || len(a.errors) != 0 {
		t.Errorf("2 deep under a limit of 2: %d %+v", a.status, a.errors)
	}
	a := post(t, srv, gqlBody(`{ controlEntry(code: "5A001") { parent { parent { code } } } }`))
	if len(a.errors) != 1 || a.errors[0].Extensions.Code != "DEPTH_LIMIT_EXCEEDED" || a.errors[0].Message != "the query is nested 3 levels deep; the limit is 2" {
		t.Errorf("3 deep under a limit of 2: %+v", a.errors)
	}
}

// The introspection queries of GraphiQL (the one it sends for its docs pane and
// autocompletion) and of graphql-js's getIntrospectionQuery with every option pass the
// default limits. Both are in testdata verbatim, as graphql 16.15 writes them.
func TestIntrospectionQueriesPass(t *testing.T) {
	srv := publicServer(t, web.RateLimit{})
	for _, file := range []string{"graphiql.graphql", "graphql-js.graphql"} {
		q, err := os.ReadFile("testdata/introspection/" + file)
		if err != nil {
			t.Fatal(err)
		}
		a := post(t, srv, gqlBodyOp(string(q), "IntrospectionQuery"))
		if a.status != 200 || len(a.errors) != 0 || !strings.Contains(a.body, `"__schema":{`) || !strings.Contains(a.body, `"name":"StatisticsTable"`) {
			t.Errorf("%s: %d %+v %.200s", file, a.status, a.errors, a.body)
		}
		if s := web.MeasureQuery(string(q), web.DefaultLimits()); s.Depth != 14 {
			t.Errorf("%s is %d deep, want 14", file, s.Depth)
		}
	}
}

// A statistics field costs the work it will do: 30 aliased five-dimension tables with
// first: 1 reported a complexity of 30 and took 22 s; each builds the whole table
// before paging it, so together they cost far more than the limit, and are refused
// before any SQL runs.
func TestStatisticsCostTheirWork(t *testing.T) {
	srv := publicServer(t, web.RateLimit{})
	dims := "YEAR, QUARTER, OUTCOME, CATCH_ALL, CYBER_SURVEILLANCE"
	a := postGuarded(t, srv, gqlBody(aliasedTables(30, dims, 1, "year applications { value }")))
	if a.status != 200 || len(a.errors) != 1 || a.errors[0].Extensions.Code != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("30 five-dimension tables: %d %+v; want COMPLEXITY_LIMIT_EXCEEDED", a.status, a.errors)
	}
	// One of them is answered, and its reported cost is that of the table, not of the page.
	one := post(t, srv, gqlBody(aliasedTables(1, dims, 1, "year applications { value }")))
	cost, _ := one.ext["cost"].(map[string]any)
	if one.status != 200 || cost == nil || cost["complexity"].(float64) < 10_000 {
		t.Errorf("one five-dimension table: %d, cost %v, errors %+v; want a cost of at least 10,000", one.status, cost, one.errors)
	}
	// An ordinary table stays cheap.
	small := post(t, srv, gqlBody(`{ licenceStatistics(groupBy: [YEAR], first: 10) { rows { year applications { value } } } }`))
	if cost, _ := small.ext["cost"].(map[string]any); cost == nil || cost["complexity"].(float64) > 5_000 {
		t.Errorf("a table by year: cost %v, want under 5,000", small.ext)
	}
}

// While the process runs as many expensive operations as it may, another waits
// briefly, then gets 503 with Retry-After and SERVER_BUSY; a cheap one is not held up.
func TestExpensiveOperationsGated(t *testing.T) {
	limits := web.DefaultLimits()
	limits.MaxExpensive = 1 // a gate of its own: no other test uses one slot
	limits.ExpensiveWait = 100 * time.Millisecond
	srv := publicServerWith(t, web.Options{Limits: limits})
	expensive := gqlBody(`{ annualReport(year: 2020) { year headline { metric } } }`)
	release := web.OccupyGate(limits)
	a := post(t, srv, expensive)
	if a.status != 503 || a.header.Get("Retry-After") != "1" || len(a.errors) != 1 || a.errors[0].Extensions.Code != "SERVER_BUSY" || strings.Contains(a.body, `"data"`) {
		t.Errorf("an expensive query while the gate is full: %d, Retry-After %q, %s; want 503 SERVER_BUSY with Retry-After", a.status, a.header.Get("Retry-After"), a.body)
	}
	if cheap := post(t, srv, gqlBody(`{ regions { code } }`)); cheap.status != 200 || len(cheap.errors) != 0 {
		t.Errorf("a cheap query while the gate is full: %d %+v", cheap.status, cheap.errors)
	}
	release()
	if again := post(t, srv, expensive); again.status != 200 || len(again.errors) != 0 || !strings.Contains(again.body, `"headline"`) {
		t.Errorf("the expensive query once the gate is free: %d %s", again.status, again.body)
	}
}
