package web_test

import (
	"cmp"
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// maxArgErrorLen bounds the message of a refused argument: what was wrong and the
// beginning of the input (apperr.Quote), whatever the size of the input.
const maxArgErrorLen = 300

// Every argument is read strictly: a number no argument can mean, a NUL character or an
// overlong string is INVALID_INPUT, with a short message, in place of an INTERNAL error
// from PostgreSQL (a year past its small integers, NUL in text) or an error that repeats
// the whole input. Literal arguments and variables alike, at the top level and inside
// input objects.
func TestArgumentsRefused(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 2021821})
	c := client.New(newHandler(t, d), client.Path("/graphql"))
	long := strings.Repeat("A", 666_000)
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  string // in the message
		code  string // INVALID_INPUT unless given
	}{
		// Years PostgreSQL cannot hold, and years that cannot be in any release.
		{"annualReport year past smallint", `{ annualReport(year: 32768) { year } }`, nil, "1900 to 2100", ""},
		{"annualReport year far future", `{ annualReport(year: 99999) { year } }`, nil, "1900 to 2100", ""},
		{"annualReport year negative", `{ annualReport(year: -1) { year } }`, nil, "1900 to 2100", ""},
		{"annualReport year variable past smallint", `query($y: Int!) { annualReport(year: $y) { year } }`, map[string]any{"y": 40000}, "1900 to 2100", ""},
		{"officialFigures year", `{ officialFigures(year: 32768) { year } }`, nil, "1900 to 2100", ""},
		{"filter years past PostgreSQL's dates", `{ licenceStatistics(groupBy: [YEAR], filter: {years: [2022, 2147483647]}) { totalCount } }`, nil, "filter.years", ""},
		{"denials filter years", `{ denialsByDestination(filter: {years: [32768]}) { totalCount } }`, nil, "filter.years", ""},
		{"filter control categories", `{ licenceStatistics(groupBy: [YEAR], filter: {controlCategories: [10]}) { totalCount } }`, nil, "filter.controlCategories", ""},
		// Numbers past the 32 bits of a GraphQL Int.
		{"Int literal past int32", `{ annualReport(year: 2147483648) { year } }`, nil, "not an Int", ""},
		{"Int variable past int32", `query($y: Int!) { annualReport(year: $y) { year } }`, map[string]any{"y": 2147483648}, "not an Int", ""},
		// Past 64 bits, gqlgen's coercion of variables refuses the value first.
		{"Int variable past int64", `query($y: Int!) { annualReport(year: $y) { year } }`, map[string]any{"y": json.Number("99999999999999999999")}, "as Int", "GRAPHQL_VALIDATION_FAILED"},
		{"Int literal past int64", `{ annualReport(year: 99999999999999999999) { year } }`, nil, "32-bit", "GRAPHQL_VALIDATION_FAILED"},
		{"Int literal below int32", `{ controlEntries(category: -2147483649) { totalCount } }`, nil, "not an Int", ""},
		{"Int in an input object past int32", `{ licenceStatistics(groupBy: [YEAR], filter: {years: [2147483648]}) { totalCount } }`, nil, "not an Int", ""},
		{"first past int32", `{ controlEntries(first: 4294967297) { totalCount } }`, nil, "not an Int", ""},
		// NUL characters, which PostgreSQL refuses in text.
		{"NUL in a code", `{ memberState(code: "G\u0000R") { code } }`, nil, "NUL", ""},
		{"NUL in a country code", `{ country(code: "E\u0000") { code } }`, nil, "NUL", ""},
		{"NUL in a region", `{ countries(region: "Asia\u0000") { code } }`, nil, "NUL", ""},
		{"NUL in a search", `{ controlEntries(search: "5A\u0000") { totalCount } }`, nil, "NUL", ""},
		{"NUL in a control entry", `{ controlEntry(code: "5A001\u0000") { code } }`, nil, "NUL", ""},
		{"NUL in an id", `{ release(id: "demo\u0000") { id } }`, nil, "NUL", ""},
		{"NUL in a release argument", `{ licenceStatistics(release: "demo\u0000", groupBy: []) { totalCount } }`, nil, "NUL", ""},
		{"NUL in a cursor", `{ licenceStatistics(groupBy: [YEAR], after: "\u0000") { totalCount } }`, nil, "NUL", ""},
		{"NUL in a metric", `{ officialFigures(metric: "denials\u0000") { year } }`, nil, "NUL", ""},
		{"NUL in a filter code", `{ licenceStatistics(groupBy: [], filter: {memberStates: ["DE\u0000"]}) { totalCount } }`, nil, "NUL", ""},
		{"NUL in a variable", `query($s: String) { controlEntries(search: $s) { totalCount } }`, map[string]any{"s": "a\x00b"}, "NUL", ""},
		// Overlong strings, whose error must not repeat them.
		{"666 KB cursor", `query($c: String) { controlEntries(after: $c) { totalCount } }`, map[string]any{"c": long}, "at most 1000 bytes", ""},
		{"666 KB statistics cursor", `query($c: String) { licenceStatistics(groupBy: [YEAR], after: $c) { totalCount } }`, map[string]any{"c": long}, "at most 1000 bytes", ""},
		{"666 KB search", `query($s: String) { controlEntries(search: $s) { totalCount } }`, map[string]any{"s": long}, "at most 1000 bytes", ""},
		{"666 KB id", `query($id: ID!) { release(id: $id) { id } }`, map[string]any{"id": long}, "at most 1000 bytes", ""},
		{"666 KB filter code", `query($m: [String!]) { licenceStatistics(groupBy: [], filter: {memberStates: $m}) { totalCount } }`, map[string]any{"m": []string{long}}, "at most 1000 bytes", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []client.Option
			for k, v := range tt.vars {
				opts = append(opts, client.Var(k, v))
			}
			resp, err := c.RawPost(tt.query, opts...)
			if err != nil {
				t.Fatal(err)
			}
			var errs []gqlError
			if err := json.Unmarshal(resp.Errors, &errs); err != nil || len(errs) != 1 {
				t.Fatalf("want one error, got %s (%v)", resp.Errors, err)
			}
			e := errs[0]
			if want := cmp.Or(tt.code, "INVALID_INPUT"); e.Extensions.Code != want {
				t.Fatalf("code %q, want %s: %.300s", e.Extensions.Code, want, e.Message)
			}
			if !strings.Contains(e.Message, tt.want) {
				t.Errorf("message %.300q does not say %q", e.Message, tt.want)
			}
			if len(e.Message) > maxArgErrorLen {
				t.Errorf("a %d-byte message: the input is echoed whole (%.120s...)", len(e.Message), e.Message)
			}
		})
	}
}

// The bounds refuse nothing an argument can mean: the edges of each range still answer.
func TestArgumentsAtTheirBounds(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 2021821})
	c := client.New(newHandler(t, d), client.Path("/graphql"))
	search := strings.Repeat("x", 1000) // the longest String
	var resp struct {
		Years    struct{ TotalCount int } `json:"years"`
		Search   struct{ TotalCount int } `json:"search"`
		Figures  []struct{ Year int }     `json:"figures"`
		Category struct{ TotalCount int } `json:"category"`
		Report   struct{ Year int }       `json:"report"`
	}
	c.MustPost(`query($s: String, $y: Int!) {
		years: licenceStatistics(groupBy: [YEAR], filter: {years: [1900, 2022, 2100]}) { totalCount }
		search: controlEntries(search: $s) { totalCount }
		figures: officialFigures(year: 2100) { year }
		category: controlEntries(category: 9, first: 500) { totalCount }
		report: annualReport(year: $y) { year }
	}`, &resp, client.Var("s", search), client.Var("y", 2022))
	if resp.Years.TotalCount != 1 {
		t.Errorf("years 1900, 2022 and 2100 give %d rows, want 1 (the demo has decisions in 2022 only of these)", resp.Years.TotalCount)
	}
	if resp.Search.TotalCount != 0 || len(resp.Figures) != 0 || resp.Category.TotalCount == 0 || resp.Report.Year != 2022 {
		t.Errorf("answers at the bounds: %+v", resp)
	}
}
